package org.livingwell.routes.gp;

import jakarta.validation.constraints.NotBlank;
import java.util.EnumMap;
import java.util.Map;
import org.livingwell.routes.constraints.IsoDate;
import org.livingwell.routes.constraints.OneOf;
import org.livingwell.routes.constraints.UkPostcode;
import org.livingwell.routes.constraints.ValidNhsNumber;

/**
 * One row's values as text, with the CSV contract as Bean Validation constraints; each field is named after its
 * column ({@code nhsNumber} is {@code nhs_number}). Empty values are null. Fields, not a record: constraints on a
 * record component would also land on its accessor and every violation would be reported twice.
 */
final class RegisterRowInput {

    static final String REQUIRED = "is required";

    @NotBlank(message = REQUIRED) @ValidNhsNumber
    String nhsNumber;
    @NotBlank(message = REQUIRED)
    String familyName;
    @NotBlank(message = REQUIRED)
    String givenName;
    @NotBlank(message = REQUIRED) @IsoDate
    String dateOfBirth;
    @NotBlank(message = REQUIRED) @OneOf({"male", "female", "other", "unknown"})
    String sex;
    @NotBlank(message = REQUIRED) @UkPostcode
    String postcode;
    @NotBlank(message = REQUIRED) @SmiDiagnosisCode
    String smiDiagnosisCode;
    @NotBlank(message = REQUIRED) @IsoDate
    String smiDiagnosisDate;
    @NotBlank(message = REQUIRED) @OneOf({"active", "resolved"})
    String registerStatus;
    @NotBlank(message = REQUIRED) @IsoDate
    String registerDate;
    /** The NHS Data Dictionary ethnic categories, as the trust feed's code map (nhs-ethnic-category-to-display) has them. */
    @OneOf({"A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "P", "R", "S", "Z", "99"})
    String ethnicCategory;
    @IsoDate
    String carePlanDate;
    @IsoDate
    String physicalHealthCheckDate;

    /** The row's values by column; a column the file lacks, or an empty value, is null. */
    static RegisterRowInput of(Map<RegisterColumn, String> values) {
        RegisterRowInput input = new RegisterRowInput();
        input.nhsNumber = values.get(RegisterColumn.NHS_NUMBER);
        input.familyName = values.get(RegisterColumn.FAMILY_NAME);
        input.givenName = values.get(RegisterColumn.GIVEN_NAME);
        input.dateOfBirth = values.get(RegisterColumn.DATE_OF_BIRTH);
        input.sex = values.get(RegisterColumn.SEX);
        input.postcode = values.get(RegisterColumn.POSTCODE);
        input.smiDiagnosisCode = values.get(RegisterColumn.SMI_DIAGNOSIS_CODE);
        input.smiDiagnosisDate = values.get(RegisterColumn.SMI_DIAGNOSIS_DATE);
        input.registerStatus = values.get(RegisterColumn.REGISTER_STATUS);
        input.registerDate = values.get(RegisterColumn.REGISTER_DATE);
        input.ethnicCategory = values.get(RegisterColumn.ETHNIC_CATEGORY);
        input.carePlanDate = values.get(RegisterColumn.CARE_PLAN_DATE);
        input.physicalHealthCheckDate = values.get(RegisterColumn.PHYSICAL_HEALTH_CHECK_DATE);
        return input;
    }

    /** The column of each field, by field name. */
    static final Map<String, RegisterColumn> COLUMN_OF_FIELD;

    static {
        Map<RegisterColumn, String> fields = new EnumMap<>(RegisterColumn.class);
        for (RegisterColumn column : RegisterColumn.values()) {
            fields.put(column, camelCase(column.header()));
        }
        Map<String, RegisterColumn> byField = new java.util.HashMap<>();
        fields.forEach((column, field) -> byField.put(field, column));
        COLUMN_OF_FIELD = Map.copyOf(byField);
    }

    private static String camelCase(String header) {
        StringBuilder name = new StringBuilder();
        boolean upper = false;
        for (char c : header.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return name.toString();
    }
}
