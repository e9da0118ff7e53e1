package org.livingwell.routes.council;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.livingwell.routes.constraints.Formats;
import org.livingwell.routes.constraints.Validators;
import org.livingwell.routes.council.CaseInput.EventInput;
import org.livingwell.routes.gp.RegisterRowValidator;
import org.livingwell.routes.identity.NhsNumber;

/**
 * Checks a council case against the contract (Bean Validation on {@link CaseInput}, plus the rules that span fields)
 * and types it. Thread-safe: build one and share it.
 */
public final class CaseValidator {

    /** A value at fault: {@code field} is the API's JSON path, e.g. {@code events[1].startDate}. */
    public record Violation(String field, String value, String message) {}

    /** The case typed, or everything wrong with it. */
    public record Checked(Optional<CouncilCase> valid, List<Violation> violations) {}

    private static final Map<String, AdministrativeGender> GENDERS = Map.of(
            "male", AdministrativeGender.MALE, "female", AdministrativeGender.FEMALE,
            "other", AdministrativeGender.OTHER, "indeterminate", AdministrativeGender.OTHER,
            "unknown", AdministrativeGender.UNKNOWN, "not known", AdministrativeGender.UNKNOWN,
            "not stated", AdministrativeGender.UNKNOWN);

    private final Validator validator;

    /** @param clock what "today" is when refusing future dates */
    public CaseValidator(Clock clock) {
        this.validator = Validators.build(Objects.requireNonNull(clock, "clock"));
    }

    /** Today is today in England. */
    public CaseValidator() {
        this(Clock.system(RegisterRowValidator.ENGLAND));
    }

    /**
     * @param requireUpdatedAt whether the case must say when it was last changed (the API's cases must)
     */
    Checked check(CaseInput input, boolean requireUpdatedAt) {
        if (input.events == null) {
            input.events = new ArrayList<>(); // "events": null is "has no events"
        }
        List<Violation> violations = new ArrayList<>();
        for (ConstraintViolation<CaseInput> violation : validator.validate(input)) {
            String field = violation.getPropertyPath().toString().replaceAll("\\.<list element>", "");
            violations.add(new Violation(field, String.valueOf(violation.getInvalidValue() instanceof String text ? text : ""),
                    violation.getMessage()));
        }
        Optional<Instant> updatedAt = Optional.empty();
        if (input.updatedAt != null && !input.updatedAt.isBlank()) {
            try {
                updatedAt = Optional.of(Instant.parse(input.updatedAt.strip()));
            } catch (DateTimeParseException e) {
                violations.add(new Violation("updatedAt", input.updatedAt, "is not an ISO-8601 instant (e.g. 2026-11-24T09:30:00Z)"));
            }
        } else if (requireUpdatedAt) {
            violations.add(new Violation("updatedAt", "", CaseInput.REQUIRED));
        }
        for (int i = 0; i < input.events.size(); i++) {
            EventInput event = input.events.get(i);
            if (event == null) {
                violations.add(new Violation("events[" + i + "]", "", "is not an event"));
                continue;
            }
            String at = "events[" + i + "].";
            Optional<java.time.LocalDate> start = date(event.startDate);
            Optional<java.time.LocalDate> end = date(event.endDate);
            if (start.isPresent() && end.isPresent() && end.get().isBefore(start.get())) {
                violations.add(new Violation(at + "endDate", event.endDate, "is before the event's start date"));
            }
            boolean service = CldValues.EVENT_TYPE.find(event.type).map(type -> "service".equals(type.code())).orElse(false);
            if (service && blank(event.serviceType)) {
                violations.add(new Violation(at + "serviceType", "", "is required for a Service event"));
            }
        }
        if (!violations.isEmpty()) {
            violations.sort(Comparator.comparing(Violation::field).thenComparing(Violation::message));
            return new Checked(Optional.empty(), violations);
        }
        return new Checked(Optional.of(typed(input, updatedAt)), List.of());
    }

    private static CouncilCase typed(CaseInput in, Optional<Instant> updatedAt) {
        List<CouncilCase.Event> events = in.events.stream().map(CaseValidator::typed).toList();
        return new CouncilCase(in.personId.strip(), text(in.nhsNumber).map(NhsNumber::parse), in.familyName.strip(),
                in.givenName.strip(), Formats.date(in.dateOfBirth.strip()).orElseThrow(),
                GENDERS.get(in.gender.strip().toLowerCase(Locale.ROOT)), text(in.ethnicity),
                Formats.postcode(in.postcode).orElseThrow(), CldValues.PRIMARY_SUPPORT_REASON.find(in.primarySupportReason).orElseThrow(),
                updatedAt, events);
    }

    private static CouncilCase.Event typed(EventInput in) {
        return new CouncilCase.Event(in.eventId.strip(), CldValues.EVENT_TYPE.find(in.type).orElseThrow(),
                date(in.startDate).orElseThrow(), date(in.endDate), CldValues.EVENT_OUTCOME.find(in.outcome),
                CldValues.SERVICE_TYPE.find(in.serviceType), CldValues.SERVICE_COMPONENT.find(in.serviceComponent),
                CldValues.DELIVERY_MECHANISM.find(in.deliveryMechanism), text(in.unitCost).map(BigDecimal::new),
                CldValues.COST_FREQUENCY.find(in.costFrequency), text(in.plannedUnitsPerWeek).map(BigDecimal::new));
    }

    private static Optional<java.time.LocalDate> date(String text) {
        return text(text).flatMap(Formats::date);
    }

    private static Optional<String> text(String value) {
        return blank(value) ? Optional.empty() : Optional.of(value.strip());
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
