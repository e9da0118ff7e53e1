package org.livingwell.routes.council;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CarePlan.CarePlanActivityComponent;
import org.hl7.fhir.r4.model.CarePlan.CarePlanActivityDetailComponent;
import org.hl7.fhir.r4.model.CarePlan.CarePlanActivityStatus;
import org.hl7.fhir.r4.model.CarePlan.CarePlanIntent;
import org.hl7.fhir.r4.model.CarePlan.CarePlanStatus;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.Enumerations.ConceptMapEquivalence;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Duration;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.EpisodeOfCare.EpisodeOfCareStatus;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName.NameUse;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Money;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.Task.TaskIntent;
import org.hl7.fhir.r4.model.Task.TaskStatus;
import org.livingwell.routes.codes.CodeMap;
import org.livingwell.routes.council.CldValues.Concept;
import org.livingwell.routes.council.CouncilCase.Event;
import org.livingwell.routes.gp.RegisterRowValidator;
import org.livingwell.routes.identity.NhsNumber;
import org.livingwell.routes.identity.OdsOrganization;
import org.livingwell.routes.identity.PatientContribution;
import org.livingwell.routes.identity.PatientMergeRule;
import org.livingwell.routes.store.RecordChange;
import org.livingwell.routes.store.RecordChange.Origin;
import org.livingwell.routes.store.RecordChange.PatientMerge;
import org.livingwell.routes.store.Upsert;

/**
 * Turns one checked council case ({@link CouncilCase}) into the {@link RecordChange} that brings the shared record up
 * to date: the council (created once), the Patient (through {@link PatientMergeRule}), the person's social-care
 * involvement (EpisodeOfCare), one Task per request, assessment and review, and the support plan (CarePlan, one activity
 * per service, with the personal budget where the service is taken as one).
 *
 * <p>A person without an NHS number is kept under the council's person id and tagged {@link #UNMATCHED}; the first case
 * that brings the number merges that Patient into the one the NHS number names (or gives it the number, if no other
 * Patient has it), so one NHS number stays one Patient.
 *
 * <p>Pure and thread-safe. Every update function is idempotent (the same case again writes nothing), and keyed on the
 * council's ids: an event is the same event however often it comes. The mapping is tabled in routes/README.md ("The
 * council feed").
 */
public final class CouncilTranslator {

    /** The feed in every change's Origin, the message log and Patient contributions. */
    public static final String FEED = "council-social-care";

    static final String BASE = "https://fhir.livingwell.example/";
    public static final String PATIENT_PROFILE = BASE + "StructureDefinition/LWPatient";
    public static final String EPISODE_PROFILE = BASE + "StructureDefinition/LWEpisodeOfCare";
    public static final String CARE_PLAN_PROFILE = BASE + "StructureDefinition/LWCarePlan";
    public static final String PERSONAL_BUDGET = BASE + "StructureDefinition/LWPersonalBudget";

    /** The tag on a Patient the council knows without an NHS number. */
    public static final Coding UNMATCHED = new Coding(BASE + "CodeSystem/lw-match-status", "unmatched",
            "Not yet matched to an NHS number");

    static final String EPISODE_TYPE_SYSTEM = BASE + "CodeSystem/lw-episode-type";
    static final String CARE_PLAN_CATEGORY_SYSTEM = BASE + "CodeSystem/lw-care-plan-category";
    static final String DELIVERY_MECHANISM_SYSTEM = BASE + "CodeSystem/lw-delivery-mechanism";
    static final String UCUM = "http://unitsofmeasure.org";
    static final String ETHNIC_CATEGORY_SYSTEM = "https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland";

    /** The CLD delivery mechanisms that are personal budgets, and what our LWPersonalBudget calls them. */
    private static final Map<String, String> PERSONAL_BUDGETS = Map.of(
            "direct-payment", "direct-payment", "cassr-managed-personal-budget", "council-managed");

    private static final CodeMap ETHNIC_CATEGORIES = CodeMap.load("nhs-ethnic-category-to-display");
    private static final Map<String, String> CENSUS_TO_ETHNIC_CATEGORY = censusMap();

    private final String councilOds;
    private final String councilName;
    private final CouncilIdentifiers ids;
    private final Clock clock;

    /**
     * @param councilOds the council's ODS code: its Organization, and the namespace of its person and event ids
     * @param councilName the Organization's name
     */
    public CouncilTranslator(String councilOds, String councilName, Clock clock) {
        this.councilOds = Objects.requireNonNull(councilOds, "councilOds");
        this.councilName = councilName;
        this.ids = new CouncilIdentifiers(councilOds);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Today is today in England: an event whose end date is after it has a planned end and is still going on. */
    public CouncilTranslator(String councilOds, String councilName) {
        this(councilOds, councilName, Clock.system(RegisterRowValidator.ENGLAND));
    }

    public CouncilIdentifiers identifiers() {
        return ids;
    }

    /**
     * What the case does to the record.
     *
     * @param messageId the case's id in the message log (API: person id and updatedAt; file: batch and line)
     */
    public RecordChange translate(CouncilCase person, String messageId) {
        Instant sourceTime = person.updatedAt().orElseGet(() -> latestDay(person).atStartOfDay(ZoneOffset.UTC).toInstant());
        Origin origin = new Origin(FEED, councilOds, messageId, sourceTime.toString());
        LocalDate today = LocalDate.now(clock);
        OdsOrganization council = OdsOrganization.of(councilOds, councilName);
        Reference councilRef = council.reference();
        List<String> notes = new ArrayList<>();

        Optional<NhsNumber> nhsNumber = person.nhsNumber();
        String patientSearch = nhsNumber.map(number -> Upsert.byIdentifier("Patient", NhsNumber.SYSTEM, number.value()))
                .orElseGet(() -> ids.activePersonSearch(person.personId()));
        PatientContribution contribution = contribution(person, sourceTime, notes);
        Upsert<Patient> patient = Upsert.of(Patient.class, patientSearch, stored -> {
            Patient merged = PatientMergeRule.merge(stored, contribution);
            if (merged.getIdentifier().stream().anyMatch(identifier -> NhsNumber.SYSTEM.equals(identifier.getSystem()))) {
                merged.getMeta().getTag().removeIf(tag -> UNMATCHED.getSystem().equals(tag.getSystem()));
            }
            return merged;
        });
        Reference subject = new Reference(patient.reference());

        Upsert<EpisodeOfCare> episode = Upsert.of(EpisodeOfCare.class,
                Upsert.byIdentifier("EpisodeOfCare", ids.episodeSystem(), person.personId()),
                stored -> episode(stored, person, subject, councilRef, ids, today));

        List<Upsert<?>> upserts = new ArrayList<>(List.of(council.upsert(), patient, episode));
        for (Event event : person.events()) {
            if (!event.isService()) {
                upserts.add(Upsert.of(Task.class, Upsert.byIdentifier("Task", ids.eventSystem(), event.eventId()),
                        stored -> task(stored, event, person, subject, councilRef, today)));
            }
        }
        List<Event> services = person.events().stream().filter(Event::isService).toList();
        if (!services.isEmpty()) {
            services.stream().filter(service -> isPersonalBudget(service) && budget(service).isEmpty())
                    .forEach(service -> notes.add("service event " + service.eventId() + " is a personal budget without a"
                            + " unit cost and cost frequency that give an amount per period: no LWPersonalBudget written"));
            upserts.add(Upsert.of(CarePlan.class, Upsert.byIdentifier("CarePlan", ids.supportPlanSystem(), person.personId()),
                    stored -> supportPlan(stored, services, person, subject, councilRef, ids, today)));
        }
        // A Patient kept under the council's person id until now becomes one with the Patient of the NHS number.
        Optional<PatientMerge> merge = nhsNumber.map(number -> new PatientMerge(patientSearch, ids.unmatchedPersonSearch(person.personId())));
        return new RecordChange(origin, upserts, merge, notes);
    }

    private PatientContribution contribution(CouncilCase person, Instant sourceTime, List<String> notes) {
        Patient patient = new Patient();
        patient.getMeta().addProfile(PATIENT_PROFILE);
        if (person.nhsNumber().isEmpty()) {
            patient.getMeta().addTag(UNMATCHED.copy());
        }
        person.nhsNumber().ifPresent(number -> patient.addIdentifier().setSystem(NhsNumber.SYSTEM).setValue(number.value()));
        patient.addIdentifier().setSystem(ids.personSystem()).setValue(person.personId());
        patient.addName().setUse(NameUse.OFFICIAL).setFamily(person.familyName()).addGiven(person.givenName());
        patient.setBirthDateElement(new DateType(person.dateOfBirth().toString()));
        patient.setGender(person.gender());
        patient.addAddress().setUse(Address.AddressUse.HOME).setPostalCode(person.postcode());
        person.ethnicity().ifPresent(text -> patient.addExtension(PatientMergeRule.ETHNIC_CATEGORY_EXTENSION, ethnicCategory(text, notes)));
        return new PatientContribution(patient, Set.of(), FEED, sourceTime);
    }

    /**
     * The UK Core ethnic category of a 2021 census category (ConceptMap {@code lw-census-2021-to-ethnic-category});
     * a category without an England equivalent, or a value that is no census category, is kept as text and noted.
     */
    private static CodeableConcept ethnicCategory(String text, List<String> notes) {
        Optional<Concept> census = CldValues.CENSUS_ETHNICITY.find(text);
        String category = census.map(concept -> CENSUS_TO_ETHNIC_CATEGORY.get(concept.code())).orElse(null);
        if (category != null) {
            return new CodeableConcept(new Coding(ETHNIC_CATEGORY_SYSTEM, category, ETHNIC_CATEGORIES.lookup(category).orElse(null)))
                    .setText(census.get().display());
        }
        CodeableConcept kept = new CodeableConcept().setText(census.map(Concept::display).orElse(text));
        census.ifPresent(concept -> kept.addCoding(concept.coding()));
        notes.add(census.isPresent()
                ? "ethnicity \"" + census.get().display() + "\" has no England ethnic category: kept as text"
                : "ethnicity is not a 2021 census category: kept as text");
        return kept;
    }

    /**
     * The person's involvement with the council's adult social care: from the first event known, active while an event
     * is open or the last one ended with a next step planned, finished when the last event ended with no further action
     * (an outcome the CLD list marks {@code closes}). A case older than a stored closure leaves it alone.
     */
    private static EpisodeOfCare episode(Optional<EpisodeOfCare> stored, CouncilCase person, Reference subject, Reference council,
            CouncilIdentifiers ids, LocalDate today) {
        EpisodeOfCare episode = stored.orElseGet(EpisodeOfCare::new);
        declare(episode.getMeta(), EPISODE_PROFILE);
        if (!hasIdentifier(episode.getIdentifier(), ids.episodeSystem(), person.personId())) {
            episode.addIdentifier().setSystem(ids.episodeSystem()).setValue(person.personId());
        }
        episode.setType(new ArrayList<>(List.of(new CodeableConcept(
                new Coding(EPISODE_TYPE_SYSTEM, "council-social-care", "Council social-care involvement")))));
        episode.setPatient(subject.copy());
        episode.setManagingOrganization(council.copy());
        LocalDate first = person.events().stream().map(Event::start).min(Comparator.naturalOrder()).orElseThrow();
        if (!episode.getPeriod().hasStart() || first.isBefore(localDate(episode.getPeriod().getStartElement()))) {
            episode.getPeriod().setStartElement(day(first));
        }
        LocalDate latest = latestDay(person);
        boolean storedClosureIsNewer = episode.getStatus() == EpisodeOfCareStatus.FINISHED && episode.getPeriod().hasEnd()
                && !localDate(episode.getPeriod().getEndElement()).isBefore(latest);
        if (!storedClosureIsNewer) {
            Optional<Event> last = person.events().stream().filter(event -> ended(event, today))
                    .max(Comparator.comparing((Event event) -> event.end().get()).thenComparing(Event::start));
            boolean open = person.events().stream().anyMatch(event -> !ended(event, today));
            boolean closed = !open && last.flatMap(Event::outcome).map(outcome -> outcome.is("closes")).orElse(false);
            if (closed) {
                episode.setStatus(EpisodeOfCareStatus.FINISHED);
                episode.getPeriod().setEndElement(day(last.get().end().get()));
            } else {
                episode.setStatus(EpisodeOfCareStatus.ACTIVE);
                episode.getPeriod().setEndElement(null);
            }
        }
        return episode;
    }

    /** A request, assessment or review: a Task of the council's, done when the event has ended, its outcome the business status. */
    private Task task(Optional<Task> stored, Event event, CouncilCase person, Reference subject, Reference council, LocalDate today) {
        Task task = stored.orElseGet(Task::new);
        if (!hasIdentifier(task.getIdentifier(), ids.eventSystem(), event.eventId())) {
            task.addIdentifier().setSystem(ids.eventSystem()).setValue(event.eventId());
        }
        // Events do not re-open: an end the record holds stays, though an older source says nothing of it.
        boolean endedBefore = task.getStatus() == TaskStatus.COMPLETED && task.getExecutionPeriod().hasEnd();
        Optional<LocalDate> end = event.end().isPresent() || !endedBefore
                ? event.end() : Optional.of(localDate(task.getExecutionPeriod().getEndElement()));
        task.setStatus(end.filter(day -> !day.isAfter(today)).isPresent() ? TaskStatus.COMPLETED : TaskStatus.INPROGRESS);
        task.setIntent(TaskIntent.ORDER);
        task.setCode(new CodeableConcept(event.type().coding()).setText("Adult social care " + event.type().display().toLowerCase()));
        task.setBusinessStatus(event.outcome().map(outcome -> new CodeableConcept(outcome.coding())).orElse(null));
        task.setFor(subject.copy());
        task.setOwner(council.copy());
        task.setRequester(null);
        task.setReasonCode(new CodeableConcept(person.primarySupportReason().coding()));
        Period period = new Period().setStartElement(day(event.start()));
        end.ifPresent(day -> period.setEndElement(day(day)));
        task.setExecutionPeriod(period);
        task.setAuthoredOnElement(day(event.start()));
        return task;
    }

    /**
     * The person's support plan: one activity per service event (its element id names the event), with the service
     * type, its period and, for a personal budget, the LWPersonalBudget extension. Activities of services this case does
     * not carry are kept. Active while a service is; completed when all have ended.
     */
    private static CarePlan supportPlan(Optional<CarePlan> stored, List<Event> services, CouncilCase person, Reference subject,
            Reference council, CouncilIdentifiers ids, LocalDate today) {
        CarePlan plan = stored.orElseGet(CarePlan::new);
        declare(plan.getMeta(), CARE_PLAN_PROFILE);
        String system = ids.supportPlanSystem();
        if (!hasIdentifier(plan.getIdentifier(), system, person.personId())) {
            plan.addIdentifier().setSystem(system).setValue(person.personId());
        }
        plan.setIntent(CarePlanIntent.PLAN);
        plan.setTitle("Care and support plan");
        if (plan.getCategory().stream().noneMatch(category -> category.hasCoding(CARE_PLAN_CATEGORY_SYSTEM, "care-and-support-plan"))) {
            plan.addCategory(new CodeableConcept(new Coding(CARE_PLAN_CATEGORY_SYSTEM, "care-and-support-plan", "Care and support plan")));
        }
        plan.setSubject(subject.copy());
        plan.setAuthor(council.copy());
        Map<String, CarePlanActivityComponent> activities = new java.util.LinkedHashMap<>();
        plan.getActivity().forEach(activity -> activities.put(activity.getId(), activity));
        for (Event service : services) {
            activities.put(activityId(service), activity(service, activities.get(activityId(service)), today));
        }
        List<CarePlanActivityComponent> sorted = new ArrayList<>(activities.values());
        sorted.sort(Comparator.comparing((CarePlanActivityComponent activity) -> activity.getDetail().getScheduledPeriod().getStart(),
                Comparator.nullsLast(Comparator.naturalOrder())).thenComparing(CarePlanActivityComponent::getId, Comparator.nullsLast(Comparator.naturalOrder())));
        plan.setActivity(sorted);
        boolean ongoing = sorted.stream().anyMatch(activity -> activity.getDetail().getStatus() == CarePlanActivityStatus.INPROGRESS);
        plan.setStatus(ongoing ? CarePlanStatus.ACTIVE : CarePlanStatus.COMPLETED);
        Period period = new Period();
        sorted.stream().map(activity -> activity.getDetail().getScheduledPeriod().getStartElement())
                .filter(start -> start.getValue() != null).min(Comparator.comparing(DateTimeType::getValue))
                .ifPresent(start -> period.setStartElement(start.copy()));
        if (!ongoing) {
            sorted.stream().map(activity -> activity.getDetail().getScheduledPeriod().getEndElement())
                    .filter(end -> end.getValue() != null).max(Comparator.comparing(DateTimeType::getValue))
                    .ifPresent(end -> period.setEndElement(end.copy()));
        }
        plan.setPeriod(period);
        return plan;
    }

    private static CarePlanActivityComponent activity(Event service, CarePlanActivityComponent stored, LocalDate today) {
        CarePlanActivityComponent activity = new CarePlanActivityComponent();
        activity.setId(activityId(service));
        CarePlanActivityDetailComponent detail = activity.getDetail();
        service.serviceType().ifPresent(type -> detail.setCode(new CodeableConcept(type.coding())));
        List<String> description = new ArrayList<>();
        service.serviceComponent().ifPresent(component -> description.add(component.display()));
        service.deliveryMechanism().ifPresent(mechanism -> description.add(mechanism.display()));
        detail.setDescription(description.isEmpty() ? null : String.join("; ", description));
        // Services do not re-open: an end the record holds stays, though an older source says nothing of it.
        Optional<LocalDate> end = service.end().isPresent() || stored == null || !stored.getDetail().getScheduledPeriod().hasEnd()
                ? service.end() : Optional.of(localDate(stored.getDetail().getScheduledPeriod().getEndElement()));
        detail.setStatus(end.filter(day -> !day.isAfter(today)).isPresent() ? CarePlanActivityStatus.COMPLETED : CarePlanActivityStatus.INPROGRESS);
        Period scheduled = new Period().setStartElement(day(service.start()));
        end.ifPresent(day -> scheduled.setEndElement(day(day)));
        detail.setScheduled(scheduled);
        service.plannedUnitsPerWeek().ifPresent(units -> detail.setQuantity(new Quantity().setValue(units).setUnit("units a week")));
        budget(service).ifPresent(detail::addExtension);
        return activity;
    }

    /**
     * The personal budget of a service taken as one (direct payment, council-managed), if its cost gives an amount per
     * period: a cost per hour, day or session times the planned units a week is a weekly amount; a cost per week, month
     * or year is that amount for that period (see routes/README.md).
     */
    static Optional<Extension> budget(Event service) {
        if (!isPersonalBudget(service) || service.unitCost().isEmpty() || service.costFrequency().isEmpty()) {
            return Optional.empty();
        }
        Concept frequency = service.costFrequency().get();
        Optional<String[]> period = frequency.string("period").map(text -> text.strip().split("\\s+"));
        BigDecimal amount;
        Duration per;
        // A cost per hour, day or session is a rate: with the planned units a week it gives a weekly amount.
        boolean perUnit = period.map(p -> p[1].equals("h") || p[1].equals("d")).orElse(frequency.code().equals("per-session"));
        if (perUnit) {
            if (service.plannedUnitsPerWeek().isEmpty()) {
                return Optional.empty();
            }
            amount = service.unitCost().get().multiply(service.plannedUnitsPerWeek().get());
            per = duration(1, "wk");
        } else if (period.isPresent()) {
            amount = service.unitCost().get();
            per = duration(Integer.parseInt(period.get()[0]), period.get()[1]);
        } else {
            return Optional.empty();
        }
        String mechanism = PERSONAL_BUDGETS.get(service.deliveryMechanism().get().code());
        Extension budget = new Extension(PERSONAL_BUDGET);
        budget.addExtension("amount", new Money().setValue(amount.setScale(2, RoundingMode.HALF_UP)).setCurrency("GBP"));
        budget.addExtension("frequency", per);
        budget.addExtension("deliveryMechanism", new CodeableConcept(new Coding(DELIVERY_MECHANISM_SYSTEM, mechanism,
                mechanism.equals("direct-payment") ? "Direct payment" : "Council-managed"))
                // The CLD spelling as text: a second coding (CLD's list) makes the validator find none in the binding.
                .setText(service.deliveryMechanism().get().display()));
        return Optional.of(budget);
    }

    private static boolean isPersonalBudget(Event service) {
        return service.deliveryMechanism().map(mechanism -> PERSONAL_BUDGETS.containsKey(mechanism.code())).orElse(false);
    }

    private static Duration duration(int value, String unit) {
        Duration duration = new Duration();
        duration.setValue(value).setSystem(UCUM).setCode(unit).setUnit(unit);
        return duration;
    }

    /** The activity's element id: the event's id, which the case check keeps to letters, digits, '.', '_' and '-'. */
    static String activityId(Event service) {
        return "event-" + service.eventId();
    }

    /** Whether the event is over: it has an end date, and that day has come (a later one is a planned end). */
    private static boolean ended(Event event, LocalDate today) {
        return event.end().filter(end -> !end.isAfter(today)).isPresent();
    }

    private static LocalDate latestDay(CouncilCase person) {
        return person.events().stream().flatMap(event -> java.util.stream.Stream.concat(java.util.stream.Stream.of(event.start()), event.end().stream()))
                .max(Comparator.naturalOrder()).orElseThrow();
    }

    private static void declare(org.hl7.fhir.r4.model.Meta meta, String profile) {
        if (!meta.hasProfile(profile)) {
            meta.addProfile(profile);
        }
    }

    private static boolean hasIdentifier(List<Identifier> identifiers, String system, String value) {
        return identifiers.stream().anyMatch(identifier -> system.equals(identifier.getSystem()) && value.equals(identifier.getValue()));
    }

    private static DateTimeType day(LocalDate date) {
        return new DateTimeType(date.toString());
    }

    private static LocalDate localDate(DateTimeType dateTime) {
        return LocalDate.parse(dateTime.getValueAsString().substring(0, 10));
    }

    /** Census category code to UK Core ethnic category code, for the census categories that have one. */
    private static Map<String, String> censusMap() {
        String path = "livingwell/ConceptMap/lw-census-2021-to-ethnic-category.json";
        try (InputStream in = CouncilTranslator.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("No " + path + " on the classpath (fhir-profiles missing?)");
            }
            ConceptMap map = FhirContext.forR4Cached().newJsonParser().parseResource(ConceptMap.class, in);
            Map<String, String> targets = new HashMap<>();
            map.getGroup().forEach(group -> group.getElement().forEach(element -> element.getTarget().stream()
                    .filter(target -> target.hasCode() && target.getEquivalence() != ConceptMapEquivalence.UNMATCHED)
                    .findFirst().ifPresent(target -> targets.put(element.getCode(), target.getCode()))));
            return Map.copyOf(targets);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path, e);
        }
    }
}
