package org.livingwell.gateway;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import org.livingwell.routes.identity.NhsNumber;

/**
 * Fresh synthetic NHS numbers: the 999 test range, passing the modulus-11 check, never the same one twice in a test
 * run (drawn at random, 450 numbers repeated one now and then, and a test counting patients then found one short).
 * Random rather than counted, so runs against a kept PostgreSQL database rarely meet an earlier run's patients.
 * Practice codes too, each test its own practice, so that one test's full register never ends another's episodes.
 */
public final class TestNhsNumbers {

    private static final Set<String> ISSUED = ConcurrentHashMap.newKeySet();
    private static final Set<String> PRACTICES = ConcurrentHashMap.newKeySet();

    private TestNhsNumbers() {
    }

    public static String next() {
        while (true) {
            String first9 = "999" + String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));
            for (int check = 0; check <= 9; check++) {
                if (NhsNumber.isValid(first9 + check) && ISSUED.add(first9 + check)) {
                    return first9 + check;
                }
            }
            // No valid check digit for these nine digits (the modulus gives 10), or issued already: draw again.
        }
    }

    /** A practice ODS code of the shape GP practices have, never the same one twice in a test run. */
    public static String practice() {
        while (true) {
            String ods = "Y" + String.format("%05d", ThreadLocalRandom.current().nextInt(100_000));
            if (PRACTICES.add(ods)) {
                return ods;
            }
        }
    }
}
