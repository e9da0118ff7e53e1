package org.livingwell.routes.store;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.ValidationResult;
import java.util.List;
import org.livingwell.profiles.LivingWellValidator;

/** The Living Well validator for tests: built once per test JVM (it takes seconds) and shared by every class. */
public final class ProfileFixtures {

    private ProfileFixtures() {}

    /** The shared validator, built and warmed up on first use. */
    public static LivingWellValidator validator() {
        return Holder.VALIDATOR;
    }

    /** Error and fatal messages as "location: message", for assertions that name the element and rule. */
    public static List<String> errors(ValidationResult result) {
        return result.getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .map(m -> m.getLocationString() + ": " + m.getMessage())
                .toList();
    }

    private static final class Holder {
        static final LivingWellValidator VALIDATOR = build();

        private static LivingWellValidator build() {
            LivingWellValidator validator = new LivingWellValidator(FhirContext.forR4Cached());
            validator.warmUp();
            return validator;
        }
    }
}
