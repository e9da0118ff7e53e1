package org.livingwell.routes.csv;

import java.util.List;
import org.livingwell.routes.log.RowError;

/** The header row lacks columns every file of the feed must have; the message names them. */
public final class MissingColumnsException extends CsvFileException {

    private final List<String> missing;

    /** @param missing the header names of the required columns absent, in contract order */
    public MissingColumnsException(List<String> missing) {
        super("the header row lacks the required column" + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing));
        this.missing = List.copyOf(missing);
    }

    /** One error per missing column, on the header row. */
    @Override
    public List<RowError> errors() {
        return missing.stream().map(column -> new RowError(1, column, "", "required column missing from the header row")).toList();
    }

    /** The header names of the required columns the header does not have, in contract order. */
    public List<String> missing() {
        return missing;
    }
}
