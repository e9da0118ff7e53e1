package org.livingwell.routes.council;

import java.time.Instant;
import java.util.Optional;

/** The last {@code updatedAt} of the council's cases fully applied: where the next poll starts. Kept in the database. */
public interface CouncilWatermark {

    Optional<Instant> load();

    void save(Instant watermark);
}
