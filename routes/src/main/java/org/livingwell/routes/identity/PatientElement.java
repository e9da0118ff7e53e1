package org.livingwell.routes.identity;

/**
 * The parts of a Patient that feeds write and {@link PatientMergeRule} merges one by one. Identifiers are
 * not here: they only ever accumulate.
 */
public enum PatientElement {
    NAME,
    GENDER,
    BIRTH_DATE,
    ADDRESS,
    TELECOM,
    DECEASED,
    GENERAL_PRACTITIONER,
    ETHNIC_CATEGORY,
    NHS_NUMBER_VERIFICATION
}
