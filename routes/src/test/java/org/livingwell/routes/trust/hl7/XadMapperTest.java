package org.livingwell.routes.trust.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Address.AddressType;
import org.hl7.fhir.r4.model.Address.AddressUse;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class XadMapperTest {

    private static Address address(String xad) {
        return XadMapper.map(Hl7Fixtures.pid("PID|1||X||TEST^PERSON||||||" + xad).getPatientAddress(0)).orElseThrow();
    }

    @Test
    void mapsAnEnglishAddress() {
        Address address = address("1 TEST STREET^FLAT 2^LONDON^GREATER LONDON^SE11 5AA^GBR^H");

        assertThat(address.getLine()).extracting(StringType::getValue).containsExactly("1 TEST STREET", "FLAT 2");
        assertThat(address.getCity()).isEqualTo("LONDON");
        assertThat(address.getDistrict()).isEqualTo("GREATER LONDON");
        assertThat(address.getPostalCode()).isEqualTo("SE11 5AA");
        assertThat(address.getCountry()).isEqualTo("GBR");
        assertThat(address.getUse()).isEqualTo(AddressUse.HOME);
    }

    @ParameterizedTest
    @CsvSource({"H, HOME", "B, WORK", "O, WORK", "C, TEMP", "BA, OLD"})
    void addressTypeMapsToUse(String xad7, AddressUse use) {
        assertThat(address("1 TEST STREET^^LONDON^^^^" + xad7).getUse()).isEqualTo(use);
    }

    @Test
    void mailingAddressIsPostal() {
        Address address = address("PO BOX 1^^LONDON^^^^M");

        assertThat(address.getType()).isEqualTo(AddressType.POSTAL);
        assertThat(address.hasUse()).isFalse();
    }

    @Test
    void emptyAddressIsAbsent() {
        assertThat(XadMapper.map(Hl7Fixtures.pid("PID|1||X||TEST^PERSON||||||^^^^^^H").getPatientAddress(0))).isEmpty();
    }
}
