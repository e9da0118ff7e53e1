package org.livingwell.routes.gp;

import java.io.InputStream;
import org.livingwell.routes.csv.CsvFile;

/** A GP SMI-register file: a {@link CsvFile} of {@link RegisterColumn}s, each row checked by a {@link RegisterRowValidator}. */
public final class GpRegisterFile {

    private GpRegisterFile() {}

    /** Reads the header row; see {@link CsvFile#open}. */
    public static CsvFile<RegisterColumn, ParsedRow> open(InputStream in, RegisterRowValidator validator) {
        return CsvFile.open(in, RegisterColumn.class, validator::validate);
    }
}
