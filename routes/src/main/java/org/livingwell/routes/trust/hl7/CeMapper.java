package org.livingwell.routes.trust.hl7;

import ca.uhn.hl7v2.model.v251.datatype.CE;
import ca.uhn.hl7v2.model.v251.datatype.ID;
import ca.uhn.hl7v2.model.v251.datatype.ST;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.livingwell.routes.codes.CodeMap;

/**
 * Maps an HL7 v2 CE (coded element) to a FHIR CodeableConcept, wherever the CE appears: CE-1..3 as the first
 * coding, the alternate CE-4..6 as a second, CE-2 as the text.
 */
public final class CeMapper {

    /** FHIR's code systems for HL7 v2 tables: this, then the table number. */
    public static final String V2_TABLE = "http://terminology.hl7.org/CodeSystem/v2-";

    private static final CodeMap CODING_SYSTEMS = CodeMap.load("v2-0396-to-code-system");
    private static final Pattern HL7_TABLE = Pattern.compile("HL7(\\d{4})", Pattern.CASE_INSENSITIVE);

    private CeMapper() {}

    /**
     * The concept, or empty if the CE carries neither a code nor a text.
     *
     * @param system what a code means when CE-3 names no coding system: the field's HL7 table
     *     ({@code V2_TABLE + "0281"}) or the system the sender uses there (ICD-10 in DG1-3); null if none
     * @param codes the codes of {@code system} with their displays, or null to take any code as sent; a code
     *     outside them gets no system (a local code claims nothing)
     */
    public static Optional<CodeableConcept> map(CE ce, String system, CodeMap codes) {
        CodeableConcept concept = new CodeableConcept();
        coding(ce.getIdentifier(), ce.getText(), ce.getNameOfCodingSystem(), system, codes).ifPresent(concept::addCoding);
        coding(ce.getAlternateIdentifier(), ce.getAlternateText(), ce.getNameOfAlternateCodingSystem(), null, null)
                .ifPresent(concept::addCoding);
        Hl7Values.of(ce.getText()).ifPresent(concept::setText);
        return concept.isEmpty() ? Optional.empty() : Optional.of(concept);
    }

    private static Optional<Coding> coding(ST code, ST text, ID codingSystem, String fieldSystem, CodeMap codes) {
        Optional<String> sent = Hl7Values.of(code);
        if (sent.isEmpty()) {
            return Optional.empty();
        }
        Coding coding = new Coding().setCode(sent.get());
        Hl7Values.of(text).ifPresent(coding::setDisplay);
        Optional<String> named = Hl7Values.of(codingSystem);
        String system = named.isPresent() ? system(named.get()).orElse(null) : fieldSystem;
        if (codes == null || system == null || !system.equals(fieldSystem)) {
            return Optional.of(coding.setSystem(system));
        }
        // FHIR's v2 code systems are case-sensitive: the code as the table writes it, with the table's display.
        return Optional.of(codes.code(sent.get())
                .map(known -> coding.setSystem(system).setCode(known).setDisplay(codes.lookup(known).orElse(null)))
                .orElse(coding));
    }

    /** The FHIR code system a CE-3 / CE-6 name stands for, if we know it. */
    private static Optional<String> system(String name) {
        Matcher hl7Table = HL7_TABLE.matcher(name);
        return hl7Table.matches() ? Optional.of(V2_TABLE + hl7Table.group(1)) : CODING_SYSTEMS.lookup(name);
    }
}
