package org.livingwell.routes.trust;

import ca.uhn.hl7v2.model.v251.datatype.TS;
import ca.uhn.hl7v2.model.v251.datatype.XCN;
import ca.uhn.hl7v2.model.v251.segment.PV1;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter.EncounterParticipantComponent;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.livingwell.routes.trust.PlMapper.PlaceOfCare;
import org.livingwell.routes.codes.CodeMap;
import org.livingwell.routes.trust.hl7.Hl7Values;
import org.livingwell.routes.trust.hl7.TsMapper;

/** Reads the visit out of a PV1 segment: what any ADT event may say about one Encounter. */
public final class Pv1Mapper {

    public static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    public static final String PARTICIPATION_TYPE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
    public static final String DISCHARGE_DISPOSITION = "http://terminology.hl7.org/CodeSystem/discharge-disposition";
    public static final String V2_0112 = "http://terminology.hl7.org/CodeSystem/v2-0112";

    private static final CodeMap PATIENT_CLASS = CodeMap.load("v2-0004-to-encounter-class");
    private static final CodeMap DISPOSITION = CodeMap.load("v2-0112-to-discharge-disposition");

    private Pv1Mapper() {}

    /**
     * What one PV1 says about a visit; every part is optional, as senders fill PV1 unevenly.
     *
     * @param visitNumber PV1-19
     * @param encounterClass PV1-2 through table 0004 (empty for codes the map leaves out)
     * @param location PV1-3, where the patient is (or, on A12, is back to)
     * @param priorLocation PV1-6, where the patient was (on A02), or the cancelled location (on A12)
     * @param admitted PV1-44
     * @param discharged PV1-45
     * @param dischargeDisposition PV1-36: the v2 code, plus the FHIR code where table 0112 maps
     * @param participants PV1-7 (attending, ATND) and PV1-17 (admitting, ADM)
     */
    public record Visit(
            Optional<String> visitNumber,
            Optional<Coding> encounterClass,
            Optional<PlaceOfCare> location,
            Optional<PlaceOfCare> priorLocation,
            Optional<DateTimeType> admitted,
            Optional<DateTimeType> discharged,
            Optional<CodeableConcept> dischargeDisposition,
            List<EncounterParticipantComponent> participants) {}

    /**
     * @param locationSystem the trust's location identifier system
     * @param trust the trust, managing organisation of its locations
     * @throws org.livingwell.routes.trust.hl7.Hl7TranslationException if PV1-44 or PV1-45 is not a real time
     */
    public static Visit map(PV1 pv1, String locationSystem, Reference trust) {
        List<EncounterParticipantComponent> participants = new ArrayList<>();
        participant(pv1.getAttendingDoctor(), "ATND", "attender").ifPresent(participants::add);
        participant(pv1.getAdmittingDoctor(), "ADM", "admitter").ifPresent(participants::add);
        TS[] discharged = pv1.getDischargeDateTime();
        return new Visit(
                Hl7Values.of(pv1.getVisitNumber().getIDNumber()),
                Hl7Values.of(pv1.getPatientClass()).flatMap(PATIENT_CLASS::lookup).map(code -> new Coding(ACT_CODE, code, null)),
                PlMapper.map(pv1.getAssignedPatientLocation(), locationSystem, trust),
                PlMapper.map(pv1.getPriorPatientLocation(), locationSystem, trust),
                TsMapper.toDateTime(pv1.getAdmitDateTime(), "PV1-44"),
                discharged.length == 0 ? Optional.empty() : TsMapper.toDateTime(discharged[0], "PV1-45"),
                Hl7Values.of(pv1.getDischargeDisposition()).map(Pv1Mapper::disposition),
                List.copyOf(participants));
    }

    private static CodeableConcept disposition(String v2Code) {
        CodeableConcept disposition = new CodeableConcept();
        DISPOSITION.lookup(v2Code).ifPresent(code -> disposition.addCoding(new Coding(DISCHARGE_DISPOSITION, code, null)));
        return disposition.addCoding(new Coding(V2_0112, v2Code, null));
    }

    /** The first XCN with an ID or a name, as a participant of the given v3 type; no Practitioner resource. */
    private static Optional<EncounterParticipantComponent> participant(XCN[] xcns, String type, String display) {
        for (XCN xcn : xcns) {
            Optional<String> id = Hl7Values.of(xcn.getIDNumber());
            String name = Stream.of(
                            Hl7Values.of(xcn.getPrefixEgDR()),
                            Hl7Values.of(xcn.getGivenName()),
                            Hl7Values.of(xcn.getSecondAndFurtherGivenNamesOrInitialsThereof()),
                            Hl7Values.of(xcn.getFamilyName().getSurname()))
                    .flatMap(Optional::stream)
                    .collect(Collectors.joining(" "));
            if (id.isEmpty() && name.isEmpty()) {
                continue;
            }
            Reference individual = new Reference();
            id.ifPresent(value -> individual.setIdentifier(new Identifier().setValue(value)));
            if (!name.isEmpty()) {
                individual.setDisplay(name);
            }
            EncounterParticipantComponent participant = new EncounterParticipantComponent().setIndividual(individual);
            participant.addType(new CodeableConcept(new Coding(PARTICIPATION_TYPE, type, display)));
            return Optional.of(participant);
        }
        return Optional.empty();
    }

    /** Whether the participant is of this v3 participation type (ATND, ADM). */
    static boolean isOfType(EncounterParticipantComponent participant, String type) {
        return participant.getType().stream()
                .flatMap(concept -> concept.getCoding().stream())
                .anyMatch(coding -> PARTICIPATION_TYPE.equals(coding.getSystem()) && type.equals(coding.getCode()));
    }

    /** The v3 participation type code of a participant this mapper made. */
    static String typeOf(EncounterParticipantComponent participant) {
        return participant.getTypeFirstRep().getCodingFirstRep().getCode();
    }
}
