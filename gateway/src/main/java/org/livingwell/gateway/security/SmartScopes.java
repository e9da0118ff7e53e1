package org.livingwell.gateway.security;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a token's SMART system scopes allow: for each resource type (or {@code *}), the interactions of SMART
 * App Launch 2 ({@code c}reate, {@code r}ead, {@code u}pdate, {@code d}elete, {@code s}earch). The v1 forms are
 * taken as their v2 equivalents: {@code .read} = {@code .rs}, {@code .write} = {@code .cud}, {@code .*} =
 * {@code .cruds}. Scopes this gateway does not implement grant nothing: patient/ and user/ scopes (no user or
 * patient context in Backend Services) and v2 scopes narrowed by a query ({@code system/Observation.rs?category=...}).
 *
 * <p>AuditEvents are the auditor's: only a scope naming AuditEvent itself reads them (a wildcard does not),
 * and no scope writes or deletes them.
 */
public final class SmartScopes {

    public static final String AUDIT_EVENT = "AuditEvent";

    private static final Pattern SYSTEM_SCOPE = Pattern.compile("system/([A-Za-z]+|\\*)\\.(c?r?u?d?s?|read|write|\\*)");

    private final Map<String, Set<Character>> allowed = new HashMap<>();

    private SmartScopes() {}

    public static SmartScopes of(Collection<String> scopes) {
        SmartScopes parsed = new SmartScopes();
        for (String scope : scopes) {
            Matcher matcher = SYSTEM_SCOPE.matcher(scope);
            if (matcher.matches() && !matcher.group(2).isEmpty()) {
                parsed.allowed.computeIfAbsent(matcher.group(1), type -> new HashSet<>()).addAll(letters(matcher.group(2)));
            }
        }
        return parsed;
    }

    private static Set<Character> letters(String permissions) {
        String v2 = switch (permissions) {
            case "read" -> "rs";
            case "write" -> "cud";
            case "*" -> "cruds";
            default -> permissions;
        };
        Set<Character> letters = new HashSet<>();
        v2.chars().forEach(c -> letters.add((char) c));
        return letters;
    }

    /** Whether the scopes allow this interaction ({@code c r u d s}) on resources of this type. */
    public boolean allows(String resourceType, char interaction) {
        if (AUDIT_EVENT.equals(resourceType)) {
            return (interaction == 'r' || interaction == 's') && has(AUDIT_EVENT, interaction);
        }
        return has(resourceType, interaction) || has("*", interaction);
    }

    /** Whether a resource of this type may be shown at all (read or search), e.g. one pulled in by _include. */
    public boolean allowsShowing(String resourceType) {
        return allows(resourceType, 'r') || allows(resourceType, 's');
    }

    /** Whether the scopes allow this interaction on every resource type (system-level searches and operations). */
    public boolean allowsAllTypes(char interaction) {
        return has("*", interaction);
    }

    private boolean has(String type, char interaction) {
        Set<Character> letters = allowed.get(type);
        return letters != null && letters.contains(interaction);
    }
}
