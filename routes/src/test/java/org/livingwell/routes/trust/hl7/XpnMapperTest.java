package org.livingwell.routes.trust.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.HumanName.NameUse;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class XpnMapperTest {

    private static HumanName name(String xpn) {
        return XpnMapper.map(Hl7Fixtures.pid("PID|1||X||" + xpn).getPatientName(0)).orElseThrow();
    }

    @Test
    void mapsFamilyGivenMiddlePrefixAndSuffix() {
        HumanName name = name("TESTPATIENT^ALEX^JO ANN^JR^MX^^L");

        assertThat(name.getFamily()).isEqualTo("TESTPATIENT");
        assertThat(name.getGiven()).extracting(StringType::getValue).containsExactly("ALEX", "JO ANN");
        assertThat(name.getPrefixAsSingleString()).isEqualTo("MX");
        assertThat(name.getSuffixAsSingleString()).isEqualTo("JR");
        assertThat(name.getUse()).isEqualTo(NameUse.OFFICIAL);
    }

    @ParameterizedTest
    @CsvSource({"L, OFFICIAL", "D, USUAL", "M, MAIDEN", "N, NICKNAME", "l, OFFICIAL"})
    void nameTypeMapsToUse(String xpn7, NameUse use) {
        assertThat(name("TESTPATIENT^ALEX^^^^^" + xpn7).getUse()).isEqualTo(use);
    }

    @Test
    void unknownNameTypeLeavesUseEmpty() {
        assertThat(name("TESTPATIENT^ALEX^^^^^ZZ").hasUse()).isFalse();
    }

    @Test
    void emptyNameIsAbsent() {
        assertThat(XpnMapper.map(Hl7Fixtures.pid("PID|1||X||^^^^^^L").getPatientName(0))).isEmpty();
    }
}
