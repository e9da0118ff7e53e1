package org.livingwell.routes.trust;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Encounter.EncounterLocationComponent;
import org.hl7.fhir.r4.model.Encounter.EncounterLocationStatus;
import org.hl7.fhir.r4.model.Encounter.EncounterStatus;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.livingwell.routes.trust.PlMapper.PlaceOfCare;
import org.livingwell.routes.trust.Pv1Mapper.Visit;

/**
 * What each ADT trigger does to the visit's Encounter, as the update function of its Upsert: applied
 * to whatever the record holds (nothing, if this is the first message about the visit, whichever
 * event it is), and giving the same result when applied again to its own result.
 */
final class EncounterEvents {

    static final String PROFILE = "https://fhir.livingwell.example/StructureDefinition/LWEncounter";

    /** The triggers that act on a visit, and so need PV1-19. */
    static final Set<String> NEED_A_VISIT = Set.of("A01", "A02", "A03", "A11", "A12", "A13");
    /** The triggers that create or update an Encounter when PV1-19 is there. */
    static final Set<String> MAY_CARRY_A_VISIT = Set.of("A01", "A02", "A03", "A04", "A05", "A06", "A07", "A08", "A11", "A12", "A13");

    private static final Coding UNKNOWN_CLASS =
            new Coding("http://terminology.hl7.org/CodeSystem/v3-NullFlavor", "UNK", "unknown");

    /** How far along its life an Encounter is: events that do not say otherwise never move it back. */
    private static final Map<EncounterStatus, Integer> PROGRESS = Map.of(
            EncounterStatus.UNKNOWN, 0,
            EncounterStatus.PLANNED, 1,
            EncounterStatus.ARRIVED, 2,
            EncounterStatus.TRIAGED, 2,
            EncounterStatus.INPROGRESS, 2,
            EncounterStatus.ONLEAVE, 2,
            EncounterStatus.FINISHED, 3,
            EncounterStatus.CANCELLED, 3,
            EncounterStatus.ENTEREDINERROR, 3);

    private EncounterEvents() {}

    /**
     * What one message says about one visit.
     *
     * @param trigger the ADT trigger event, upper case
     * @param identifier the visit number (PV1-19) in the trust's visit-number system
     * @param subject the Patient upsert's reference
     * @param serviceProvider the trust's Organization reference
     * @param eventTime when the event happened (EVN-6, else EVN-2, else MSH-7)
     */
    record Incoming(
            String trigger, Visit visit, Identifier identifier, Reference subject, Reference serviceProvider,
            DateTimeType eventTime) {}

    /** The update function for this message's Encounter upsert. */
    static Function<Optional<Encounter>, Encounter> update(Incoming in) {
        return stored -> {
            Encounter encounter = stored.map(Encounter::copy).orElseGet(Encounter::new);
            carry(encounter, in);
            switch (in.trigger()) {
                case "A01", "A04" -> admit(encounter, in);
                case "A05" -> advance(encounter, EncounterStatus.PLANNED);
                case "A02" -> transfer(encounter, in);
                case "A03" -> discharge(encounter, in);
                case "A11" -> encounter.setStatus(EncounterStatus.CANCELLED);
                case "A12" -> cancelTransfer(encounter, in.visit());
                case "A13" -> cancelDischarge(encounter);
                default -> { } // A06, A07, A08: what the message carries, no change of status
            }
            return encounter;
        };
    }

    /** What every event carries: identity, patient, provider, class, clinicians, admit time, and where the patient is. */
    private static void carry(Encounter encounter, Incoming in) {
        Visit visit = in.visit();
        if (!encounter.getMeta().hasProfile(PROFILE)) {
            encounter.getMeta().addProfile(PROFILE);
        }
        boolean identified = encounter.getIdentifier().stream().anyMatch(id ->
                Objects.equals(id.getSystem(), in.identifier().getSystem()) && Objects.equals(id.getValue(), in.identifier().getValue()));
        if (!identified) {
            encounter.addIdentifier(in.identifier().copy());
        }
        if (!encounter.hasStatus()) {
            encounter.setStatus(EncounterStatus.UNKNOWN);
        }
        encounter.setSubject(in.subject().copy());
        encounter.setServiceProvider(in.serviceProvider().copy());
        visit.encounterClass().ifPresentOrElse(
                encounterClass -> encounter.setClass_(encounterClass.copy()),
                () -> {
                    if (!encounter.hasClass_()) {
                        encounter.setClass_(UNKNOWN_CLASS.copy());
                    }
                });
        // PV1-7 and PV1-17 each name the current one: a new attending replaces the old.
        visit.participants().forEach(participant -> {
            String type = Pv1Mapper.typeOf(participant);
            encounter.getParticipant().removeIf(held -> Pv1Mapper.isOfType(held, type));
            encounter.addParticipant(participant.copy());
        });
        visit.admitted().ifPresent(start -> encounter.getPeriod().setStartElement(start.copy()));
        if (!in.trigger().equals("A02") && !in.trigger().equals("A12")) {
            visit.location().ifPresent(place -> place(encounter, place, in.trigger().equals("A08")));
        }
    }

    /**
     * A non-transfer event's PV1-3: the location of a visit that has none yet. Only A08 (an update) may
     * correct the current location; other events arriving late must not undo a transfer.
     */
    private static void place(Encounter encounter, PlaceOfCare place, boolean mayCorrect) {
        if (!encounter.hasLocation()) {
            encounter.addLocation().setLocation(place.reference().copy()).setStatus(EncounterLocationStatus.ACTIVE);
            return;
        }
        if (mayCorrect) {
            active(encounter).stream()
                    .filter(held -> !place.key().equals(key(held)))
                    .forEach(held -> held.setLocation(place.reference().copy()));
        }
    }

    private static void admit(Encounter encounter, Incoming in) {
        if (!encounter.getPeriod().hasStart()) {
            encounter.getPeriod().setStartElement(in.eventTime().copy());
        }
        advance(encounter, EncounterStatus.INPROGRESS);
    }

    /**
     * A02: the new location (PV1-3) becomes active from the event time, the one before it completed
     * then. A transfer already recorded (same location, same start) changes nothing.
     */
    private static void transfer(Encounter encounter, Incoming in) {
        if (encounter.getPeriod().hasStart()) {
            advance(encounter, EncounterStatus.INPROGRESS);
        }
        Optional<PlaceOfCare> to = in.visit().location();
        if (to.isEmpty()) {
            return;
        }
        DateTimeType time = in.eventTime();
        boolean recorded = encounter.getLocation().stream().anyMatch(held -> to.get().key().equals(key(held))
                && (held.getStatus() == EncounterLocationStatus.ACTIVE
                        || held.hasPeriod() && sameTime(held.getPeriod().getStartElement(), time)));
        if (recorded) {
            return;
        }
        // The first we hear of this visit may be a transfer: PV1-6 says where the patient was until now.
        in.visit().priorLocation()
                .filter(from -> encounter.getLocation().stream().noneMatch(held -> from.key().equals(key(held))))
                .ifPresent(from -> encounter.addLocation()
                        .setLocation(from.reference().copy())
                        .setStatus(EncounterLocationStatus.COMPLETED)
                        .setPeriod(new Period().setEndElement(time.copy())));
        complete(active(encounter), time);
        encounter.addLocation()
                .setLocation(to.get().reference().copy())
                .setStatus(EncounterLocationStatus.ACTIVE)
                .setPeriod(new Period().setStartElement(time.copy()));
    }

    /** A03: finished at PV1-45 (else the event time), with the disposition, its locations completed then. */
    private static void discharge(Encounter encounter, Incoming in) {
        if (encounter.getStatus() != EncounterStatus.CANCELLED) {
            encounter.setStatus(EncounterStatus.FINISHED);
        }
        DateTimeType end = in.visit().discharged().orElse(in.eventTime());
        encounter.getPeriod().setEndElement(end.copy());
        in.visit().dischargeDisposition()
                .ifPresent(disposition -> encounter.getHospitalization().setDischargeDisposition(disposition.copy()));
        complete(active(encounter), end);
    }

    /**
     * A12: the patient is back where they were before the transfer (PV1-3); the location transferred to
     * (PV1-6, else the active one) is dropped. Without PV1-3 or PV1-6 nothing says which transfer to undo.
     */
    private static void cancelTransfer(Encounter encounter, Visit visit) {
        Optional<String> restored = visit.location().map(PlaceOfCare::key);
        Optional<String> cancelled = visit.priorLocation().map(PlaceOfCare::key);
        if (restored.isEmpty() && cancelled.isEmpty()) {
            return;
        }
        List<EncounterLocationComponent> active = active(encounter);
        if (restored.isPresent() && active.stream().anyMatch(held -> restored.get().equals(key(held)))) {
            return;
        }
        List<EncounterLocationComponent> dropped = active.stream()
                .filter(held -> cancelled.map(key -> key.equals(key(held))).orElse(restored.isPresent()))
                .toList();
        if (dropped.isEmpty() && !active.isEmpty()) {
            return;
        }
        encounter.getLocation().removeAll(dropped);
        Optional<EncounterLocationComponent> previous = encounter.getLocation().stream()
                .filter(held -> restored.map(key -> key.equals(key(held))).orElse(true))
                .reduce((first, second) -> second);
        if (previous.isPresent()) {
            previous.get().setStatus(EncounterLocationStatus.ACTIVE).getPeriod().setEndElement(null);
        } else {
            visit.location().ifPresent(place ->
                    encounter.addLocation().setLocation(place.reference().copy()).setStatus(EncounterLocationStatus.ACTIVE));
        }
    }

    /** A13: the discharge did not happen: in progress again, no end, no disposition, back in its last location. */
    private static void cancelDischarge(Encounter encounter) {
        if (encounter.getStatus() == EncounterStatus.FINISHED
                || (encounter.getStatus() == EncounterStatus.UNKNOWN && encounter.getPeriod().hasStart())) {
            encounter.setStatus(EncounterStatus.INPROGRESS);
        }
        encounter.getPeriod().setEndElement(null);
        if (encounter.hasHospitalization()) {
            encounter.getHospitalization().setDischargeDisposition(null);
            if (encounter.getHospitalization().isEmpty()) {
                encounter.setHospitalization(null);
            }
        }
        if (active(encounter).isEmpty() && encounter.hasLocation()) {
            EncounterLocationComponent last = encounter.getLocation().get(encounter.getLocation().size() - 1);
            last.setStatus(EncounterLocationStatus.ACTIVE).getPeriod().setEndElement(null);
        }
    }

    /** Moves the status forward to {@code status}, never back: messages may arrive out of order. */
    private static void advance(Encounter encounter, EncounterStatus status) {
        if (PROGRESS.getOrDefault(encounter.getStatus(), 0) < PROGRESS.get(status)) {
            encounter.setStatus(status);
        }
    }

    private static void complete(List<EncounterLocationComponent> locations, DateTimeType end) {
        locations.forEach(held -> held.setStatus(EncounterLocationStatus.COMPLETED).getPeriod().setEndElement(end.copy()));
    }

    private static List<EncounterLocationComponent> active(Encounter encounter) {
        return encounter.getLocation().stream().filter(held -> held.getStatus() == EncounterLocationStatus.ACTIVE).toList();
    }

    /** The trust's identifier of a held location; null for a location this feed did not write. */
    private static String key(EncounterLocationComponent held) {
        return held.getLocation().getIdentifier().getValue();
    }

    private static boolean sameTime(DateTimeType a, DateTimeType b) {
        return a != null && b != null && Objects.equals(a.getValueAsString(), b.getValueAsString());
    }
}
