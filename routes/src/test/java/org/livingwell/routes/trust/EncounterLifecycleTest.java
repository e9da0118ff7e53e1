package org.livingwell.routes.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.livingwell.routes.trust.AdtMessages.PID;
import static org.livingwell.routes.trust.AdtMessages.msh;
import static org.livingwell.routes.trust.AdtMessages.pv1;
import static org.livingwell.routes.trust.AdtMessages.translate;

import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Encounter.EncounterLocationComponent;
import org.hl7.fhir.r4.model.Encounter.EncounterLocationStatus;
import org.hl7.fhir.r4.model.Encounter.EncounterStatus;
import org.junit.jupiter.api.Test;

/**
 * The visit's Encounter through its life, each message's update function applied to what the previous
 * one left (as the store does), and each applied twice: the second time must change nothing.
 */
class EncounterLifecycleTest {

    private static final String WARD1 = "WARD1^R2^B3";
    private static final String WARD2 = "WARD2^R1^B1";

    /** Applies the message to the stored Encounter, checks applying it again changes nothing, returns the result. */
    private static Encounter apply(Encounter stored, String trigger, String eventTime, String pv1) {
        String message = String.join("\r", msh(trigger, "2.5.1", "C-" + trigger), "EVN|" + trigger + "|" + eventTime, PID, pv1);
        var change = translate(message);
        Encounter once = AdtMessages.encounter(change, stored);
        Encounter twice = AdtMessages.encounter(change, once);
        assertThat(twice.equalsDeep(once)).as("%s applied twice gives the same Encounter", trigger).isTrue();
        return once;
    }

    private static Object[] location(EncounterLocationComponent held) {
        return new Object[] {
            held.getLocation().getIdentifier().getValue(),
            held.getStatus(),
            held.getPeriod().getStartElement().getValueAsString(),
            held.getPeriod().getEndElement().getValueAsString()
        };
    }

    @Test
    void admitTransferCancelTransferDischargeCancelDischargeCancelAdmit() {
        Encounter encounter = apply(null, "A01", "20240315100000", pv1(2, "I", 3, WARD1, 19, "V0001", 44, "20240315093000"));
        assertThat(encounter.getStatus()).isEqualTo(EncounterStatus.INPROGRESS);
        assertThat(encounter.getPeriod().getStartElement().getValueAsString()).isEqualTo("2024-03-15T09:30:00Z");
        assertThat(encounter.getLocation()).extracting(l -> tuple(location(l)))
                .containsExactly(tuple("WARD1-R2-B3", EncounterLocationStatus.ACTIVE, null, null));

        encounter = apply(encounter, "A02", "20240315110000", pv1(2, "I", 3, WARD2, 6, WARD1, 19, "V0001"));
        assertThat(encounter.getLocation()).extracting(l -> tuple(location(l))).containsExactly(
                tuple("WARD1-R2-B3", EncounterLocationStatus.COMPLETED, null, "2024-03-15T11:00:00Z"),
                tuple("WARD2-R1-B1", EncounterLocationStatus.ACTIVE, "2024-03-15T11:00:00Z", null));

        encounter = apply(encounter, "A12", "20240315113000", pv1(2, "I", 3, WARD1, 6, WARD2, 19, "V0001"));
        assertThat(encounter.getLocation()).extracting(l -> tuple(location(l)))
                .containsExactly(tuple("WARD1-R2-B3", EncounterLocationStatus.ACTIVE, null, null));
        assertThat(encounter.getStatus()).isEqualTo(EncounterStatus.INPROGRESS);

        encounter = apply(encounter, "A03", "20240316120500",
                pv1(2, "I", 3, WARD1, 19, "V0001", 36, "01", 45, "20240316120000"));
        assertThat(encounter.getStatus()).isEqualTo(EncounterStatus.FINISHED);
        assertThat(encounter.getPeriod().getEndElement().getValueAsString()).isEqualTo("2024-03-16T12:00:00Z");
        assertThat(encounter.getHospitalization().getDischargeDisposition().getCoding())
                .extracting(c -> c.getSystem(), c -> c.getCode()).containsExactly(
                        tuple("http://terminology.hl7.org/CodeSystem/discharge-disposition", "home"),
                        tuple("http://terminology.hl7.org/CodeSystem/v2-0112", "01"));
        assertThat(encounter.getLocation()).extracting(l -> tuple(location(l)))
                .containsExactly(tuple("WARD1-R2-B3", EncounterLocationStatus.COMPLETED, null, "2024-03-16T12:00:00Z"));

        encounter = apply(encounter, "A13", "20240316130000", pv1(2, "I", 3, WARD1, 19, "V0001"));
        assertThat(encounter.getStatus()).isEqualTo(EncounterStatus.INPROGRESS);
        assertThat(encounter.getPeriod().hasEnd()).isFalse();
        assertThat(encounter.hasHospitalization()).isFalse();
        assertThat(encounter.getLocation()).extracting(l -> tuple(location(l)))
                .containsExactly(tuple("WARD1-R2-B3", EncounterLocationStatus.ACTIVE, null, null));

        encounter = apply(encounter, "A11", "20240316140000", pv1(2, "I", 3, WARD1, 19, "V0001"));
        assertThat(encounter.getStatus()).isEqualTo(EncounterStatus.CANCELLED);
        assertThat(encounter.getPeriod().getStartElement().getValueAsString()).isEqualTo("2024-03-15T09:30:00Z");
    }

    @Test
    void aResentTransferAfterALaterOneAddsNothing() {
        Encounter encounter = apply(null, "A01", "20240315100000", pv1(2, "I", 3, WARD1, 19, "V0001"));
        String firstTransfer = pv1(2, "I", 3, WARD2, 6, WARD1, 19, "V0001");
        encounter = apply(encounter, "A02", "20240315110000", firstTransfer);
        encounter = apply(encounter, "A02", "20240315120000", pv1(2, "I", 3, "WARD3", 6, WARD2, 19, "V0001"));

        Encounter resent = apply(encounter, "A02", "20240315110000", firstTransfer);

        // Only the placeholders for patient and trust differ (the store puts the stored ids back in).
        assertThat(Base.compareDeep(resent.getLocation(), encounter.getLocation(), false)).isTrue();
        assertThat(resent.getLocation()).extracting(l -> l.getLocation().getIdentifier().getValue())
                .containsExactly("WARD1-R2-B3", "WARD2-R1-B1", "WARD3");
    }

    @Test
    void aTransferHeardFirstRecordsWhereThePatientWasAndDoesNotInventAStart() {
        Encounter encounter = apply(null, "A02", "20240315110000", pv1(2, "I", 3, WARD2, 6, WARD1, 19, "V0001"));

        assertThat(encounter.getStatus()).isEqualTo(EncounterStatus.UNKNOWN);
        assertThat(encounter.getLocation()).extracting(l -> tuple(location(l))).containsExactly(
                tuple("WARD1-R2-B3", EncounterLocationStatus.COMPLETED, null, "2024-03-15T11:00:00Z"),
                tuple("WARD2-R1-B1", EncounterLocationStatus.ACTIVE, "2024-03-15T11:00:00Z", null));
    }

    @Test
    void aLateAdmissionNeitherReopensADischargeNorUndoesATransfer() {
        Encounter encounter = apply(null, "A03", "20240316120000",
                pv1(2, "I", 3, WARD2, 19, "V0001", 44, "20240315093000", 45, "20240316120000"));

        encounter = apply(encounter, "A01", "20240315100000", pv1(2, "I", 3, WARD1, 19, "V0001", 44, "20240315093000"));

        assertThat(encounter.getStatus()).isEqualTo(EncounterStatus.FINISHED);
        assertThat(encounter.getLocation()).extracting(l -> l.getLocation().getIdentifier().getValue())
                .containsExactly("WARD2-R1-B1");
    }

    @Test
    void updateCorrectsLocationClassAndClinicianWithoutChangingStatus() {
        Encounter encounter = apply(null, "A01", "20240315100000",
                pv1(2, "O", 3, WARD1, 7, "C1^OLDDOC^ANNE", 19, "V0001"));

        encounter = apply(encounter, "A08", "20240315103000", pv1(2, "I", 3, "WARD9", 7, "C2^NEWDOC^BEN", 19, "V0001"));

        assertThat(encounter.getStatus()).isEqualTo(EncounterStatus.INPROGRESS);
        assertThat(encounter.getClass_().getCode()).isEqualTo("IMP");
        assertThat(encounter.getLocation()).extracting(l -> tuple(location(l)))
                .containsExactly(tuple("WARD9", EncounterLocationStatus.ACTIVE, null, null));
        assertThat(encounter.getParticipant()).extracting(p -> p.getIndividual().getIdentifier().getValue())
                .containsExactly("C2");
    }

    @Test
    void changeOfClassChangesTheClassOnly() {
        Encounter encounter = apply(null, "A04", "20240315100000", pv1(2, "O", 3, "CLINIC1", 19, "V0001"));

        Encounter changed = apply(encounter, "A06", "20240315120000", pv1(2, "I", 3, WARD1, 19, "V0001"));

        assertThat(changed.getClass_().getCode()).isEqualTo("IMP");
        assertThat(changed.getStatus()).isEqualTo(encounter.getStatus());
        assertThat(changed.getPeriod().equalsDeep(encounter.getPeriod())).isTrue();
        assertThat(changed.getLocation()).extracting(l -> l.getLocation().getIdentifier().getValue())
                .containsExactly("CLINIC1");
    }

    @Test
    void plannedAdmissionThenAdmission() {
        Encounter encounter = apply(null, "A05", "20240310100000", pv1(2, "P", 19, "V0001"));
        assertThat(encounter.getStatus()).isEqualTo(EncounterStatus.PLANNED);

        encounter = apply(encounter, "A01", "20240315100000", pv1(2, "I", 3, WARD1, 19, "V0001"));

        assertThat(encounter.getStatus()).isEqualTo(EncounterStatus.INPROGRESS);
        assertThat(encounter.getClass_().getCode()).isEqualTo("IMP");
        assertThat(encounter.getPeriod().getStartElement().getValueAsString()).isEqualTo("2024-03-15T10:00:00Z");
    }

    @Test
    void eventOccurredTimeIsTheTransferTimeWhenSent() {
        String message = String.join("\r", msh("A02", "2.5.1", "C1"), "EVN|A02|20240315110500||||20240315110000",
                PID, pv1(2, "I", 3, WARD2, 19, "V0001"));

        Encounter encounter = AdtMessages.encounter(translate(message), null);

        assertThat(encounter.getLocationFirstRep().getPeriod().getStartElement().getValueAsString())
                .isEqualTo("2024-03-15T11:00:00Z");
    }
}
