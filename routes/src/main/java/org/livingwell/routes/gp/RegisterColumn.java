package org.livingwell.routes.gp;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.livingwell.routes.csv.CsvColumn;
import org.livingwell.routes.csv.CsvFile;

/** The columns of a GP SMI-register CSV file, by their header names; the order in a file may vary. */
public enum RegisterColumn implements CsvColumn {
    NHS_NUMBER("nhs_number", true),
    FAMILY_NAME("family_name", true),
    GIVEN_NAME("given_name", true),
    DATE_OF_BIRTH("date_of_birth", true),
    SEX("sex", true),
    POSTCODE("postcode", true),
    SMI_DIAGNOSIS_CODE("smi_diagnosis_code", true),
    SMI_DIAGNOSIS_DATE("smi_diagnosis_date", true),
    REGISTER_STATUS("register_status", true),
    REGISTER_DATE("register_date", true),
    ETHNIC_CATEGORY("ethnic_category", false),
    CARE_PLAN_DATE("care_plan_date", false),
    PHYSICAL_HEALTH_CHECK_DATE("physical_health_check_date", false);

    private final String header;
    private final boolean required;

    RegisterColumn(String header, boolean required) {
        this.header = header;
        this.required = required;
    }

    @Override
    public String header() {
        return header;
    }

    @Override
    public boolean required() {
        return required;
    }

    /** The columns every file must have, in contract order. */
    public static List<RegisterColumn> requiredColumns() {
        return Arrays.stream(values()).filter(RegisterColumn::required).toList();
    }

    /** The column a header cell names: trimmed, any case; empty for a column the feed does not read. */
    public static Optional<RegisterColumn> byHeader(String name) {
        return CsvFile.byHeader(RegisterColumn.class, name);
    }
}
