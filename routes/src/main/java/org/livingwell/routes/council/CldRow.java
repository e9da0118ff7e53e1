package org.livingwell.routes.council;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.livingwell.routes.csv.FileIntake;
import org.livingwell.routes.log.RowError;

/**
 * One row of a CLD file as read: the person's case with this one event, or the errors that keep the row out of the
 * record (one per value wrong).
 *
 * @param line the line the row starts on (header = line 1)
 * @param personId the row's person id as given (empty if none): consecutive rows of one person are applied together
 */
public record CldRow(long line, String personId, Optional<CouncilCase> person, List<RowError> errors) implements FileIntake.CheckedRow {

    public CldRow {
        Objects.requireNonNull(personId, "personId");
        errors = List.copyOf(errors);
    }

    @Override
    public boolean isValid() {
        return person.isPresent();
    }
}
