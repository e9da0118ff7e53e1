package org.livingwell.routes.council;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.CodeSystem.ConceptPropertyComponent;
import org.hl7.fhir.r4.model.Coding;

/**
 * One of the value lists of Adult Social Care Client Level Data (event types, service types, outcomes, ...) as
 * fhir-profiles keeps it: a CodeSystem whose displays are the CLD values and whose designations are other spellings
 * councils use. Councils spell these inconsistently, so a value is recognised ignoring case, spaces and punctuation
 * ({@code "short term support - st-max"} is {@code Short Term Support: ST-Max}). Loaded once from the classpath.
 */
public final class CldValues {

    public static final CldValues EVENT_TYPE = load("lw-cld-event-type");
    public static final CldValues SERVICE_TYPE = load("lw-cld-service-type");
    public static final CldValues SERVICE_COMPONENT = load("lw-cld-service-component");
    public static final CldValues DELIVERY_MECHANISM = load("lw-cld-delivery-mechanism");
    public static final CldValues EVENT_OUTCOME = load("lw-cld-event-outcome");
    public static final CldValues COST_FREQUENCY = load("lw-cld-cost-frequency");
    public static final CldValues PRIMARY_SUPPORT_REASON = load("lw-primary-support-reason");
    public static final CldValues CENSUS_ETHNICITY = load("lw-census-2021-ethnicity");

    /** One value of a list: its code in our CodeSystem, the CLD spelling, and the CodeSystem's properties of it. */
    public record Concept(String system, String code, String display, Map<String, Object> properties) {

        public Coding coding() {
            return new Coding(system, code, display);
        }

        /** A boolean property, false when the concept does not have it. */
        public boolean is(String property) {
            return Boolean.TRUE.equals(properties.get(property));
        }

        public Optional<String> string(String property) {
            return Optional.ofNullable(properties.get(property)).map(String::valueOf);
        }
    }

    private final String id;
    private final List<Concept> concepts;
    private final Map<String, Concept> byKey;

    private CldValues(String id, List<Concept> concepts, Map<String, Concept> byKey) {
        this.id = id;
        this.concepts = List.copyOf(concepts);
        this.byKey = Map.copyOf(byKey);
    }

    /** The list with this CodeSystem id (one of the constants). */
    public static CldValues byId(String id) {
        return java.util.stream.Stream.of(EVENT_TYPE, SERVICE_TYPE, SERVICE_COMPONENT, DELIVERY_MECHANISM, EVENT_OUTCOME,
                        COST_FREQUENCY, PRIMARY_SUPPORT_REASON, CENSUS_ETHNICITY)
                .filter(values -> values.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no CLD list " + id));
    }

    /** The concept a council's spelling names, if any. */
    public Optional<Concept> find(String text) {
        return text == null ? Optional.empty() : Optional.ofNullable(byKey.get(key(text)));
    }

    /** The CodeSystem's id in fhir-profiles, e.g. {@code lw-cld-event-type}. */
    public String id() {
        return id;
    }

    public List<Concept> concepts() {
        return concepts;
    }

    /** What councils' spellings of one value have in common: letters and digits, lower case. */
    static String key(String text) {
        StringBuilder key = new StringBuilder(text.length());
        text.toLowerCase(Locale.ROOT).codePoints().filter(Character::isLetterOrDigit).forEach(key::appendCodePoint);
        return key.toString();
    }

    private static CldValues load(String id) {
        String path = "livingwell/CodeSystem/" + id + ".json";
        try (InputStream in = CldValues.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("No " + path + " on the classpath (fhir-profiles missing?)");
            }
            CodeSystem codeSystem = FhirContext.forR4Cached().newJsonParser().parseResource(CodeSystem.class, in);
            List<Concept> concepts = codeSystem.getConcept().stream().map(concept -> concept(codeSystem.getUrl(), concept)).toList();
            Map<String, Concept> byKey = new LinkedHashMap<>();
            for (int i = 0; i < concepts.size(); i++) {
                Concept concept = concepts.get(i);
                ConceptDefinitionComponent definition = codeSystem.getConcept().get(i);
                put(byKey, concept.display(), concept, path);
                put(byKey, concept.code(), concept, path);
                definition.getDesignation().forEach(designation -> put(byKey, designation.getValue(), concept, path));
            }
            return new CldValues(id, concepts, byKey);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path, e);
        }
    }

    private static void put(Map<String, Concept> byKey, String spelling, Concept concept, String path) {
        Concept earlier = byKey.putIfAbsent(key(spelling), concept);
        if (earlier != null && !earlier.code().equals(concept.code())) {
            throw new IllegalStateException(path + ": \"" + spelling + "\" could mean " + earlier.code() + " or " + concept.code());
        }
    }

    private static Concept concept(String system, ConceptDefinitionComponent definition) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (ConceptPropertyComponent property : definition.getProperty()) {
            properties.put(property.getCode(), property.getValue().isPrimitive()
                    ? ((org.hl7.fhir.r4.model.PrimitiveType<?>) property.getValue()).getValue() : property.getValue());
        }
        return new Concept(system, definition.getCode(), definition.getDisplay(), Map.copyOf(properties));
    }
}
