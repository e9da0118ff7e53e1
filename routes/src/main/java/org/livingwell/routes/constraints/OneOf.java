package org.livingwell.routes.constraints;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The text is one of a fixed list of codes, compared ignoring case and surrounding spaces. Null or blank is valid. */
@Target(FIELD)
@Retention(RUNTIME)
@Constraint(validatedBy = OneOf.Validator.class)
public @interface OneOf {

    /** The codes allowed, as the contract spells them. */
    String[] value();

    String message() default "is not one of the allowed codes";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Names the allowed codes in its message, so the sender can fix the value. */
    final class Validator implements ConstraintValidator<OneOf, String> {
        private Set<String> allowed;
        private String listed;

        @Override
        public void initialize(OneOf annotation) {
            allowed = Arrays.stream(annotation.value()).map(code -> code.toUpperCase(Locale.ROOT)).collect(Collectors.toSet());
            listed = String.join(", ", annotation.value());
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null || value.isBlank() || allowed.contains(value.strip().toUpperCase(Locale.ROOT))) {
                return true;
            }
            Messages.replace(context, "is not one of " + listed);
            return false;
        }
    }
}
