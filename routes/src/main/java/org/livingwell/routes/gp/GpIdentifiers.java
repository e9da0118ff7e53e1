package org.livingwell.routes.gp;

import java.time.LocalDate;
import org.livingwell.routes.identity.NhsNumber;

/**
 * The business identifiers the GP feed gives the resources it owns, one system per kind of resource, the value
 * scoped by the practice (each practice owns its register) and joined with {@code -} (a {@code |} would need escaping
 * in searches). Stable: the same row always names the same resources, which is what makes a file sent twice change
 * nothing.
 */
public final class GpIdentifiers {

    private static final String BASE = "https://fhir.livingwell.example/Id/gp-smi-register/";

    /** Condition: {@code <practice ODS>-<NHS number>-<SNOMED CT code>}, one per diagnosis per patient per practice. */
    public static final String CONDITION_SYSTEM = BASE + "condition";
    /** EpisodeOfCare: {@code <practice ODS>-<NHS number>}, the patient's time on the practice's register. */
    public static final String EPISODE_SYSTEM = BASE + "episode";
    /** CarePlan: {@code <practice ODS>-<NHS number>}, the practice's current SMI care plan for the patient. */
    public static final String CARE_PLAN_SYSTEM = BASE + "care-plan";
    /** Procedure: {@code <practice ODS>-<NHS number>-<YYYYMMDD>}, one per physical health check. */
    public static final String HEALTH_CHECK_SYSTEM = BASE + "health-check";

    private GpIdentifiers() {}

    public static String condition(String practiceOds, NhsNumber nhsNumber, String snomedCode) {
        return practiceOds + "-" + nhsNumber.value() + "-" + snomedCode;
    }

    public static String episode(String practiceOds, NhsNumber nhsNumber) {
        return practiceOds + "-" + nhsNumber.value();
    }

    public static String carePlan(String practiceOds, NhsNumber nhsNumber) {
        return practiceOds + "-" + nhsNumber.value();
    }

    public static String healthCheck(String practiceOds, NhsNumber nhsNumber, LocalDate date) {
        return practiceOds + "-" + nhsNumber.value() + "-" + date.toString().replace("-", "");
    }
}
