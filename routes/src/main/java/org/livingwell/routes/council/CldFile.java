package org.livingwell.routes.council;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.livingwell.routes.council.CaseInput.EventInput;
import org.livingwell.routes.csv.CsvFile;
import org.livingwell.routes.log.RowError;

/** A council's Client Level Data file: a {@link CsvFile} of {@link CldColumn}s, each row checked as a case of one event. */
public final class CldFile {

    private CldFile() {}

    /** Reads the header row; see {@link CsvFile#open}. */
    public static CsvFile<CldColumn, CldRow> open(InputStream in, CaseValidator validator) {
        Objects.requireNonNull(validator, "validator");
        return CsvFile.open(in, CldColumn.class, (values, lines, startLine) -> row(values, lines, startLine, validator));
    }

    private static CldRow row(Map<CldColumn, String> values, Map<CldColumn, Long> lines, long startLine, CaseValidator validator) {
        CaseInput input = new CaseInput();
        input.personId = values.get(CldColumn.LA_PERSON_ID);
        input.nhsNumber = values.get(CldColumn.NHS_NUMBER);
        input.familyName = values.get(CldColumn.FAMILY_NAME);
        input.givenName = values.get(CldColumn.GIVEN_NAME);
        input.dateOfBirth = values.get(CldColumn.DATE_OF_BIRTH);
        input.gender = values.get(CldColumn.GENDER);
        input.ethnicity = values.get(CldColumn.ETHNICITY);
        input.postcode = values.get(CldColumn.POSTCODE);
        input.primarySupportReason = values.get(CldColumn.PRIMARY_SUPPORT_REASON);
        EventInput event = new EventInput();
        event.type = values.get(CldColumn.EVENT_TYPE);
        event.eventId = values.get(CldColumn.EVENT_REFERENCE);
        event.startDate = values.get(CldColumn.EVENT_START_DATE);
        event.endDate = values.get(CldColumn.EVENT_END_DATE);
        event.outcome = values.get(CldColumn.EVENT_OUTCOME);
        event.serviceType = values.get(CldColumn.SERVICE_TYPE);
        event.serviceComponent = values.get(CldColumn.SERVICE_COMPONENT);
        event.deliveryMechanism = values.get(CldColumn.DELIVERY_MECHANISM);
        event.unitCost = values.get(CldColumn.UNIT_COST);
        event.costFrequency = values.get(CldColumn.COST_FREQUENCY);
        event.plannedUnitsPerWeek = values.get(CldColumn.PLANNED_UNITS_PER_WEEK);
        input.events = new ArrayList<>(List.of(event));

        CaseValidator.Checked checked = validator.check(input, false);
        String personId = Optional.ofNullable(input.personId).orElse("");
        if (checked.valid().isPresent()) {
            return new CldRow(startLine, personId, checked.valid(), List.of());
        }
        List<RowError> errors = new ArrayList<>();
        for (CaseValidator.Violation violation : checked.violations()) {
            CldColumn column = CldColumn.ofField(violation.field());
            errors.add(column == null
                    ? new RowError(startLine, "row", "", violation.message())
                    : new RowError(lines.getOrDefault(column, startLine), column.header(), values.get(column), violation.message()));
        }
        errors.sort(Comparator.comparingLong(RowError::line).thenComparing(RowError::column).thenComparing(RowError::message));
        return new CldRow(startLine, personId, Optional.empty(), errors);
    }
}
