package org.livingwell.routes.council;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.livingwell.routes.council.CldValues.Concept;
import org.livingwell.routes.identity.NhsNumber;

/**
 * What the council's adult social care system says about one person, checked and typed: a case of the API, or the
 * events of a CLD file's rows for one person.
 *
 * @param personId the council's person id (CLD {@code LA_Person_ID}), always kept as an identifier
 * @param nhsNumber absent while the council has not matched the person to an NHS number
 * @param ethnicity the council's ethnicity as sent (a 2021 census category, normally)
 * @param postcode upper-cased, one space before the inward code
 * @param updatedAt when the council last changed the case (API), the poll's watermark; empty for a file's rows
 */
public record CouncilCase(String personId, Optional<NhsNumber> nhsNumber, String familyName, String givenName,
        LocalDate dateOfBirth, AdministrativeGender gender, Optional<String> ethnicity, String postcode,
        Concept primarySupportReason, Optional<Instant> updatedAt, List<Event> events) {

    public CouncilCase {
        Objects.requireNonNull(personId, "personId");
        Objects.requireNonNull(nhsNumber, "nhsNumber");
        Objects.requireNonNull(dateOfBirth, "dateOfBirth");
        Objects.requireNonNull(primarySupportReason, "primarySupportReason");
        events = List.copyOf(events);
    }

    /**
     * One CLD event: a request for support, an assessment, a service, a review.
     *
     * @param eventId the council's id of the event (CLD {@code Event_Reference}): the same id again is the same event
     * @param end absent while the event is open (a service still provided)
     * @param plannedUnitsPerWeek units of the service a week (hours of home care, say)
     */
    public record Event(String eventId, Concept type, LocalDate start, Optional<LocalDate> end, Optional<Concept> outcome,
            Optional<Concept> serviceType, Optional<Concept> serviceComponent, Optional<Concept> deliveryMechanism,
            Optional<BigDecimal> unitCost, Optional<Concept> costFrequency, Optional<BigDecimal> plannedUnitsPerWeek) {

        public Event {
            Objects.requireNonNull(eventId, "eventId");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(start, "start");
        }

        public boolean isService() {
            return "service".equals(type.code());
        }

        @Override
        public String toString() {
            return "Event[" + type.code() + " " + eventId + "]";
        }
    }

    /** The same person's case with these events instead (a file's consecutive rows for one person, say). */
    public CouncilCase withEvents(List<Event> otherEvents) {
        return new CouncilCase(personId, nhsNumber, familyName, givenName, dateOfBirth, gender, ethnicity, postcode,
                primarySupportReason, updatedAt, otherEvents);
    }

    /** Without patient data: a case printed by accident leaks nothing. */
    @Override
    public String toString() {
        return "CouncilCase[" + events.size() + " events]";
    }
}
