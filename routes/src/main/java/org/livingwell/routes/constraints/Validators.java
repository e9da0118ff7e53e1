package org.livingwell.routes.constraints;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.time.Clock;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/** The Bean Validation validator the feeds check rows and cases with. */
public final class Validators {

    private Validators() {}

    /**
     * A thread-safe validator; build one per feed and share it (building costs a little).
     *
     * @param clock what "today" is when refusing future dates
     */
    public static Validator build(Clock clock) {
        // ParameterMessageInterpolator: our messages are plain text, so no Expression Language is needed (the
        // gateway's Tomcat brings its own EL, and HAPI's is excluded; see shared/STACK.md).
        return Validation.byProvider(HibernateValidator.class).configure()
                .messageInterpolator(new ParameterMessageInterpolator())
                .clockProvider(() -> clock)
                .buildValidatorFactory()
                .getValidator();
    }
}
