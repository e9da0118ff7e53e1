package org.livingwell.routes.trust.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.hl7v2.model.v251.datatype.XTN;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.ContactPoint.ContactPointSystem;
import org.hl7.fhir.r4.model.ContactPoint.ContactPointUse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class XtnMapperTest {

    private static XTN homePhone(String xtn) {
        return Hl7Fixtures.pid("PID|1||X||TEST^PERSON||||||||" + xtn).getPhoneNumberHome(0);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "020 7946 0000^PRN^PH             | 020 7946 0000     | PHONE | HOME",
        "07700 900000^PRS^CP              | 07700 900000      | PHONE | MOBILE",
        "07700 900001^^CP                 | 07700 900001      | PHONE | MOBILE",
        "020 7946 0001^WPN^FX             | 020 7946 0001     | FAX   | WORK",
        "^NET^Internet^alex@example.org   | alex@example.org  | EMAIL | HOME",
        "^^^^44^20^79460002               | +44 20 79460002   |       | HOME",
    })
    void mapsNumberSystemAndUse(String xtn, String value, ContactPointSystem system, ContactPointUse use) {
        ContactPoint contact = XtnMapper.map(homePhone(xtn), ContactPointUse.HOME).orElseThrow();

        assertThat(contact.getValue()).isEqualTo(value);
        assertThat(contact.getSystem()).isEqualTo(system);
        assertThat(contact.getUse()).isEqualTo(use);
    }

    @Test
    void fieldDefaultAppliesWhenXtn2IsEmpty() {
        assertThat(XtnMapper.map(homePhone("020 7946 0003"), ContactPointUse.WORK).orElseThrow().getUse())
                .isEqualTo(ContactPointUse.WORK);
    }

    @Test
    void emptyNumberIsAbsent() {
        assertThat(XtnMapper.map(homePhone("^PRN^PH"), ContactPointUse.HOME)).isEmpty();
    }
}
