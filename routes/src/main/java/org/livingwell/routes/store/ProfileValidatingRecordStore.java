package org.livingwell.routes.store;

import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.livingwell.profiles.LivingWellValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record store that lets a transaction through only if every resource in it conforms to the Living Well
 * profiles; otherwise nothing of it is applied and it is refused with one OperationOutcome listing every error.
 *
 * <p>Each entry's resource is validated with {@link LivingWellValidator#validateAgainstProfile}, so a Patient is
 * held to LWPatient whether or not it declares it. Errors and fatal issues refuse the transaction; warnings and
 * information do not. Cheap to construct; the validator it is given is the expensive, shared part.
 */
public final class ProfileValidatingRecordStore implements RecordStore {

    /** The OperationOutcome extension that names the validator's rule (message id), as HAPI uses it. */
    public static final String MESSAGE_ID_EXTENSION = "http://hl7.org/fhir/StructureDefinition/operationoutcome-message-id";

    /** How many issues the exception message quotes, and how much of each; the OperationOutcome has them all. */
    static final int ISSUES_IN_MESSAGE = 3;
    static final int CHARACTERS_PER_ISSUE = 200;

    private static final Logger LOG = LoggerFactory.getLogger(ProfileValidatingRecordStore.class);

    private final RecordStore delegate;
    private final Supplier<LivingWellValidator> validator;

    public ProfileValidatingRecordStore(RecordStore delegate, LivingWellValidator validator) {
        this(delegate, () -> validator);
        Objects.requireNonNull(validator, "validator");
    }

    /** With a validator that may still be being built (the gateway builds it after start-up): the first use waits. */
    public ProfileValidatingRecordStore(RecordStore delegate, Supplier<LivingWellValidator> validator) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.validator = Objects.requireNonNull(validator, "validator");
    }

    /**
     * Validates every entry, then applies the transaction through the delegate.
     *
     * @throws RecordRejectedException if any entry breaks a profile; its {@link
     *     RecordRejectedException#operationOutcome()} holds every error, its expression the entry, type and
     *     element (e.g. {@code Bundle.entry[0].resource}, a FHIRPath comment naming Patient, {@code .identifier[0]}),
     *     its diagnostics prefixed "entry 0 (Patient): "; the delegate is not called
     */
    @Override
    public Bundle apply(Bundle transaction) {
        OperationOutcome errors = new OperationOutcome();
        List<String> quotes = new ArrayList<>();
        List<Bundle.BundleEntryComponent> entries = transaction.getEntry();
        LivingWellValidator profiles = validator.get();
        for (int index = 0; index < entries.size(); index++) {
            Resource resource = entries.get(index).getResource();
            // The Provenance is the writer's own, built the same way every time (RecordWriterTest validates it).
            if (resource != null && !(resource instanceof Provenance)) {
                addErrors(errors, quotes, index, resource, profiles.validateAgainstProfile(resource));
            }
        }
        if (errors.hasIssue()) {
            RecordRejectedException refused = new RecordRejectedException(summary(quotes), errors);
            LOG.debug("Refused a transaction of {} entries: {}", entries.size(), refused.getMessage());
            throw refused;
        }
        return delegate.apply(transaction);
    }

    @Override
    public List<Resource> search(String searchUrl) {
        return delegate.search(searchUrl);
    }

    @Override
    public void removeTags(String reference, List<org.hl7.fhir.r4.model.Coding> tags) {
        delegate.removeTags(reference, tags);
    }

    @Override
    public void forEachPage(String searchUrl, int pageSize, Consumer<List<Resource>> page) {
        delegate.forEachPage(searchUrl, pageSize, page);
    }

    /**
     * Waits for the validator (being built for a few seconds after start-up) before the transaction opens: waiting
     * inside it would hold what the work has locked so far, such as a message's log entry that the listener is about
     * to write, until the other writer's lock wait timed out.
     */
    @Override
    public <T> T inTransaction(Supplier<T> work) {
        validator.get();
        return delegate.inTransaction(work);
    }

    /** Adds each error to the OperationOutcome, and "where: what" for the exception message to quotes. */
    private static void addErrors(OperationOutcome errors, List<String> quotes, int index, Resource resource,
            ValidationResult result) {
        String type = resource.fhirType();
        String root = "Bundle.entry[" + index + "].resource/*"
                + (resource.getIdElement().hasIdPart() ? type + "/" + resource.getIdElement().getIdPart() : type) + "*/";
        for (SingleValidationMessage message : result.getMessages()) {
            IssueSeverity severity = severity(message.getSeverity());
            if (severity == null) {
                continue;
            }
            String expression = root + relative(message.getLocationString(), type);
            StringBuilder diagnostics = new StringBuilder("entry " + index + " (" + type + "): " + message.getMessage());
            if (message.hasSliceMessages()) {
                diagnostics.append(" [").append(String.join("; ", message.getSliceMessages())).append(']');
            }
            OperationOutcomeIssueComponent issue = errors.addIssue()
                    .setSeverity(severity)
                    .setCode(IssueType.PROCESSING)
                    .setDiagnostics(diagnostics.toString());
            issue.addExpression(expression);
            issue.addLocation(expression);
            if (message.getMessageId() != null) {
                issue.addExtension(MESSAGE_ID_EXTENSION, new StringType(message.getMessageId()));
            }
            quotes.add(expression + ": " + message.getMessage());
        }
    }

    /** Only what must stop the transaction; null for warnings and information. */
    private static IssueSeverity severity(ResultSeverityEnum severity) {
        return switch (severity) {
            case FATAL -> IssueSeverity.FATAL;
            case ERROR -> IssueSeverity.ERROR;
            default -> null;
        };
    }

    /** "Patient.identifier[0]" of a Patient becomes ".identifier[0]"; the resource itself, "". */
    private static String relative(String location, String type) {
        if (location == null || location.isEmpty() || location.equals(type)) {
            return "";
        }
        if (location.startsWith(type + ".")) {
            return location.substring(type.length());
        }
        return "." + location;
    }

    /** The first few issues, where and what, for a person reading a dead-letter list. */
    private static String summary(List<String> quotes) {
        String quoted = quotes.stream()
                .limit(ISSUES_IN_MESSAGE)
                .map(quote -> quote.length() <= CHARACTERS_PER_ISSUE ? quote : quote.substring(0, CHARACTERS_PER_ISSUE - 3) + "...")
                .collect(Collectors.joining("; "));
        String more = quotes.size() > ISSUES_IN_MESSAGE ? "; and " + (quotes.size() - ISSUES_IN_MESSAGE) + " more" : "";
        return "does not conform to the Living Well profiles (" + quotes.size()
                + (quotes.size() == 1 ? " error): " : " errors): ") + quoted + more;
    }
}
