package org.livingwell.routes.constraints;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * The text has the shape of a UK postcode (outward code: one or two letters, a digit, an optional letter or
 * digit; then an inward code: a digit and two letters), any case, with or without the space. Whether the
 * postcode exists is not checked. Null or blank is valid.
 */
@Target(FIELD)
@Retention(RUNTIME)
@Constraint(validatedBy = UkPostcode.Validator.class)
public @interface UkPostcode {

    String message() default "is not a UK postcode";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Validator implements ConstraintValidator<UkPostcode, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || value.isBlank() || Formats.postcode(value).isPresent();
        }
    }
}
