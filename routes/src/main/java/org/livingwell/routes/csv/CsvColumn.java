package org.livingwell.routes.csv;

/** A column a file-based feed reads, by its name in the header row (implemented by each feed's column enum). */
public interface CsvColumn {

    /** The name in the header row, e.g. {@code nhs_number}; matched ignoring case and surrounding spaces. */
    String header();

    /** Whether a file without this column is refused (a column present may still hold an empty value: a row error). */
    boolean required();
}
