package org.livingwell.routes.constraints;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.math.BigDecimal;

/** The text is a decimal number not below zero, e.g. {@code 18.50} (no currency sign). Null or blank is valid. */
@Target(FIELD)
@Retention(RUNTIME)
@Constraint(validatedBy = Decimal.Validator.class)
public @interface Decimal {

    String message() default "is not a number of zero or more (e.g. 18.50)";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Validator implements ConstraintValidator<Decimal, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null || value.isBlank()) {
                return true;
            }
            try {
                return new BigDecimal(value.strip()).signum() >= 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }
    }
}
