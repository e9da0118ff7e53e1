package org.livingwell.routes.errors;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.livingwell.routes.trust.hl7.Hl7TranslationException;
import org.livingwell.routes.store.RecordRejectedException;

class DeadLetterQueueTest {

    private final CamelContext camel = new DefaultCamelContext();

    @AfterEach
    void close() throws Exception {
        camel.close();
    }

    private Exchange caught(Exception exception) throws Exception {
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, exception);
        DeadLetterQueue.labelWithCaughtException(exchange);
        return exchange;
    }

    @Test
    void aRefusalWithAnOperationOutcomeTravelsAsFhirJsonBesideAShortReason() throws Exception {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.PROCESSING)
                .setDiagnostics("entry 0 (Patient): Patient.birthDate: minimum required = 1")
                .addExpression("Bundle.entry[0].resource/*Patient*/");

        Exchange exchange = caught(new RecordRejectedException("does not conform (1 error)", outcome));

        assertThat(exchange.getMessage().getHeader(DeadLetterQueue.REASON_HEADER))
                .isEqualTo("the shared record rejected it: does not conform (1 error)");
        String json = exchange.getMessage().getHeader(DeadLetterQueue.OPERATION_OUTCOME_HEADER, String.class);
        OperationOutcome travelled = FhirContext.forR4Cached().newJsonParser().parseResource(OperationOutcome.class, json);
        assertThat(travelled.getIssueFirstRep().getDiagnostics()).isEqualTo(outcome.getIssueFirstRep().getDiagnostics());
        assertThat(travelled.getIssueFirstRep().getExpression().get(0).getValue())
                .isEqualTo("Bundle.entry[0].resource/*Patient*/");
    }

    @Test
    void otherFailuresCarryNoOperationOutcomeNotEvenOneLeftFromAnEarlierFailure() throws Exception {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeader(DeadLetterQueue.OPERATION_OUTCOME_HEADER, "{\"resourceType\":\"OperationOutcome\"}");
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new Hl7TranslationException("PID-3", "no NHS number"));

        DeadLetterQueue.labelWithCaughtException(exchange);

        assertThat(exchange.getMessage().getHeader(DeadLetterQueue.OPERATION_OUTCOME_HEADER)).isNull();
        assertThat(caught(new RecordRejectedException("HTTP 400", (Throwable) null))
                .getMessage().getHeader(DeadLetterQueue.OPERATION_OUTCOME_HEADER)).isNull();
    }
}
