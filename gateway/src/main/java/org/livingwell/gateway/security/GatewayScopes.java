package org.livingwell.gateway.security;

import java.util.List;

/** The scopes of this gateway besides SMART's resource scopes (see SmartScopes). */
public final class GatewayScopes {

    /** Send GP SMI-register extracts: a practice's own, or those its client's practices grant lists. */
    public static final String GP_REGISTER_WRITE = "system/gp-register.write";
    /** The admin API: message log, replay, partner clients. */
    public static final String ADMIN = "gateway/admin";
    /** Read and search AuditEvents: the auditor's scope (a wildcard resource scope does not include it). */
    public static final String AUDITOR = "system/AuditEvent.rs";
    /** Everything partners may do with the record's resources. */
    public static final String ALL_RESOURCES = "system/*.cruds";

    /** What the bootstrap and demo clients are given, and what discovery lists besides the per-type scopes. */
    public static final List<String> ALL = List.of(ALL_RESOURCES, AUDITOR, GP_REGISTER_WRITE, ADMIN);

    private GatewayScopes() {}
}
