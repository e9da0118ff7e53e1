package org.livingwell.routes.constraints;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.time.LocalDate;
import java.util.Optional;

/**
 * The text is a real calendar day written {@code YYYY-MM-DD}, and (unless {@link #future()}) not after today (today by the validator
 * factory's {@link jakarta.validation.ClockProvider}, so tests can fix it). Null or blank is valid (pair with
 * {@code @NotBlank}).
 */
@Target(FIELD)
@Retention(RUNTIME)
@Constraint(validatedBy = IsoDate.Validator.class)
public @interface IsoDate {

    String message() default "is not a date (YYYY-MM-DD)";

    /** Whether a day after today is taken (a planned end, say). */
    boolean future() default false;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Tells a malformed date, a day that does not exist and a future day apart. */
    final class Validator implements ConstraintValidator<IsoDate, String> {
        private boolean future;

        @Override
        public void initialize(IsoDate annotation) {
            future = annotation.future();
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null || value.isBlank()) {
                return true;
            }
            String text = value.strip();
            if (!Formats.dateShaped(text)) {
                Messages.replace(context, "is not a date in the form YYYY-MM-DD");
                return false;
            }
            Optional<LocalDate> day = Formats.date(text);
            if (day.isEmpty()) {
                Messages.replace(context, "is not a real day");
                return false;
            }
            LocalDate today = LocalDate.now(context.getClockProvider().getClock());
            if (!future && day.get().isAfter(today)) {
                Messages.replace(context, "is in the future");
                return false;
            }
            return true;
        }
    }
}
