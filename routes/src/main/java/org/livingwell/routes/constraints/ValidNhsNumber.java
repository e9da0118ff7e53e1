package org.livingwell.routes.constraints;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import org.livingwell.routes.identity.NhsNumber;

/**
 * The text is an NHS number: ten digits (spaces or hyphens between groups allowed) whose last is the modulus-11
 * check digit of the first nine, as {@link NhsNumber#parse} reads it. Null or blank is valid (pair with
 * {@code @NotBlank}).
 */
@Target(FIELD)
@Retention(RUNTIME)
@Constraint(validatedBy = ValidNhsNumber.Validator.class)
public @interface ValidNhsNumber {

    String message() default "is not an NHS number";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Says which of the two checks failed, so the sender knows whether to look for a typo or a missing digit. */
    final class Validator implements ConstraintValidator<ValidNhsNumber, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null || value.isBlank()) {
                return true;
            }
            String digits = value.strip().replaceAll("[\\s-]", "");
            String message;
            if (!digits.matches("\\d{10}")) {
                message = "is not 10 digits";
            } else if (!NhsNumber.isValid(digits)) {
                message = "fails the NHS number modulus-11 check";
            } else {
                return true;
            }
            Messages.replace(context, message);
            return false;
        }
    }
}
