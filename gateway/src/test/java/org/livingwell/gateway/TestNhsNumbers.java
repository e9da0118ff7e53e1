package org.livingwell.gateway;

import java.util.concurrent.ThreadLocalRandom;

import org.livingwell.routes.identity.NhsNumber;

/** Fresh synthetic NHS numbers: the 999 test range, passing the modulus-11 check. */
public final class TestNhsNumbers {

    private TestNhsNumbers() {
    }

    public static String next() {
        while (true) {
            String first9 = "999" + String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));
            for (int check = 0; check <= 9; check++) {
                if (NhsNumber.isValid(first9 + check)) {
                    return first9 + check;
                }
            }
            // No valid check digit for these nine digits (the modulus gives 10): draw again.
        }
    }
}
