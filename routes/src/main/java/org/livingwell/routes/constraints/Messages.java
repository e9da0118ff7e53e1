package org.livingwell.routes.constraints;

import jakarta.validation.ConstraintValidatorContext;

/** Replaces a constraint's default message with a more precise one, taken literally (no interpolation). */
final class Messages {

    private Messages() {}

    static void replace(ConstraintValidatorContext context, String message) {
        context.disableDefaultConstraintViolation();
        // Escape the interpolator's special characters: the message is literal text.
        String literal = message.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("$", "\\$");
        context.buildConstraintViolationWithTemplate(literal).addConstraintViolation();
    }
}
