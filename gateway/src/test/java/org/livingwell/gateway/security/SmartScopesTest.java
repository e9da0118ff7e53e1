package org.livingwell.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SmartScopesTest {

    @Test
    void v2LettersGrantExactlyTheirInteractions() {
        SmartScopes scopes = SmartScopes.of(List.of("system/Patient.rs", "system/ServiceRequest.cruds"));
        assertThat(scopes.allows("Patient", 'r')).isTrue();
        assertThat(scopes.allows("Patient", 's')).isTrue();
        assertThat(scopes.allows("Patient", 'c')).isFalse();
        assertThat(scopes.allows("Patient", 'u')).isFalse();
        assertThat(scopes.allows("Encounter", 'r')).isFalse();
        assertThat(scopes.allows("ServiceRequest", 'd')).isTrue();
        assertThat(scopes.allowsAllTypes('s')).isFalse();
    }

    @Test
    void v1FormsAreTheirV2Equivalents() {
        assertThat(SmartScopes.of(List.of("system/*.read")).allows("Encounter", 's')).isTrue();
        assertThat(SmartScopes.of(List.of("system/*.read")).allows("Encounter", 'u')).isFalse();
        SmartScopes write = SmartScopes.of(List.of("system/Patient.write"));
        assertThat(write.allows("Patient", 'c')).isTrue();
        assertThat(write.allows("Patient", 'd')).isTrue();
        assertThat(write.allows("Patient", 'r')).isFalse();
        assertThat(SmartScopes.of(List.of("system/*.*")).allowsAllTypes('d')).isTrue();
    }

    @Test
    void unsupportedScopesGrantNothing() {
        SmartScopes scopes = SmartScopes.of(List.of("patient/*.rs", "user/Patient.read", "system/Observation.rs?category=vital-signs",
                "system/Patient.sr", "openid"));
        assertThat(scopes.allows("Patient", 'r')).isFalse();
        assertThat(scopes.allows("Observation", 'r')).isFalse();
        assertThat(scopes.allowsShowing("Patient")).isFalse();
    }

    @Test
    void auditEventsNeedTheirOwnScopeAndAreNeverWritten() {
        assertThat(SmartScopes.of(List.of("system/*.cruds")).allows("AuditEvent", 'r')).isFalse();
        SmartScopes auditor = SmartScopes.of(List.of(GatewayScopes.AUDITOR, "system/AuditEvent.cud"));
        assertThat(auditor.allows("AuditEvent", 's')).isTrue();
        assertThat(auditor.allows("AuditEvent", 'c')).isFalse();
        assertThat(auditor.allows("AuditEvent", 'd')).isFalse();
    }
}
