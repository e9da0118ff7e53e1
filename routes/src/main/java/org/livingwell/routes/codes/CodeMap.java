package org.livingwell.routes.codes;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * One source code table (an HL7 v2 table, an NHS data dictionary list) mapped to one FHIR code system, read from
 * {@code /code-maps/<name>.properties}, so a mapping fix is a data change. Codes absent from the file map to nothing.
 */
public final class CodeMap {

    private final Map<String, String> targets;
    private final Map<String, String> codes;

    private CodeMap(Map<String, String> targets, Map<String, String> codes) {
        this.targets = targets;
        this.codes = codes;
    }

    /**
     * Loads {@code /code-maps/<name>.properties} from the classpath.
     *
     * @throws IllegalStateException if the file is missing, so a typo fails at start-up
     */
    public static CodeMap load(String name) {
        String path = "/code-maps/" + name + ".properties";
        try (InputStream in = CodeMap.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("No code map at " + path);
            }
            Properties properties = new Properties();
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
            Map<String, String> targets = new HashMap<>();
            Map<String, String> codes = new HashMap<>();
            properties.forEach((code, target) -> {
                targets.put(key(code.toString()), target.toString().strip());
                codes.put(key(code.toString()), code.toString().strip());
            });
            return new CodeMap(Map.copyOf(targets), Map.copyOf(codes));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read code map " + path, e);
        }
    }

    /** The FHIR code for a v2 code, if the map has one. */
    public Optional<String> lookup(String v2Code) {
        if (v2Code == null || v2Code.isBlank()) {
            return Optional.empty();
        }
        return Optional.ofNullable(targets.get(key(v2Code)));
    }

    /**
     * The v2 code as the file (the HL7 table) spells it, e.g. {@code Psy} for "PSY": FHIR's v2 code systems are
     * case-sensitive. Empty if the table does not have it.
     */
    public Optional<String> code(String v2Code) {
        if (v2Code == null || v2Code.isBlank()) {
            return Optional.empty();
        }
        return Optional.ofNullable(codes.get(key(v2Code)));
    }

    /** v2 senders are inconsistent about case ("f", "F", "Internet", "INTERNET"). */
    private static String key(String v2Code) {
        return v2Code.strip().toUpperCase(Locale.ROOT);
    }

    /** All v2 codes (upper-cased) and their FHIR codes, for checking the file. */
    public Map<String, String> entries() {
        return targets;
    }
}
