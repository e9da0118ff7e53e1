package org.livingwell.routes.store;

import java.util.List;

/**
 * What applying a {@link RecordChange} did.
 *
 * @param written the versions written, e.g. {@code Patient/12/_history/3}; empty when the record already
 *     said all of it (the same message again)
 * @param notes what an operator should know, e.g. "MRG-1 patient not in the record: nothing linked"; no
 *     patient data
 */
public record AppliedChange(List<String> written, List<String> notes) {

    public AppliedChange {
        written = List.copyOf(written);
        notes = List.copyOf(notes);
    }
}
