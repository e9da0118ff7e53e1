package org.livingwell.routes.gp;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.livingwell.routes.gp.RegisterRow.RegisterStatus;
import org.livingwell.routes.constraints.Formats;
import org.livingwell.routes.constraints.Validators;
import org.livingwell.routes.identity.NhsNumber;
import org.livingwell.routes.log.RowError;

/**
 * Checks one row of a register file against the CSV contract (Bean Validation, our constraints in
 * {@code gp.constraints}) and types it. Build one and share it: it is thread-safe, and building costs a little.
 */
public final class RegisterRowValidator {

    /** Dates after today here are in the future. */
    public static final ZoneId ENGLAND = ZoneId.of("Europe/London");

    private final Validator validator;

    /** @param clock what "today" is when refusing future dates */
    public RegisterRowValidator(Clock clock) {
        this.validator = Validators.build(Objects.requireNonNull(clock, "clock"));
    }

    /** Today is today in England. */
    public RegisterRowValidator() {
        this(Clock.system(ENGLAND));
    }

    /**
     * The row typed, or every error in it.
     *
     * @param values the row's values by column: stripped, an empty value or a column the file lacks is absent
     * @param lines the line each column's value is on (a value after a quoted line break is on a later line)
     * @param startLine the line the row starts on
     */
    ParsedRow validate(Map<RegisterColumn, String> values, Map<RegisterColumn, Long> lines, long startLine) {
        RegisterRowInput input = RegisterRowInput.of(values);
        List<RowError> errors = new ArrayList<>();
        for (ConstraintViolation<RegisterRowInput> violation : validator.validate(input)) {
            RegisterColumn column = RegisterRowInput.COLUMN_OF_FIELD.get(violation.getPropertyPath().toString());
            errors.add(new RowError(lines.getOrDefault(column, startLine), column.header(),
                    values.get(column), violation.getMessage()));
        }
        if (!errors.isEmpty()) {
            errors.sort(Comparator.comparingLong(RowError::line)
                    .thenComparing(error -> RegisterColumn.byHeader(error.column()).orElseThrow().ordinal())
                    .thenComparing(RowError::message));
            Optional<NhsNumber> nhsNumber = Optional.ofNullable(input.nhsNumber).filter(NhsNumber::isValid).map(NhsNumber::parse);
            return ParsedRow.invalid(startLine, nhsNumber, errors);
        }
        return ParsedRow.valid(typed(input, startLine));
    }

    private static RegisterRow typed(RegisterRowInput in, long line) {
        return new RegisterRow(line, NhsNumber.parse(in.nhsNumber), in.familyName, in.givenName,
                Formats.date(in.dateOfBirth).orElseThrow(),
                AdministrativeGender.fromCode(in.sex.toLowerCase(Locale.ROOT)),
                Formats.postcode(in.postcode).orElseThrow(), in.smiDiagnosisCode,
                Formats.date(in.smiDiagnosisDate).orElseThrow(),
                RegisterStatus.valueOf(in.registerStatus.toUpperCase(Locale.ROOT)),
                Formats.date(in.registerDate).orElseThrow(),
                Optional.ofNullable(in.ethnicCategory).map(code -> code.toUpperCase(Locale.ROOT)),
                Optional.ofNullable(in.carePlanDate).flatMap(Formats::date),
                Optional.ofNullable(in.physicalHealthCheckDate).flatMap(Formats::date));
    }
}
