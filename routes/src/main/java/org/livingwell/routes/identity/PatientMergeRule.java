package org.livingwell.routes.identity;

import java.util.Optional;
import org.hl7.fhir.r4.model.Patient;

/**
 * The one rule by which every feed writes a Patient (the patient belongs to every feed). Not finished:
 * being written in this change.
 */
public final class PatientMergeRule {

    private PatientMergeRule() {}

    /** The Patient to store: what is stored with what the feed says merged in. */
    public static Patient merge(Optional<Patient> stored, PatientContribution incoming) {
        return incoming.patient();
    }
}
