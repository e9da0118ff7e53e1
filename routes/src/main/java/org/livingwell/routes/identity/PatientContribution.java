package org.livingwell.routes.identity;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.hl7.fhir.r4.model.Patient;

/**
 * What one feed message says about a patient, for {@link PatientMergeRule}: only the elements the
 * message carried are set on {@code patient}; elements it explicitly cleared (HL7 {@code ""}) are in
 * {@code cleared}; everything else is left as the record has it.
 *
 * @param patient the elements the message carried, identifiers included
 * @param cleared elements the message explicitly emptied
 * @param feed the feed saying it, e.g. {@code trust-hl7} or {@code gp-smi-register}
 * @param sourceTime when the source system recorded it (EVN-2, else MSH-7; the extract date), or null if
 *     unknown (then it counts as newer than anything stored)
 */
public record PatientContribution(Patient patient, Set<PatientElement> cleared, String feed, Instant sourceTime) {

    public PatientContribution {
        Objects.requireNonNull(patient, "patient");
        cleared = cleared.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(cleared));
        Objects.requireNonNull(feed, "feed");
    }
}
