package org.livingwell.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v251.segment.EVN;
import ca.uhn.hl7v2.model.v251.segment.MSH;
import ca.uhn.hl7v2.model.v251.segment.PV1;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.livingwell.bench.SyntheticAdt.Event;
import org.livingwell.routes.identity.NhsNumber;
import org.livingwell.routes.store.RecordChange;
import org.livingwell.routes.trust.TrustFeedTranslator;
import org.livingwell.routes.trust.hl7.Hl7Parser;

class SyntheticAdtTest {

    private final SyntheticAdt adt = new SyntheticAdt(7, 0);
    private final List<Event> mix = adt.mix(1500, 100);

    @Test
    void everyMessageParsesWithTheFeedsParserAndSaysWhatItsEventSays() throws Exception {
        Hl7Parser parser = new Hl7Parser();
        Set<String> controlIds = new HashSet<>();
        String previousTime = "";
        for (Event event : mix) {
            Message message = parser.parse(event.hl7());
            MSH msh = (MSH) message.get("MSH");
            assertThat(msh.getMessageType().getTriggerEvent().getValue()).isEqualTo(event.trigger());
            assertThat(msh.getSendingApplication().getNamespaceID().getValue()).isEqualTo("TRUSTEPR");
            assertThat(msh.getSendingFacility().getNamespaceID().getValue()).isEqualTo("RV5");
            assertThat(controlIds.add(msh.getMessageControlID().getValue())).isTrue();
            String time = ((EVN) message.get("EVN")).getRecordedDateTime().getTime().getValue();
            assertThat(time).isGreaterThan(previousTime);
            previousTime = time;
            PV1 pv1 = (PV1) message.get("PV1");
            assertThat(pv1.getVisitNumber().getIDNumber().getValue()).isEqualTo(event.visit().number());
            assertThat(pv1.getAssignedPatientLocation().getPointOfCare().getValue()).isNotBlank();
            assertThat(pv1.getAdmitDateTime().getTime().getValue()).isNotBlank();
            assertThat(pv1.getDischargeDateTime(0).getTime().getValue() != null).isEqualTo(event.trigger().equals("A03"));
        }
    }

    @Test
    void patientsHaveValidDistinctNhsNumbersAndComeBackForSeveralVisits() {
        Map<String, List<Event>> byPatient = mix.stream().collect(Collectors.groupingBy(e -> e.person().nhsNumber()));
        assertThat(byPatient.keySet()).allMatch(NhsNumber::isValid).allMatch(nhs -> nhs.startsWith("999"));
        assertThat(byPatient.values()).anyMatch(events -> events.stream().map(e -> e.visit().number()).distinct().count() > 2);
        assertThat(mix).extracting(Event::trigger).contains("A01", "A02", "A03", "A04", "A08");

        Set<String> freshCopy = adt.mix(1500, 100).stream().map(e -> e.person().nhsNumber()).collect(Collectors.toSet());
        assertThat(freshCopy).doesNotContainAnyElementsOf(byPatient.keySet());
    }

    @Test
    void eachVisitGoesAdmitThenTransfersOrUpdatesThenDischarge() {
        Map<String, List<String>> byVisit = new HashMap<>();
        for (Event event : mix) {
            byVisit.computeIfAbsent(event.visit().number(), v -> new ArrayList<>()).add(event.trigger());
        }
        for (List<String> triggers : byVisit.values()) {
            assertThat(triggers.get(0)).isIn("A01", "A04");
            assertThat(triggers.subList(1, triggers.size())).allMatch(t -> t.equals("A02") || t.equals("A08")
                    || t.equals("A03") && triggers.indexOf(t) == triggers.size() - 1);
        }
    }

    @Test
    void aReferralShareMakesThatShareReferralsEachNewThenAcceptedOrRejectedThenEndedAndAllTranslate() throws Exception {
        List<Event> withReferrals = new SyntheticAdt(7, 20).mix(1500, 100);
        TrustFeedTranslator translator = new TrustFeedTranslator();
        Hl7Parser parser = new Hl7Parser();

        List<Event> referrals = withReferrals.stream().filter(e -> e.referral() != null).toList();
        assertThat(referrals.size()).isBetween(240, 360);
        Map<String, List<String>> byReferral = new HashMap<>();
        for (Event event : referrals) {
            assertThat(event.visit()).isNull();
            byReferral.computeIfAbsent(event.referral().id(), r -> new ArrayList<>())
                    .add(event.trigger() + ":" + event.referral().status());
            RecordChange change = translator.translate(parser.parse(event.hl7()));
            assertThat(change.upserts()).extracting(u -> u.type().getSimpleName()).contains("ServiceRequest");
        }
        for (List<String> steps : byReferral.values()) {
            assertThat(steps.get(0)).isEqualTo("I12:P");
            assertThat(steps.subList(1, steps.size())).allMatch(step -> step.matches("I13:[ARE]|I14:A"));
        }
        assertThat(byReferral.values()).anyMatch(steps -> steps.contains("I13:A") && steps.contains("I14:A"));
        assertThat(byReferral.values()).anyMatch(steps -> steps.contains("I13:E"));
        assertThat(byReferral.values()).anyMatch(steps -> steps.contains("I13:R"));
    }

    @Test
    void anUpdateChangesTheAddressOrThePhone() {
        Map<String, Event> last = new HashMap<>();
        for (Event event : mix) {
            Event before = last.put(event.person().nhsNumber(), event);
            if (event.trigger().equals("A08")) {
                assertThat(event.person()).isNotEqualTo(before.person());
            }
        }
    }
}
