package org.livingwell.routes.gp;

import java.util.List;
import java.util.stream.Collectors;
import org.livingwell.routes.log.RowError;

/** The header row lacks columns every register file must have; the message names them. */
public final class MissingColumnsException extends GpRegisterFileException {

    private final List<RegisterColumn> missing;

    public MissingColumnsException(List<RegisterColumn> missing) {
        super("the header row lacks the required column" + (missing.size() == 1 ? " " : "s ")
                + missing.stream().map(RegisterColumn::header).collect(Collectors.joining(", ")));
        this.missing = List.copyOf(missing);
    }

    /** One error per missing column, on the header row. */
    @Override
    public List<RowError> errors() {
        return missing.stream().map(column -> new RowError(1, column.header(), "", "required column missing from the header row")).toList();
    }

    /** The required columns the header does not have, in contract order. */
    public List<RegisterColumn> missing() {
        return missing;
    }
}
