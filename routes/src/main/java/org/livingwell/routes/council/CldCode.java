package org.livingwell.routes.council;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.util.stream.Collectors;

/**
 * The text names a value of one CLD list ({@link CldValues}), however the council spells it. Null or blank is valid
 * (pair with {@code @NotBlank}).
 */
@Target(FIELD)
@Retention(RUNTIME)
@Constraint(validatedBy = CldCode.Validator.class)
public @interface CldCode {

    /** The CodeSystem id in fhir-profiles, e.g. {@code lw-cld-event-type}. */
    String value();

    String message() default "is not a value of the list";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Names the allowed values when there are few, else the CodeSystem that lists them. */
    final class Validator implements ConstraintValidator<CldCode, String> {
        private CldValues values;
        private String message;

        @Override
        public void initialize(CldCode annotation) {
            values = CldValues.byId(annotation.value());
            message = values.concepts().size() <= 6
                    ? "is not one of " + values.concepts().stream().map(CldValues.Concept::display).collect(Collectors.joining(", "))
                    : "is not a value of the CLD list " + values.id() + " (fhir-profiles)";
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null || value.isBlank() || values.find(value).isPresent()) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(message.replace("{", "\\{").replace("}", "\\}").replace("$", "\\$"))
                    .addConstraintViolation();
            return false;
        }
    }
}
