package org.livingwell.routes.gp;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * The SNOMED CT diagnoses that put a person on the GP SMI register: the concepts enumerated in fhir-profiles'
 * ValueSet {@code lw-smi-diagnosis} (the binding of LWCondition.code), read once from the classpath, so the feed
 * accepts exactly what the profile accepts.
 */
public final class SmiDiagnoses {

    /** The SNOMED CT system URI. */
    public static final String SNOMED = "http://snomed.info/sct";
    /** Where fhir-profiles keeps the ValueSet. */
    static final String VALUE_SET_PATH = "livingwell/ValueSet/lw-smi-diagnosis.json";

    private final Map<String, String> displays;

    private SmiDiagnoses(Map<String, String> displays) {
        this.displays = Map.copyOf(displays);
    }

    /** The ValueSet's codes, loaded on first use. */
    public static SmiDiagnoses get() {
        return Holder.INSTANCE;
    }

    /** Whether the code is one of the ValueSet's SNOMED CT concepts. */
    public boolean contains(String code) {
        return code != null && displays.containsKey(code);
    }

    /** The ValueSet's display for the code, if it has the code. */
    public Optional<String> display(String code) {
        return Optional.ofNullable(code == null ? null : displays.get(code));
    }

    /** Every code, e.g. for generating test data. */
    public Set<String> codes() {
        return displays.keySet();
    }

    private static SmiDiagnoses load() {
        try (InputStream in = SmiDiagnoses.class.getClassLoader().getResourceAsStream(VALUE_SET_PATH)) {
            if (in == null) {
                throw new IllegalStateException("No " + VALUE_SET_PATH + " on the classpath (fhir-profiles missing?)");
            }
            ValueSet valueSet = FhirContext.forR4Cached().newJsonParser().parseResource(ValueSet.class, in);
            Map<String, String> displays = new LinkedHashMap<>();
            valueSet.getCompose().getInclude().stream()
                    .filter(include -> SNOMED.equals(include.getSystem()))
                    .flatMap(include -> include.getConcept().stream())
                    .forEach(concept -> displays.put(concept.getCode(), concept.getDisplay()));
            if (displays.isEmpty()) {
                throw new IllegalStateException(VALUE_SET_PATH + " enumerates no SNOMED CT concept");
            }
            return new SmiDiagnoses(displays);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + VALUE_SET_PATH, e);
        }
    }

    private static final class Holder {
        static final SmiDiagnoses INSTANCE = load();
    }
}
