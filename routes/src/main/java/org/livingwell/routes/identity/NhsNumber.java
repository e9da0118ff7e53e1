package org.livingwell.routes.identity;

import java.util.Objects;

/** A valid NHS number: ten digits whose last digit is the modulus-11 check digit of the first nine. */
public final class NhsNumber {

    /** The FHIR identifier system for NHS numbers in England and Wales. */
    public static final String SYSTEM = "https://fhir.nhs.uk/Id/nhs-number";

    private final String digits;

    private NhsNumber(String digits) {
        this.digits = digits;
    }

    /**
     * Reads an NHS number as people write it ("943 476 5919", "943-476-5919").
     *
     * @throws IllegalArgumentException naming the number and what is wrong with it
     */
    public static NhsNumber parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("NHS number is empty");
        }
        String digits = text.strip().replaceAll("[\\s-]", "");
        if (!digits.matches("\\d{10}")) {
            throw new IllegalArgumentException("NHS number '" + text.strip() + "' is not 10 digits");
        }
        if (checkDigit(digits) != digits.charAt(9) - '0') {
            throw new IllegalArgumentException("NHS number " + digits + " fails the modulus-11 check");
        }
        return new NhsNumber(digits);
    }

    /** Whether {@code text} would {@link #parse} without error. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException invalid) {
            return false;
        }
    }

    /** Weights 10 down to 2 over the first nine digits; a result of 10 means no number can carry it. */
    private static int checkDigit(String digits) {
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            sum += (digits.charAt(i) - '0') * (10 - i);
        }
        int check = 11 - sum % 11;
        return check == 11 ? 0 : check;
    }

    /** The ten digits without spaces, as FHIR identifiers and searches expect. */
    public String value() {
        return digits;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NhsNumber that && digits.equals(that.digits);
    }

    @Override
    public int hashCode() {
        return Objects.hash(digits);
    }

    @Override
    public String toString() {
        return digits;
    }
}
