package org.livingwell.routes.gp;

import java.time.LocalDate;
import java.util.Locale;
import java.util.Objects;

/**
 * One register file as the practice sent it.
 *
 * @param practiceOds the practice's ODS code (upper-cased here): it owns the register, and scopes its identifiers
 * @param batchId the gateway's id of this file, unique per file received: with the row's line it names each row
 * @param extractDate the day the practice extracted the register: dates the rows' news, and ends what a full file omits
 * @param mode {@link Mode#FULL}: the file is the whole register, and a patient it omits is off the register;
 *     {@link Mode#DELTA}: only the patients it names changed
 */
public record GpBatch(String practiceOds, String batchId, LocalDate extractDate, Mode mode) {

    public GpBatch {
        Objects.requireNonNull(practiceOds, "practiceOds");
        practiceOds = practiceOds.strip().toUpperCase(Locale.ROOT);
        if (!practiceOds.matches("[A-Z0-9]{3,10}")) {
            throw new IllegalArgumentException("not an ODS code: " + practiceOds);
        }
        Objects.requireNonNull(batchId, "batchId");
        Objects.requireNonNull(extractDate, "extractDate");
        Objects.requireNonNull(mode, "mode");
    }

    /** Whether the file is the practice's whole register or only changes. */
    public enum Mode {
        FULL,
        DELTA
    }
}
