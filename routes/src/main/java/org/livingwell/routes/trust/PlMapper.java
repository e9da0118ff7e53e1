package org.livingwell.routes.trust;

import ca.uhn.hl7v2.model.v251.datatype.PL;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Reference;
import org.livingwell.routes.store.Upsert;
import org.livingwell.routes.trust.hl7.Hl7Values;

/**
 * Maps an HL7 v2 PL (point of care, room, bed) to the trust's Location resources, one per level,
 * each part of the level above, identified within the trust: {@code WARD1}, {@code WARD1-R2},
 * {@code WARD1-R2-B3}.
 */
public final class PlMapper {

    private static final String PHYSICAL_TYPE = "http://terminology.hl7.org/CodeSystem/location-physical-type";

    private PlMapper() {}

    /**
     * A place of care the message names.
     *
     * @param upserts the ward, room and bed sent (createIfAbsent), broadest first
     * @param reference a reference to the most specific of them, with its identifier and a display
     */
    public record PlaceOfCare(List<Upsert<Location>> upserts, Reference reference) {

        /** The trust's identifier of the place, which is how an Encounter's locations are told apart. */
        public String key() {
            return reference.getIdentifier().getValue();
        }
    }

    /**
     * The place, or empty if the PL names no ward, room or bed.
     *
     * @param system the trust's location identifier system
     * @param trust the trust, which manages its locations
     */
    public static Optional<PlaceOfCare> map(PL pl, String system, Reference trust) {
        String[][] levels = {
            {Hl7Values.of(pl.getPointOfCare()).orElse(null), "wa", "Ward"},
            {Hl7Values.of(pl.getRoom()).orElse(null), "ro", "Room"},
            {Hl7Values.of(pl.getBed()).orElse(null), "bd", "Bed"},
        };
        List<Upsert<Location>> upserts = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        Reference parent = null;
        for (String[] level : levels) {
            if (level[0] == null) {
                continue;
            }
            parts.add(level[0]);
            String value = String.join("-", parts);
            Location location = new Location()
                    .setStatus(Location.LocationStatus.ACTIVE)
                    .setMode(Location.LocationMode.INSTANCE)
                    .setName(value)
                    .setPhysicalType(new CodeableConcept(new Coding(PHYSICAL_TYPE, level[1], level[2])))
                    .setManagingOrganization(trust.copy());
            location.addIdentifier().setSystem(system).setValue(value);
            if (parent != null) {
                location.setPartOf(parent.copy());
            }
            Upsert<Location> upsert = Upsert.createIfAbsent(location, Upsert.byIdentifier("Location", system, value));
            upserts.add(upsert);
            parent = new Reference(upsert.reference()).setIdentifier(new Identifier().setSystem(system).setValue(value));
        }
        if (parent == null) {
            return Optional.empty();
        }
        // PL-9 is how the trust describes the place to people; else the parts as sent.
        parent.setDisplay(Hl7Values.of(pl.getLocationDescription()).orElse(String.join(" ", parts)));
        return Optional.of(new PlaceOfCare(List.copyOf(upserts), parent));
    }
}
