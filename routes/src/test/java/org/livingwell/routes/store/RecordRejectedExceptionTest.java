package org.livingwell.routes.store;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;

class RecordRejectedExceptionTest {

    private static OperationOutcome outcome(String diagnostics) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.PROCESSING).setDiagnostics(diagnostics);
        return outcome;
    }

    @Test
    void aServersRefusalKeepsItsOperationOutcome() {
        OperationOutcome outcome = outcome("Patient.birthDate: minimum required = 1");

        RuntimeException sorted = RecordRejectedException.sort(new UnprocessableEntityException("refused", outcome));

        assertThat(sorted).isInstanceOf(RecordRejectedException.class)
                .hasMessageStartingWith("The record store refused the transaction (HTTP 422): ");
        assertThat(((RecordRejectedException) sorted).operationOutcome()).isSameAs(outcome);
    }

    @Test
    void aRefusalWithoutOperationOutcomeHasNone() {
        RuntimeException sorted = RecordRejectedException.sort(new InvalidRequestException("bad request"));

        assertThat(((RecordRejectedException) sorted).operationOutcome()).isNull();
    }

    @Test
    void conflictsAndServerErrorsAreLeftToBeRetried() {
        ResourceVersionConflictException conflict = new ResourceVersionConflictException("version race");
        InternalErrorException down = new InternalErrorException("database down");

        assertThat(RecordRejectedException.sort(conflict)).isInstanceOf(RecordConflictException.class).hasCause(conflict);
        assertThat(RecordRejectedException.sort(down)).isSameAs(down);
    }
}
