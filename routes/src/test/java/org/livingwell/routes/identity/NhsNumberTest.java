package org.livingwell.routes.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NhsNumberTest {

    @ParameterizedTest
    @CsvSource({
        "9990000018, 9990000018",
        "999 000 0026, 9990000026",
        "999-000-0034, 9990000034",
        "' 9990000050 ', 9990000050",
        "9990000069, 9990000069",
        "999 000-0107, 9990000107",
    })
    void acceptsTestRangeNumbersThatPassModulus11AsPeopleWriteThem(String written, String digits) {
        NhsNumber number = NhsNumber.parse(written);

        assertThat(number.value()).isEqualTo(digits);
        assertThat(NhsNumber.isValid(written)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"9990000019", "9990000010", "9990000027", "9990001234"})
    void rejectsNumbersWithTheWrongCheckDigit(String number) {
        assertThatThrownBy(() -> NhsNumber.parse(number))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("NHS number " + number + " fails the modulus-11 check");
    }

    @Test
    void rejectsNumbersWhoseCheckDigitWouldBeTen() {
        // 999000000x: the first nine digits give a check digit of 10, so no tenth digit is valid.
        for (int last = 0; last <= 9; last++) {
            assertThat(NhsNumber.isValid("999000000" + last)).as("999000000%d", last).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"999000001", "99900000188", "99900000l8", "NHS9990000018", "999/000/0018"})
    void rejectsTextThatIsNotTenDigits(String text) {
        assertThatThrownBy(() -> NhsNumber.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not 10 digits");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void rejectsBlank(String text) {
        assertThatThrownBy(() -> NhsNumber.parse(text)).hasMessage("NHS number is empty");
        assertThat(NhsNumber.isValid(null)).isFalse();
    }

    @Test
    void numbersWrittenDifferentlyAreEqual() {
        assertThat(NhsNumber.parse("999 000 0018")).isEqualTo(NhsNumber.parse("9990000018"))
                .hasSameHashCodeAs(NhsNumber.parse("999-000-0018"));
        assertThat(NhsNumber.SYSTEM).isEqualTo("https://fhir.nhs.uk/Id/nhs-number");
    }
}
