package org.livingwell.routes.gp;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * The text is a SNOMED CT concept id in the Living Well SMI diagnosis ValueSet ({@code lw-smi-diagnosis} in
 * fhir-profiles), the codes the LWCondition profile accepts. Null or blank is valid.
 */
@Target(FIELD)
@Retention(RUNTIME)
@Constraint(validatedBy = SmiDiagnosisCode.Validator.class)
public @interface SmiDiagnosisCode {

    String message() default "is not a SNOMED CT code in the SMI diagnosis ValueSet (lw-smi-diagnosis)";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Validator implements ConstraintValidator<SmiDiagnosisCode, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || value.isBlank() || SmiDiagnoses.get().contains(value.strip());
        }
    }
}
