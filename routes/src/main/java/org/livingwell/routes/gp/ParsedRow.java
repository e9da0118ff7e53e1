package org.livingwell.routes.gp;

import java.util.List;
import java.util.Optional;
import org.livingwell.routes.identity.NhsNumber;
import org.livingwell.routes.csv.FileIntake;
import org.livingwell.routes.log.RowError;

/**
 * One data row of a register file as the parser read it: either a valid {@link RegisterRow} or the errors that
 * keep it out of the record (one per value wrong; a row is never half taken).
 *
 * @param line the line the row starts on (header = line 1)
 * @param nhsNumber the row's NHS number if it is valid, even when other values are not: a full extract's rows with
 *     errors still name patients who are on the register (see {@link GpRegisterTranslator#endOmitted})
 */
public record ParsedRow(long line, Optional<NhsNumber> nhsNumber, Optional<RegisterRow> row, List<RowError> errors)
        implements FileIntake.CheckedRow {

    public ParsedRow {
        java.util.Objects.requireNonNull(nhsNumber, "nhsNumber");
        errors = List.copyOf(errors);
        if (row.isPresent() == !errors.isEmpty()) {
            throw new IllegalArgumentException("a row is either valid or has errors");
        }
    }

    static ParsedRow valid(RegisterRow row) {
        return new ParsedRow(row.line(), Optional.of(row.nhsNumber()), Optional.of(row), List.of());
    }

    static ParsedRow invalid(long line, Optional<NhsNumber> nhsNumber, List<RowError> errors) {
        return new ParsedRow(line, nhsNumber, Optional.empty(), errors);
    }

    /** Whether the row can go to the record. */
    @Override
    public boolean isValid() {
        return row.isPresent();
    }
}
