package org.livingwell.routes.gp;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.livingwell.routes.identity.NhsNumber;

/**
 * One valid row of a GP SMI-register file, typed: what the practice says about one patient on its register.
 *
 * @param line the line the row starts on (header = line 1): with the batch id it names the row in the message log
 * @param postcode upper-cased, one space before the inward code
 * @param diagnosisCode a SNOMED CT concept in {@link SmiDiagnoses}
 * @param registerDate when the patient was put on the practice's SMI register
 * @param ethnicCategory an NHS Data Dictionary ethnic category code (A-Z as the dictionary has them, or 99)
 */
public record RegisterRow(long line, NhsNumber nhsNumber, String familyName, String givenName, LocalDate dateOfBirth,
        AdministrativeGender sex, String postcode, String diagnosisCode, LocalDate diagnosisDate, RegisterStatus status,
        LocalDate registerDate, Optional<String> ethnicCategory, Optional<LocalDate> carePlanDate,
        Optional<LocalDate> physicalHealthCheckDate) {

    public RegisterRow {
        Objects.requireNonNull(nhsNumber, "nhsNumber");
        Objects.requireNonNull(familyName, "familyName");
        Objects.requireNonNull(givenName, "givenName");
        Objects.requireNonNull(dateOfBirth, "dateOfBirth");
        Objects.requireNonNull(sex, "sex");
        Objects.requireNonNull(postcode, "postcode");
        Objects.requireNonNull(diagnosisCode, "diagnosisCode");
        Objects.requireNonNull(diagnosisDate, "diagnosisDate");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(registerDate, "registerDate");
        Objects.requireNonNull(ethnicCategory, "ethnicCategory");
        Objects.requireNonNull(carePlanDate, "carePlanDate");
        Objects.requireNonNull(physicalHealthCheckDate, "physicalHealthCheckDate");
    }

    /** Whether the patient is on the register ({@code active}) or was taken off it ({@code resolved}). */
    public enum RegisterStatus {
        ACTIVE,
        RESOLVED
    }

    /** Without patient data: a row printed by accident leaks nothing. */
    @Override
    public String toString() {
        return "RegisterRow[line " + line + "]";
    }
}
