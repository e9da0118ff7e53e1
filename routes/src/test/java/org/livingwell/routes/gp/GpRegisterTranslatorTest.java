package org.livingwell.routes.gp;

import static org.livingwell.routes.store.Upserts.apply;
import static org.livingwell.routes.store.Upserts.applyRaw;
import static org.livingwell.routes.store.Upserts.created;
import static org.livingwell.routes.store.Upserts.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.livingwell.routes.gp.GpRegisterFixtures.ROW_1;
import static org.livingwell.routes.gp.GpRegisterFixtures.ROW_2;
import static org.livingwell.routes.gp.GpRegisterFixtures.row;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.EpisodeOfCare.EpisodeOfCareStatus;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.livingwell.routes.gp.GpBatch.Mode;
import org.livingwell.routes.identity.PatientContribution;
import org.livingwell.routes.identity.PatientMergeRule;
import org.livingwell.routes.store.RecordChange;
import org.livingwell.routes.store.Upsert;

class GpRegisterTranslatorTest {

    static final GpBatch BATCH = new GpBatch("g85001", "B-2026-11-20", LocalDate.of(2026, 11, 20), Mode.FULL);

    private final GpRegisterTranslator translator = new GpRegisterTranslator();

    @Test
    void namesTheFeedThePracticeAndTheRowInTheOrigin() {
        RecordChange change = translator.translate(row(ROW_1), BATCH);

        assertThat(change.origin().feed()).isEqualTo("gp-smi-register");
        assertThat(change.origin().sender()).isEqualTo("G85001");
        assertThat(change.origin().messageId()).isEqualTo("B-2026-11-20:2");
        assertThat(change.origin().sentAt()).isEqualTo("2026-11-20");
        assertThat(change.upserts()).extracting(u -> (Object) u.type()).containsExactly(Organization.class, Patient.class,
                Condition.class, EpisodeOfCare.class, CarePlan.class, Procedure.class);
        assertThat(translator.translate(row(ROW_2), BATCH).upserts()).extracting(u -> (Object) u.type())
                .as("no care plan or health check date: neither resource")
                .containsExactly(Organization.class, Patient.class, Condition.class, EpisodeOfCare.class);
    }

    @Test
    void thePracticeIsCreatedOnceByOdsCode() {
        Upsert<?> practice = translator.translate(row(ROW_1), BATCH).upserts().get(0);

        assertThat(practice.search()).isEqualTo("Organization?identifier=https://fhir.nhs.uk/Id/ods-organization-code|G85001");
        assertThat(practice.createOnly()).isTrue();
    }

    @Test
    void thePatientIsWrittenThroughTheMergeRuleWithTheGpAsThePractice() {
        RecordChange change = translator.translate(row(ROW_1), BATCH);
        Patient patient = created(change, Patient.class);

        assertThat(upsert(change, Patient.class).search()).isEqualTo("Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9990000018");
        assertThat(patient.getMeta().hasProfile("https://fhir.livingwell.example/StructureDefinition/LWPatient")).isTrue();
        assertThat(patient.getNameFirstRep().getFamily()).isEqualTo("Testpatient");
        assertThat(patient.getNameFirstRep().getGivenAsSingleString()).isEqualTo("Alex");
        assertThat(patient.getBirthDateElement().getValueAsString()).isEqualTo("1985-03-04");
        assertThat(patient.getGender()).isEqualTo(AdministrativeGender.FEMALE);
        assertThat(patient.getAddressFirstRep().getPostalCode()).isEqualTo("SE11 5AA");
        assertThat(patient.getGeneralPractitionerFirstRep().getIdentifier().getValue()).isEqualTo("G85001");
        CodeableConcept ethnicity = (CodeableConcept) patient.getExtensionByUrl(PatientMergeRule.ETHNIC_CATEGORY_EXTENSION).getValue();
        assertThat(ethnicity.getCodingFirstRep().getSystem()).isEqualTo("https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland");
        assertThat(ethnicity.getCodingFirstRep().getCode()).isEqualTo("A");
        assertThat(ethnicity.getCodingFirstRep().getDisplay()).isEqualTo("White - British");
        assertThat(patient.getExtensionsByUrl(PatientMergeRule.ELEMENT_SOURCE))
                .anySatisfy(source -> assertThat(source.getExtensionString("feed")).isEqualTo("gp-smi-register"));
    }

    @Test
    void keepsWhatAnotherFeedWroteAndTakesThePracticeFromTheTrust() {
        // The trust wrote a full address with the same postcode, a middle name, a phone and a GP practice of its own.
        Patient trust = new Patient();
        trust.addIdentifier().setSystem("https://fhir.nhs.uk/Id/nhs-number").setValue("9990000018");
        trust.addIdentifier().setSystem("https://fhir.livingwell.example/Id/trust-mrn").setValue("M123");
        trust.addName().setFamily("TESTPATIENT").addGiven("ALEX").addGiven("JO");
        trust.addAddress().addLine("1 Test Street").setCity("London").setPostalCode("SE115AA");
        trust.addTelecom().setValue("020 7946 0000");
        trust.addGeneralPractitioner().getIdentifier().setSystem("https://fhir.nhs.uk/Id/ods-organization-code").setValue("G85999");
        Patient stored = PatientMergeRule.merge(Optional.empty(),
                new PatientContribution(trust, java.util.Set.of(), "trust-hl7", java.time.Instant.parse("2026-01-01T10:00:00Z")));

        Patient merged = apply(upsert(translator.translate(row(ROW_1), BATCH), Patient.class), stored);

        assertThat(merged.getIdentifier()).hasSize(2);
        assertThat(merged.getName()).singleElement().satisfies(name -> assertThat(name.getGiven()).hasSize(2));
        assertThat(merged.getAddressFirstRep().getLine()).as("same postcode: the full address stays").hasSize(1);
        assertThat(merged.getTelecom()).hasSize(1);
        assertThat(merged.getGeneralPractitionerFirstRep().getIdentifier().getValue()).as("the GP feed owns the practice")
                .isEqualTo("G85001");
    }

    @Test
    void theConditionIsTheDiagnosisOfThePatientAtThePractice() {
        RecordChange change = translator.translate(row(ROW_1), BATCH);
        Condition condition = created(change, Condition.class);

        assertThat(upsert(change, Condition.class).search()).isEqualTo(
                "Condition?identifier=https://fhir.livingwell.example/Id/gp-smi-register/condition|G85001-9990000018-58214004");
        assertThat(condition.getMeta().hasProfile("https://fhir.livingwell.example/StructureDefinition/LWCondition")).isTrue();
        assertThat(condition.getIdentifierFirstRep().getAssigner().getIdentifier().getValue()).isEqualTo("G85001");
        assertThat(condition.getCode().getCodingFirstRep().getSystem()).isEqualTo("http://snomed.info/sct");
        assertThat(condition.getCode().getCodingFirstRep().getCode()).isEqualTo("58214004");
        assertThat(condition.getCode().getCodingFirstRep().getDisplay()).isEqualTo("Schizophrenia");
        assertThat(condition.getClinicalStatus().getCodingFirstRep().getCode()).isEqualTo("active");
        assertThat(condition.getVerificationStatus().getCodingFirstRep().getCode()).isEqualTo("confirmed");
        assertThat(condition.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("problem-list-item");
        assertThat(condition.getOnsetDateTimeType().getValueAsString()).isEqualTo("2019-03-01");
        assertThat(condition.getSubject().getReference()).isEqualTo(upsert(change, Patient.class).reference());
        assertThat(created(translator.translate(row(ROW_2), BATCH), Condition.class).getClinicalStatus().getCodingFirstRep().getCode())
                .isEqualTo("resolved");
    }

    @Test
    void theEpisodeIsTheTimeOnThePracticesRegister() {
        RecordChange change = translator.translate(row(ROW_1), BATCH);
        EpisodeOfCare episode = created(change, EpisodeOfCare.class);

        assertThat(upsert(change, EpisodeOfCare.class).search()).isEqualTo(
                "EpisodeOfCare?identifier=https://fhir.livingwell.example/Id/gp-smi-register/episode|G85001-9990000018");
        assertThat(episode.getStatus()).isEqualTo(EpisodeOfCareStatus.ACTIVE);
        assertThat(episode.getTypeFirstRep().getCodingFirstRep().getCode()).isEqualTo("smi-register");
        assertThat(episode.getManagingOrganization().getIdentifier().getValue()).isEqualTo("G85001");
        assertThat(episode.getPeriod().getStartElement().getValueAsString()).isEqualTo("2019-03-14");
        assertThat(episode.getPeriod().hasEnd()).isFalse();
        assertThat(episode.getDiagnosisFirstRep().getCondition().getReference()).isEqualTo(upsert(change, Condition.class).reference());
    }

    @Test
    void aResolvedRowFinishesTheEpisodeOnTheExtractDateOnce() {
        EpisodeOfCare active = created(translator.translate(row(ROW_1), BATCH), EpisodeOfCare.class);
        String resolved = ROW_1.replace(",active,", ",resolved,");

        EpisodeOfCare finished = apply(upsert(translator.translate(row(resolved), BATCH), EpisodeOfCare.class), active);
        assertThat(finished.getStatus()).isEqualTo(EpisodeOfCareStatus.FINISHED);
        assertThat(finished.getPeriod().getEndElement().getValueAsString()).isEqualTo("2026-11-20");

        GpBatch later = new GpBatch("G85001", "B2", LocalDate.of(2026, 11, 27), Mode.FULL);
        EpisodeOfCare again = apply(upsert(translator.translate(row(resolved), later), EpisodeOfCare.class), finished);
        assertThat(again.getStatus()).isEqualTo(EpisodeOfCareStatus.FINISHED);
        assertThat(again.getPeriod().getEndElement().getValueAsString()).as("a later file saying resolved again does not move the end")
                .isEqualTo("2026-11-20");

        EpisodeOfCare reopened = apply(upsert(translator.translate(row(ROW_1), later), EpisodeOfCare.class), again);
        assertThat(reopened.getStatus()).as("back on the register").isEqualTo(EpisodeOfCareStatus.ACTIVE);
        assertThat(reopened.getPeriod().hasEnd()).isFalse();
    }

    @Test
    void theCarePlanAndTheHealthCheck() {
        RecordChange change = translator.translate(row(ROW_1), BATCH);
        CarePlan plan = created(change, CarePlan.class);
        Procedure check = created(change, Procedure.class);

        assertThat(upsert(change, CarePlan.class).search()).isEqualTo(
                "CarePlan?identifier=https://fhir.livingwell.example/Id/gp-smi-register/care-plan|G85001-9990000018");
        assertThat(plan.getStatus()).isEqualTo(CarePlan.CarePlanStatus.ACTIVE);
        assertThat(plan.getIntent()).isEqualTo(CarePlan.CarePlanIntent.PLAN);
        assertThat(plan.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("mental-health-care-plan");
        assertThat(plan.getCreatedElement().getValueAsString()).isEqualTo("2026-02-10");
        assertThat(plan.getAuthor().getIdentifier().getValue()).isEqualTo("G85001");

        assertThat(upsert(change, Procedure.class).search()).isEqualTo(
                "Procedure?identifier=https://fhir.livingwell.example/Id/gp-smi-register/health-check|G85001-9990000018-20260520");
        assertThat(check.getStatus()).isEqualTo(Procedure.ProcedureStatus.COMPLETED);
        assertThat(check.getCode().getCodingFirstRep().getCode()).isEqualTo("268565007");
        assertThat(check.getCode().getText()).isEqualTo("Serious mental illness annual physical health check");
        assertThat(check.getPerformedDateTimeType().getValueAsString()).isEqualTo("2026-05-20");
        assertThat(check.getPerformerFirstRep().getActor().getIdentifier().getValue()).isEqualTo("G85001");

        CarePlan older = apply(upsert(translator.translate(row(ROW_1.replace("2026-02-10", "2025-02-10")), BATCH), CarePlan.class), plan);
        assertThat(older.getCreatedElement().getValueAsString()).as("a late, older date does not move it back").isEqualTo("2026-02-10");
        CarePlan off = apply(upsert(translator.translate(row(ROW_1.replace(",active,", ",resolved,")), BATCH), CarePlan.class), plan);
        assertThat(off.getStatus()).isEqualTo(CarePlan.CarePlanStatus.COMPLETED);
    }

    @Test
    void everyUpdateAppliedToWhatItWroteChangesNothing() {
        for (String line : List.of(ROW_1, ROW_2, ROW_1.replace(",active,", ",resolved,"))) {
            RecordChange change = translator.translate(row(line), BATCH);
            for (Upsert<?> upsert : change.upserts()) {
                Resource first = applyRaw(upsert, Optional.empty());
                Resource second = applyRaw(upsert, Optional.of(first.copy()));
                assertThat(second.equalsDeep(first)).as("%s of %s", upsert.type().getSimpleName(), line).isTrue();
            }
        }
    }

    @Test
    void theSameRowFromAnotherTranslationChangesNothingEither() {
        // What the store does: the second translation's references are its own placeholders, replaced by stored ids.
        RecordChange first = translator.translate(row(ROW_1), BATCH);
        RecordChange second = translator.translate(row(ROW_1), BATCH);
        Patient patient = created(first, Patient.class);

        Patient again = apply(upsert(second, Patient.class), patient);

        assertThat(again.equalsDeep(patient)).isTrue();
    }

    @Test
    void aFullExtractEndsTheActiveEpisodesItOmitsAndADeltaEndsNone() {
        List<String> active = List.of("G85001-9990000018", "G85001-9990000026", "G85002-9990000034");
        List<String> seen = List.of(GpRegisterTranslator.episodeIdentifier(BATCH, row(ROW_1).nhsNumber()));

        List<RecordChange> endings = translator.endOmitted(BATCH, active, seen);

        assertThat(endings).singleElement().satisfies(change -> {
            assertThat(change.origin().messageId()).isEqualTo("B-2026-11-20:end:G85001-9990000026");
            Upsert<?> upsert = change.upserts().get(0);
            assertThat(upsert.search()).endsWith("/episode|G85001-9990000026");
            assertThat(applyRaw(upsert, Optional.empty())).as("nothing to end: nothing created").isNull();
            EpisodeOfCare episode = created(translator.translate(row(ROW_2.replace(",resolved,", ",active,")), BATCH), EpisodeOfCare.class);
            EpisodeOfCare ended = (EpisodeOfCare) applyRaw(upsert, Optional.of(episode));
            assertThat(ended.getStatus()).isEqualTo(EpisodeOfCareStatus.FINISHED);
            assertThat(ended.getPeriod().getEndElement().getValueAsString()).isEqualTo("2026-11-20");
            assertThat(((Resource) applyRaw(upsert, Optional.of(ended.copy()))).equalsDeep(ended)).isTrue();
        });
        assertThat(translator.endOmitted(new GpBatch("G85001", "D1", LocalDate.of(2026, 11, 20), Mode.DELTA), active, seen)).isEmpty();
    }
}
