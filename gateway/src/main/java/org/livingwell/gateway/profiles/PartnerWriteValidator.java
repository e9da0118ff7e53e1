package org.livingwell.gateway.profiles;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.ValidationResult;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Holds every resource a partner writes through {@code /fhir} (create, update, and each entry of a
 * transaction) to the Living Well profile for its type, whether or not it declares it: a resource
 * that breaks a rule is refused with 422 and an OperationOutcome naming the element and the rule,
 * and a transaction holding one is not applied at all.
 *
 * <p>Registered on the REST server only, so it sees partner requests; the feeds' own writes are
 * validated by the routes before they reach the store.
 */
@Interceptor
public class PartnerWriteValidator {

    private final LivingWellValidation validation;
    private final FhirContext fhirContext;

    public PartnerWriteValidator(LivingWellValidation validation, FhirContext fhirContext) {
        this.validation = validation;
        this.fhirContext = fhirContext;
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void beforeCreate(IBaseResource resource) {
        requireValid(resource);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void beforeUpdate(IBaseResource previous, IBaseResource resource) {
        requireValid(resource);
    }

    private void requireValid(IBaseResource resource) {
        ValidationResult result = validation.validator().validateAgainstProfile(resource);
        boolean refused = result.getMessages().stream().anyMatch(message ->
                message.getSeverity() == ResultSeverityEnum.ERROR || message.getSeverity() == ResultSeverityEnum.FATAL);
        if (refused) {
            throw new UnprocessableEntityException(fhirContext, result.toOperationOutcome());
        }
    }
}
