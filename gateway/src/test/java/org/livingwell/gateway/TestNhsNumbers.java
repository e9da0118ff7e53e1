package org.livingwell.gateway;

import java.util.concurrent.ThreadLocalRandom;

/** Fresh synthetic NHS numbers: the 999 test range, passing the modulus-11 check. */
public final class TestNhsNumbers {

    private TestNhsNumbers() {
    }

    public static String next() {
        while (true) {
            String first9 = "999" + String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));
            int sum = 0;
            for (int i = 0; i < 9; i++) {
                sum += (first9.charAt(i) - '0') * (10 - i);
            }
            int check = 11 - sum % 11;
            if (check == 11) {
                check = 0;
            }
            if (check != 10) {
                return first9 + check;
            }
        }
    }
}
