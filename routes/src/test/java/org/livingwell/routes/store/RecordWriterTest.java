package org.livingwell.routes.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.livingwell.routes.identity.NhsNumber;
import org.livingwell.routes.identity.PatientContribution;
import org.livingwell.routes.identity.PatientMergeRule;

class RecordWriterTest {

    private static final String ODS = "https://fhir.nhs.uk/Id/ods-organization-code";
    private static final String VISITS = "https://fhir.livingwell.example/Id/rv5/visit-number";

    private final InMemoryRecordStore store = new InMemoryRecordStore();
    private final RecordWriter writer = new RecordWriter(store);

    private static Upsert<Patient> patient(String nhsNumber, String family) {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(NhsNumber.SYSTEM).setValue(nhsNumber);
        patient.addName().setFamily(family);
        patient.setBirthDateElement(new DateType("1984-04-12"));
        return Upsert.of(Patient.class, Upsert.byIdentifier("Patient", NhsNumber.SYSTEM, nhsNumber),
                stored -> PatientMergeRule.merge(stored, new PatientContribution(patient, Set.of(), "test", null)));
    }

    private static Upsert<Organization> practice(String odsCode) {
        Organization practice = new Organization().setName("Practice " + odsCode);
        practice.addIdentifier().setSystem(ODS).setValue(odsCode);
        return Upsert.createIfAbsent(practice, Upsert.byIdentifier("Organization", ODS, odsCode));
    }

    private static Upsert<Encounter> encounter(String visit, Upsert<Patient> subject) {
        Encounter encounter = new Encounter().setStatus(Encounter.EncounterStatus.INPROGRESS)
                .setSubject(new Reference(subject.reference()));
        encounter.addIdentifier().setSystem(VISITS).setValue(visit);
        return Upsert.of(Encounter.class, Upsert.byIdentifier("Encounter", VISITS, visit), stored -> encounter);
    }

    private static RecordChange change(String messageId, List<Upsert<?>> upserts) {
        return new RecordChange(new RecordChange.Origin("test", "TRUSTEPR^RV5", messageId, "2026-11-24T10:00:00+00:00"), upserts);
    }

    @Test
    void newResourcesAreCreatedConditionallyWithOneProvenanceAndTheirSource() {
        Upsert<Patient> patient = patient("9990000018", "First");
        Upsert<Organization> gp = practice("G85001");

        AppliedChange applied = writer.write(change("M1", List.of(gp, patient, encounter("V1", patient))));

        Bundle transaction = store.applied().get(0);
        assertThat(transaction.getEntry()).extracting(e -> e.getResource().fhirType())
                .containsExactly("Organization", "Patient", "Encounter", "Provenance");
        assertThat(transaction.getEntry().get(1).getRequest().getIfNoneExist())
                .isEqualTo("identifier=" + NhsNumber.SYSTEM + "|9990000018");
        assertThat(transaction.getEntry().get(1).getResource().getMeta().getSource()).isEqualTo("urn:livingwell:feed:test:message:M1");
        Provenance provenance = (Provenance) transaction.getEntry().get(3).getResource();
        // The store does not validate the writer's own Provenance, so it must be right by construction.
        assertThat(ProfileFixtures.errors(ProfileFixtures.validator().validateAgainstProfile(provenance))).isEmpty();
        assertThat(provenance.getTarget()).hasSize(3);
        assertThat(provenance.getEntityFirstRep().getWhat().getIdentifier().getValue()).isEqualTo("TRUSTEPR^RV5|M1");
        assertThat(applied.written()).hasSize(4);
        Encounter stored = store.stored(Encounter.class).get(0);
        assertThat(stored.getSubject().getReference()).isEqualTo(store.patients("9990000018").get(0).getIdElement().toUnqualifiedVersionless().getValue());
    }

    @Test
    void aGroupOfChangesIsOneTransactionWithOneProvenanceLookingEachTypeUpOnce() {
        writer.write(change("M0", List.of(patient("9990000026", "Known"))));
        Upsert<Patient> first = patient("9990000018", "First");
        Upsert<Patient> known = patient("9990000026", "Known");
        Upsert<Patient> again = patient("9990000018", "First");
        List<RecordChange> rows = List.of(
                change("F:2", List.of(practice("G85001"), first, encounter("V1", first))),
                change("F:3", List.of(practice("G85001"), known, encounter("V2", known))),
                change("F:4", List.of(practice("G85001"), again, encounter("V3", again))));
        RecordChange.Origin file = new RecordChange.Origin("test", "G85001", "F", "2026-11-24");

        Map<Integer, RecordRejectedException> refused = writer.writeAll(file, rows);

        assertThat(refused).isEmpty();
        assertThat(store.applied()).hasSize(2);
        Bundle group = store.applied().get(1);
        assertThat(group.getEntry()).extracting(e -> e.getResource().fhirType())
                .as("the practice and the patient named twice are written once; the known patient is unchanged")
                .containsExactly("Organization", "Patient", "Encounter", "Encounter", "Encounter", "Provenance");
        Provenance provenance = (Provenance) group.getEntry().get(5).getResource();
        assertThat(provenance.getEntityFirstRep().getWhat().getIdentifier().getValue()).isEqualTo("G85001|F");
        assertThat(store.patients("9990000018")).hasSize(1);
        String firstId = store.patients("9990000018").get(0).getIdElement().toUnqualifiedVersionless().getValue();
        assertThat(store.stored(Encounter.class)).filteredOn(e -> !e.getIdentifierFirstRep().getValue().equals("V2"))
                .extracting(e -> e.getSubject().getReference()).containsExactly(firstId, firstId);
    }

    @Test
    void messagesAppliedTogetherAreOneTransactionCitingEachMessageAndEachLearnsWhatItWrote() {
        Upsert<Patient> first = patient("9990000018", "First");
        Upsert<Patient> second = patient("9990000026", "Second");
        Upsert<Patient> firstAgain = patient("9990000018", "First");
        RecordChange m1 = change("M1", List.of(practice("G85001"), first, encounter("V1", first)));
        RecordChange m2 = new RecordChange(new RecordChange.Origin("test", "OTHER^RV5", "M2", "2026-11-24T10:05:00+00:00"),
                List.of(second, encounter("V2", second)));
        RecordChange m3 = change("M3", List.of(firstAgain, encounter("V3", firstAgain)));

        List<AppliedChange> applied = writer.inTransaction(List.of(m1, m2, m3), () -> writer.applyTogether(List.of(m1, m2, m3)));

        assertThat(store.applied()).hasSize(1);
        Bundle together = store.applied().get(0);
        assertThat(together.getEntry()).extracting(e -> e.getResource().fhirType())
                .containsExactly("Organization", "Patient", "Encounter", "Patient", "Encounter", "Encounter", "Provenance");
        Provenance provenance = (Provenance) together.getEntry().get(6).getResource();
        assertThat(ProfileFixtures.errors(ProfileFixtures.validator().validateAgainstProfile(provenance))).isEmpty();
        assertThat(provenance.getEntity()).extracting(entity -> entity.getWhat().getIdentifier().getValue())
                .containsExactly("TRUSTEPR^RV5|M1", "OTHER^RV5|M2", "TRUSTEPR^RV5|M3");
        assertThat(provenance.getAgent()).extracting(agent -> agent.getWho().getIdentifier().getValue())
                .containsExactly("TRUSTEPR^RV5", "OTHER^RV5");
        assertThat(provenance.getOccurredPeriod().getStartElement().getValueAsString()).isEqualTo("2026-11-24T10:00:00+00:00");
        assertThat(provenance.getOccurredPeriod().getEndElement().getValueAsString()).isEqualTo("2026-11-24T10:05:00+00:00");
        assertThat(together.getEntry().get(4).getResource().getMeta().getSource()).isEqualTo("urn:livingwell:feed:test:message:M2");
        // M1 and M3 both wrote the first patient (once); each message lists what it wrote, and the Provenance.
        assertThat(applied).hasSize(3);
        assertThat(applied.get(0).written()).hasSize(4).allMatch(written -> !written.startsWith("Encounter/") || written.equals(applied.get(0).written().get(2)));
        assertThat(applied.get(1).written()).extracting(written -> written.substring(0, written.indexOf('/')))
                .containsExactly("Patient", "Encounter", "Provenance");
        assertThat(applied.get(2).written()).extracting(written -> written.substring(0, written.indexOf('/')))
                .containsExactly("Patient", "Encounter", "Provenance");
        assertThat(applied.get(2).written().get(0)).isEqualTo(applied.get(0).written().get(1));
    }

    @Test
    void aRefusedGroupIsAppliedOneChangeAtATimeSoOnlyTheBadChangeIsRefused() {
        store.reject("9990000026");
        List<RecordChange> rows = List.of(
                change("F:2", List.of(patient("9990000018", "Good"))),
                change("F:3", List.of(patient("9990000026", "Refused"))),
                change("F:4", List.of(patient("9990000034", "AlsoGood"))));

        Map<Integer, RecordRejectedException> refused = writer.writeAll(new RecordChange.Origin("test", "G85001", "F", null), rows);

        assertThat(refused).containsOnlyKeys(1);
        assertThat(store.patients("9990000018")).hasSize(1);
        assertThat(store.patients("9990000026")).isEmpty();
        assertThat(store.patients("9990000034")).hasSize(1);
    }

    @Test
    void whatTheRecordAlreadySaysIsNotWrittenAgain() {
        writer.write(change("M1", List.of(practice("G85001"), patient("9990000018", "Same"))));

        AppliedChange again = writer.write(change("M2", List.of(practice("G85001"), patient("9990000018", "Same"))));

        assertThat(again.written()).isEmpty();
        assertThat(store.applied()).hasSize(1);
    }

    @Test
    void theTranslatorsNotesAreKeptAndAnUpsertsCreatedNoteOnlyWhenItCreates() {
        Upsert<Patient> patient = patient("9990000018", "Noted").notingWhenCreated("patient created");
        RecordChange.Origin origin = new RecordChange.Origin("test", "TRUSTEPR^RV5", "M1", null);

        AppliedChange first = writer.write(new RecordChange(origin, List.of(patient), Optional.empty(), List.of("unmapped: ZPI")));
        AppliedChange again = writer.write(new RecordChange(origin, List.of(patient), Optional.empty(), List.of("unmapped: ZPI")));

        assertThat(first.notes()).containsExactly("unmapped: ZPI", "patient created");
        assertThat(again.notes()).containsExactly("unmapped: ZPI");
    }

    @Test
    void aPatientWhoseGpIsSentAgainIsNotWrittenAgain() {
        Upsert<Organization> gp = practice("G85001");
        writer.write(change("M1", List.of(gp, patientWithGp("9990000018", gp, "2026-11-24T10:00:00Z"))));
        Upsert<Organization> sameGp = practice("G85001");

        // A later message saying the same: the practice's placeholder reference is not a change.
        AppliedChange again = writer.write(change("M2",
                List.of(sameGp, patientWithGp("9990000018", sameGp, "2026-11-24T11:00:00Z"))));

        assertThat(again.written()).isEmpty();
    }

    private static Upsert<Patient> patientWithGp(String nhsNumber, Upsert<Organization> gp, String sentAt) {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(NhsNumber.SYSTEM).setValue(nhsNumber);
        patient.addName().setFamily("WithGp");
        patient.setBirthDateElement(new DateType("1984-04-12"));
        patient.addGeneralPractitioner(new Reference(gp.reference())
                .setIdentifier(new org.hl7.fhir.r4.model.Identifier().setSystem(ODS).setValue("G85001")));
        return Upsert.of(Patient.class, Upsert.byIdentifier("Patient", NhsNumber.SYSTEM, nhsNumber),
                stored -> PatientMergeRule.merge(stored, new PatientContribution(patient, Set.of(), "test",
                        java.time.Instant.parse(sentAt))));
    }

    @Test
    void aRememberedPracticeThatWasDeletedIsLookedUpAgainAndCreated() {
        Upsert<Organization> gp = practice("G85001");
        writer.write(change("M1", List.of(gp, patientWithGp("9990000018", gp, "2026-11-24T10:00:00Z"))));
        store.delete(store.stored(Organization.class).get(0).getIdElement().toUnqualifiedVersionless().getValue());

        Upsert<Organization> again = practice("G85001");
        writer.write(change("M2", List.of(again, patientWithGp("9990000026", again, "2026-11-24T11:00:00Z"))));

        String gpOfSecond = store.patients("9990000026").get(0).getGeneralPractitionerFirstRep().getReference();
        assertThat(store.stored(Organization.class)).singleElement()
                .satisfies(org -> assertThat(org.getIdElement().toUnqualifiedVersionless().getValue()).isEqualTo(gpOfSecond));
    }

    @Test
    void aChangedPatientIsAVersionedUpdateThatReferencesStoredResourcesById() {
        writer.write(change("M1", List.of(practice("G85001"), patient("9990000018", "Before"))));
        Upsert<Patient> renamed = patient("9990000018", "After");

        writer.write(change("M2", List.of(practice("G85001"), renamed, encounter("V1", renamed))));

        Bundle second = store.applied().get(1);
        assertThat(second.getEntry()).extracting(e -> e.getResource().fhirType()).containsExactly("Patient", "Encounter", "Provenance");
        assertThat(second.getEntryFirstRep().getRequest().getIfMatch()).isEqualTo("W/\"1\"");
        Encounter encounter = (Encounter) second.getEntry().get(1).getResource();
        assertThat(encounter.getSubject().getReference()).startsWith("Patient/");
        assertThat(store.patients("9990000018").get(0).getNameFirstRep().getFamily()).isEqualTo("After");
    }

    @Test
    void aMergeRetiresOnePatientLinksBothAndMovesTheRetiredPatientsEncounters() {
        Upsert<Patient> retired = patient("9990000026", "Duplicate");
        writer.write(change("M1", List.of(retired, encounter("V1", retired))));
        Upsert<Patient> survivor = patient("9990000018", "Survivor");

        AppliedChange merged = writer.write(new RecordChange(
                new RecordChange.Origin("test", "TRUSTEPR^RV5", "M2", null), List.of(survivor),
                Optional.of(new RecordChange.PatientMerge(survivor.search(), retired.search()))));

        Patient kept = store.patients("9990000018").get(0);
        Patient gone = store.patients("9990000026").get(0);
        String keptId = kept.getIdElement().toUnqualifiedVersionless().getValue();
        String goneId = gone.getIdElement().toUnqualifiedVersionless().getValue();
        assertThat(gone.getActive()).isFalse();
        assertThat(gone.getLinkFirstRep().getType()).isEqualTo(Patient.LinkType.REPLACEDBY);
        assertThat(gone.getLinkFirstRep().getOther().getReference()).isEqualTo(keptId);
        assertThat(kept.getLinkFirstRep().getType()).isEqualTo(Patient.LinkType.REPLACES);
        assertThat(kept.getLinkFirstRep().getOther().getReference()).isEqualTo(goneId);
        assertThat(store.stored(Encounter.class).get(0).getSubject().getReference()).isEqualTo(keptId);
        assertThat(merged.notes()).containsExactly("merge: 1 resource(s) moved to the surviving patient");
    }

    @Test
    void aMergeWhoseRetiredPatientIsUnknownLinksNothing() {
        Upsert<Patient> survivor = patient("9990000018", "Survivor");

        AppliedChange merged = writer.write(new RecordChange(
                new RecordChange.Origin("test", "TRUSTEPR^RV5", "M1", null), List.of(survivor),
                Optional.of(new RecordChange.PatientMerge(survivor.search(),
                        Upsert.byIdentifier("Patient", NhsNumber.SYSTEM, "9990000026")))));

        assertThat(store.patients("9990000018").get(0).hasLink()).isFalse();
        assertThat(store.patients("9990000026")).isEmpty();
        assertThat(merged.notes()).singleElement().asString().contains("not in the record");
    }

    @Test
    void aConflictWithAConcurrentWriterIsReadAgainAndApplied() {
        AtomicInteger transactions = new AtomicInteger();
        RecordStore conflictingOnce = new RecordStore() {
            @Override
            public Bundle apply(Bundle transaction) {
                if (transactions.incrementAndGet() == 1) {
                    throw new RecordConflictException("someone else wrote it first", null);
                }
                return store.apply(transaction);
            }

            @Override
            public List<Resource> search(String searchUrl) {
                return store.search(searchUrl);
            }

            @Override
            public void removeTags(String reference, List<org.hl7.fhir.r4.model.Coding> tags) {
                store.removeTags(reference, tags);
            }
        };

        new RecordWriter(conflictingOnce).write(change("M1", List.of(patient("9990000018", "Eventually"))));

        assertThat(transactions).hasValue(2);
        assertThat(store.patients("9990000018")).hasSize(1);
    }
}
