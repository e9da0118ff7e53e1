package org.livingwell.routes.gp;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CarePlan.CarePlanIntent;
import org.hl7.fhir.r4.model.CarePlan.CarePlanStatus;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.EpisodeOfCare.EpisodeOfCareStatus;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.HumanName.NameUse;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Procedure.ProcedureStatus;
import org.hl7.fhir.r4.model.Reference;
import org.livingwell.routes.gp.GpBatch.Mode;
import org.livingwell.routes.gp.RegisterRow.RegisterStatus;
import org.livingwell.routes.identity.NhsNumber;
import org.livingwell.routes.identity.PatientContribution;
import org.livingwell.routes.identity.PatientMergeRule;
import org.livingwell.routes.store.RecordChange;
import org.livingwell.routes.store.RecordChange.Origin;
import org.livingwell.routes.store.Upsert;
import org.livingwell.routes.identity.OdsOrganization;
import org.livingwell.routes.codes.CodeMap;

/**
 * Turns one valid row of a practice's SMI register ({@link RegisterRow}) into the {@link RecordChange} that brings
 * the shared record up to date: the practice (created once), the Patient (through {@link PatientMergeRule}, the GP
 * feed owning {@code generalPractitioner}), the diagnosis (Condition), the time on the register (EpisodeOfCare), the
 * care plan (CarePlan) and the physical health check (Procedure). Also the full-extract rule: {@link #endOmitted}.
 *
 * <p>Pure and thread-safe. Every update function is idempotent: applied to what it wrote before, it returns an equal
 * resource, so a file sent twice writes nothing the second time. The resources other than the Patient belong to this
 * feed and the practice (their identifiers carry its ODS code): each update sets the elements this feed writes and
 * keeps any others. The mapping is tabled in routes/README.md ("The GP feed").
 */
public final class GpRegisterTranslator {

    /** The feed name in every change's Origin and Patient contribution. */
    public static final String FEED = PatientMergeRule.GP_FEED;

    static final String PROFILE_BASE = "https://fhir.livingwell.example/StructureDefinition/";
    public static final String PATIENT_PROFILE = PROFILE_BASE + "LWPatient";
    public static final String CONDITION_PROFILE = PROFILE_BASE + "LWCondition";
    public static final String EPISODE_PROFILE = PROFILE_BASE + "LWEpisodeOfCare";
    public static final String CARE_PLAN_PROFILE = PROFILE_BASE + "LWCarePlan";

    /** UK Core's code system for the NHS Data Dictionary ethnic categories (England), as the trust feed writes them. */
    public static final String ETHNIC_CATEGORY_SYSTEM = "https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland";

    public static final String EPISODE_TYPE_SYSTEM = "https://fhir.livingwell.example/CodeSystem/lw-episode-type";
    public static final String EPISODE_TYPE = "smi-register";
    public static final String CARE_PLAN_CATEGORY_SYSTEM = "https://fhir.livingwell.example/CodeSystem/lw-care-plan-category";
    public static final String CARE_PLAN_CATEGORY = "mental-health-care-plan";

    /**
     * The physical health check's code: SNOMED CT 268565007 |Adult health examination (procedure)|, an
     * international concept; the SMI-specific meaning is in {@code code.text}. (The UK extension has SMI-specific
     * health-check concepts in the QOF clusters, but none could be confirmed offline: see routes/README.md.)
     */
    public static final String HEALTH_CHECK_CODE = "268565007";
    public static final String HEALTH_CHECK_DISPLAY = "Adult health examination";
    public static final String HEALTH_CHECK_TEXT = "Serious mental illness annual physical health check";

    static final String CLINICAL_STATUS_SYSTEM = "http://terminology.hl7.org/CodeSystem/condition-clinical";
    static final String VERIFICATION_STATUS_SYSTEM = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
    static final String CONDITION_CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/condition-category";

    private static final CodeMap ETHNIC_CATEGORIES = CodeMap.load("nhs-ethnic-category-to-display");

    /**
     * What the row does to the shared record.
     *
     * @param row a valid row of the batch's file
     */
    public RecordChange translate(RegisterRow row, GpBatch batch) {
        Origin origin = new Origin(FEED, batch.practiceOds(), batch.batchId() + ":" + row.line(), batch.extractDate().toString());
        OdsOrganization practice = OdsOrganization.of(batch.practiceOds(), null);
        Reference practiceRef = practice.reference();

        Upsert<Patient> patient = Upsert.of(Patient.class,
                Upsert.byIdentifier("Patient", NhsNumber.SYSTEM, row.nhsNumber().value()),
                stored -> PatientMergeRule.merge(stored, contribution(row, batch, practiceRef, stored)));
        Reference subject = new Reference(patient.reference())
                .setIdentifier(new Identifier().setSystem(NhsNumber.SYSTEM).setValue(row.nhsNumber().value()));

        String conditionId = GpIdentifiers.condition(batch.practiceOds(), row.nhsNumber(), row.diagnosisCode());
        Upsert<Condition> condition = Upsert.of(Condition.class,
                Upsert.byIdentifier("Condition", GpIdentifiers.CONDITION_SYSTEM, conditionId),
                stored -> condition(stored, row, conditionId, subject, practiceRef));
        Reference conditionRef = new Reference(condition.reference())
                .setIdentifier(new Identifier().setSystem(GpIdentifiers.CONDITION_SYSTEM).setValue(conditionId));

        String episodeId = GpIdentifiers.episode(batch.practiceOds(), row.nhsNumber());
        Upsert<EpisodeOfCare> episode = Upsert.of(EpisodeOfCare.class,
                Upsert.byIdentifier("EpisodeOfCare", GpIdentifiers.EPISODE_SYSTEM, episodeId),
                stored -> episode(stored, row, batch, episodeId, subject, practiceRef, conditionRef));

        List<Upsert<?>> upserts = new ArrayList<>(List.of(practice.upsert(), patient, condition, episode));
        row.carePlanDate().ifPresent(date -> {
            String carePlanId = GpIdentifiers.carePlan(batch.practiceOds(), row.nhsNumber());
            upserts.add(Upsert.of(CarePlan.class, Upsert.byIdentifier("CarePlan", GpIdentifiers.CARE_PLAN_SYSTEM, carePlanId),
                    stored -> carePlan(stored, row, date, carePlanId, subject, practiceRef, conditionRef)));
        });
        row.physicalHealthCheckDate().ifPresent(date -> {
            String checkId = GpIdentifiers.healthCheck(batch.practiceOds(), row.nhsNumber(), date);
            upserts.add(Upsert.of(Procedure.class, Upsert.byIdentifier("Procedure", GpIdentifiers.HEALTH_CHECK_SYSTEM, checkId),
                    stored -> healthCheck(stored, date, checkId, subject, practiceRef, conditionRef)));
        });
        return new RecordChange(origin, upserts);
    }

    /**
     * The full-extract rule: a full file is the practice's whole register, so a patient whose register episode is
     * active in the record but who is not in the file has left the register. One change per such episode: it
     * finishes the episode ({@code status finished}, {@code period.end} the extract date), if it is still active when
     * the change is applied. A delta file ends no one (empty list), and episodes of other practices are never touched.
     *
     * @param activeEpisodes identifier values ({@link GpIdentifiers#EPISODE_SYSTEM}) of the practice's active register
     *     episodes in the record, e.g. from {@code EpisodeOfCare?status=active&identifier=<system>|} and the practice
     * @param seenEpisodes identifier values of the patients the file names ({@link #episodeIdentifier}); include the
     *     rows that failed validation but have a valid NHS number ({@link ParsedRow#nhsNumber()}), or a typo in one
     *     value would take a patient off the register. A row without a valid NHS number names no one: the caller
     *     should not apply this rule to a file that has such rows.
     */
    public List<RecordChange> endOmitted(GpBatch batch, Collection<String> activeEpisodes, Collection<String> seenEpisodes) {
        if (batch.mode() != Mode.FULL) {
            return List.of();
        }
        Set<String> seen = Set.copyOf(seenEpisodes);
        String practicePrefix = batch.practiceOds() + "-";
        return activeEpisodes.stream().distinct().sorted()
                .filter(id -> id.startsWith(practicePrefix) && !seen.contains(id))
                .map(id -> new RecordChange(
                        new Origin(FEED, batch.practiceOds(), batch.batchId() + ":end:" + id, batch.extractDate().toString()),
                        List.of(Upsert.of(EpisodeOfCare.class, Upsert.byIdentifier("EpisodeOfCare", GpIdentifiers.EPISODE_SYSTEM, id),
                                stored -> stored.map(episode -> finished(episode, batch.extractDate())).orElse(null)))))
                .toList();
    }

    /** The identifier value of the practice's register episode for a patient, as {@link #endOmitted} compares them. */
    public static String episodeIdentifier(GpBatch batch, NhsNumber nhsNumber) {
        return GpIdentifiers.episode(batch.practiceOds(), nhsNumber);
    }

    /**
     * What the row says about the patient. A name or postcode the record already holds is no news, so the register's
     * bare name and postcode-only address do not replace a fuller one another feed wrote (a trust's address, a
     * middle name); a different one replaces it (newer wins, by the extract date).
     */
    private static PatientContribution contribution(RegisterRow row, GpBatch batch, Reference practice, Optional<Patient> stored) {
        Patient patient = new Patient();
        patient.getMeta().addProfile(PATIENT_PROFILE);
        patient.addIdentifier().setSystem(NhsNumber.SYSTEM).setValue(row.nhsNumber().value());
        boolean nameKnown = stored.map(p -> p.getName().stream().anyMatch(name -> sameName(name, row))).orElse(false);
        if (!nameKnown) {
            patient.addName().setUse(NameUse.OFFICIAL).setFamily(row.familyName()).addGiven(row.givenName());
        }
        boolean postcodeKnown = stored.map(p -> p.getAddress().stream().anyMatch(address -> samePostcode(address, row))).orElse(false);
        if (!postcodeKnown) {
            patient.addAddress().setUse(Address.AddressUse.HOME).setPostalCode(row.postcode());
        }
        patient.setBirthDateElement(new DateType(row.dateOfBirth().toString()));
        patient.setGender(row.sex());
        patient.addGeneralPractitioner(practice.copy());
        row.ethnicCategory().ifPresent(code -> patient.addExtension(PatientMergeRule.ETHNIC_CATEGORY_EXTENSION,
                new CodeableConcept(new Coding(ETHNIC_CATEGORY_SYSTEM, code, ETHNIC_CATEGORIES.lookup(code).orElse(null)))));
        Instant extracted = batch.extractDate().atStartOfDay(RegisterRowValidator.ENGLAND).toInstant();
        return new PatientContribution(patient, Set.of(), FEED, extracted);
    }

    private static boolean sameName(HumanName name, RegisterRow row) {
        return name.getUse() != NameUse.NICKNAME && name.getUse() != NameUse.OLD && name.getUse() != NameUse.MAIDEN
                && row.familyName().equalsIgnoreCase(name.getFamily())
                && !name.getGiven().isEmpty() && row.givenName().equalsIgnoreCase(name.getGiven().get(0).getValue());
    }

    private static boolean samePostcode(Address address, RegisterRow row) {
        return address.getUse() != Address.AddressUse.OLD && address.hasPostalCode()
                && address.getPostalCode().replace(" ", "").equalsIgnoreCase(row.postcode().replace(" ", ""));
    }

    private static Condition condition(Optional<Condition> stored, RegisterRow row, String id, Reference subject, Reference practice) {
        Condition condition = stored.orElseGet(Condition::new);
        declare(condition, CONDITION_PROFILE);
        if (!hasIdentifier(condition.getIdentifier(), GpIdentifiers.CONDITION_SYSTEM, id)) {
            // R4 lets neither recorder nor asserter be an Organization: the practice is the identifier's assigner.
            condition.addIdentifier().setSystem(GpIdentifiers.CONDITION_SYSTEM).setValue(id).setAssigner(practice.copy());
        }
        String status = row.status() == RegisterStatus.ACTIVE ? "active" : "resolved";
        condition.setClinicalStatus(new CodeableConcept(new Coding(CLINICAL_STATUS_SYSTEM, status, null)));
        condition.setVerificationStatus(new CodeableConcept(new Coding(VERIFICATION_STATUS_SYSTEM, "confirmed", null)));
        boolean onProblemList = condition.getCategory().stream()
                .anyMatch(category -> category.hasCoding(CONDITION_CATEGORY_SYSTEM, "problem-list-item"));
        if (!onProblemList) {
            condition.addCategory(new CodeableConcept(new Coding(CONDITION_CATEGORY_SYSTEM, "problem-list-item", null)));
        }
        condition.setCode(new CodeableConcept(new Coding(SmiDiagnoses.SNOMED, row.diagnosisCode(),
                SmiDiagnoses.get().display(row.diagnosisCode()).orElse(null))));
        condition.setSubject(subject.copy());
        condition.setOnset(day(row.diagnosisDate()));
        return condition;
    }

    /**
     * The patient's time on the practice's register: active from the register date; a resolved row finishes it on the
     * extract date of the first file that shows it resolved (the file does not say when it was resolved), and later
     * files do not move that end; an active row after that re-opens it (the practice put the patient back).
     */
    private static EpisodeOfCare episode(Optional<EpisodeOfCare> stored, RegisterRow row, GpBatch batch, String id,
            Reference subject, Reference practice, Reference condition) {
        EpisodeOfCare episode = stored.orElseGet(EpisodeOfCare::new);
        declare(episode, EPISODE_PROFILE);
        if (!hasIdentifier(episode.getIdentifier(), GpIdentifiers.EPISODE_SYSTEM, id)) {
            episode.addIdentifier().setSystem(GpIdentifiers.EPISODE_SYSTEM).setValue(id);
        }
        episode.setType(new ArrayList<>(List.of(new CodeableConcept(new Coding(EPISODE_TYPE_SYSTEM, EPISODE_TYPE, "On the GP SMI register")))));
        episode.setPatient(subject.copy());
        episode.setManagingOrganization(practice.copy());
        episode.getPeriod().setStartElement(day(row.registerDate()));
        episode.setDiagnosis(new ArrayList<>());
        episode.addDiagnosis().setCondition(condition.copy());
        if (row.status() == RegisterStatus.ACTIVE) {
            episode.setStatus(EpisodeOfCareStatus.ACTIVE);
            episode.getPeriod().setEndElement(null);
        } else if (episode.getStatus() != EpisodeOfCareStatus.FINISHED) {
            finished(episode, batch.extractDate());
        } else if (episode.getPeriod().hasEnd() && episode.getPeriod().getEnd().before(episode.getPeriod().getStart())) {
            episode.getPeriod().setEndElement(day(row.registerDate()));
        }
        return episode;
    }

    /** Finishes an active episode on the day, never before it started; a finished or cancelled one is left as it is. */
    private static EpisodeOfCare finished(EpisodeOfCare episode, LocalDate end) {
        if (episode.getStatus() == EpisodeOfCareStatus.FINISHED || episode.getStatus() == EpisodeOfCareStatus.CANCELLED) {
            return episode;
        }
        episode.setStatus(EpisodeOfCareStatus.FINISHED);
        DateTimeType endDay = day(end);
        if (episode.getPeriod().hasStart() && endDay.getValue().before(episode.getPeriod().getStart())) {
            endDay = episode.getPeriod().getStartElement().copy();
        }
        episode.getPeriod().setEndElement(endDay);
        return episode;
    }

    /**
     * The practice's current SMI care plan for the patient: one per patient per practice, dated by the latest care
     * plan date seen (an older date, from a late file, does not move it back); completed once the patient is off the
     * register.
     */
    private static CarePlan carePlan(Optional<CarePlan> stored, RegisterRow row, LocalDate date, String id,
            Reference subject, Reference practice, Reference condition) {
        CarePlan plan = stored.orElseGet(CarePlan::new);
        declare(plan, CARE_PLAN_PROFILE);
        if (!hasIdentifier(plan.getIdentifier(), GpIdentifiers.CARE_PLAN_SYSTEM, id)) {
            plan.addIdentifier().setSystem(GpIdentifiers.CARE_PLAN_SYSTEM).setValue(id);
        }
        plan.setStatus(row.status() == RegisterStatus.ACTIVE ? CarePlanStatus.ACTIVE : CarePlanStatus.COMPLETED);
        plan.setIntent(CarePlanIntent.PLAN);
        boolean categorised = plan.getCategory().stream()
                .anyMatch(category -> category.hasCoding(CARE_PLAN_CATEGORY_SYSTEM, CARE_PLAN_CATEGORY));
        if (!categorised) {
            plan.addCategory(new CodeableConcept(new Coding(CARE_PLAN_CATEGORY_SYSTEM, CARE_PLAN_CATEGORY, "Mental health care plan")));
        }
        plan.setSubject(subject.copy());
        plan.setAuthor(practice.copy());
        java.util.Date day = java.sql.Date.valueOf(date);
        if (!plan.hasCreated() || plan.getCreated().before(day)) {
            plan.setCreatedElement(day(date));
        }
        plan.setAddresses(new ArrayList<>(List.of(condition.copy())));
        return plan;
    }

    private static Procedure healthCheck(Optional<Procedure> stored, LocalDate date, String id, Reference subject,
            Reference practice, Reference condition) {
        Procedure check = stored.orElseGet(Procedure::new);
        if (!hasIdentifier(check.getIdentifier(), GpIdentifiers.HEALTH_CHECK_SYSTEM, id)) {
            check.addIdentifier().setSystem(GpIdentifiers.HEALTH_CHECK_SYSTEM).setValue(id);
        }
        check.setStatus(ProcedureStatus.COMPLETED);
        check.setCode(new CodeableConcept(new Coding(SmiDiagnoses.SNOMED, HEALTH_CHECK_CODE, HEALTH_CHECK_DISPLAY))
                .setText(HEALTH_CHECK_TEXT));
        check.setSubject(subject.copy());
        check.setPerformed(day(date));
        check.setPerformer(new ArrayList<>());
        check.addPerformer().setActor(practice.copy());
        check.setReasonReference(new ArrayList<>(List.of(condition.copy())));
        return check;
    }

    private static void declare(DomainResource resource, String profile) {
        if (!resource.getMeta().hasProfile(profile)) {
            resource.getMeta().addProfile(profile);
        }
    }

    private static boolean hasIdentifier(List<Identifier> identifiers, String system, String value) {
        return identifiers.stream().anyMatch(identifier -> system.equals(identifier.getSystem()) && value.equals(identifier.getValue()));
    }

    /** A day as a FHIR dateTime of day precision ({@code 2024-03-14}), as the profiles' examples write dates. */
    private static DateTimeType day(LocalDate date) {
        return new DateTimeType(date.toString());
    }
}
