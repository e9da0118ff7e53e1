package org.livingwell.profiles;

import ca.uhn.fhir.context.ConfigurationException;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.util.XmlUtil;
import ca.uhn.fhir.validation.IValidationContext;
import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.r5.context.IWorkerContext;
import org.hl7.fhir.r5.elementmodel.Element;
import org.hl7.fhir.r5.elementmodel.Manager.FhirFormat;
import org.hl7.fhir.r5.fhirpath.IHostApplicationServices;
import org.hl7.fhir.r5.model.StructureDefinition;
import org.hl7.fhir.r5.utils.validation.ValidatorSession;
import org.hl7.fhir.r5.utils.validation.constants.IdStatus;
import org.hl7.fhir.r5.utils.xver.XVerExtensionManagerOld;
import org.hl7.fhir.utilities.i18n.I18nConstants;
import org.hl7.fhir.utilities.validation.ValidationMessage;
import org.hl7.fhir.utilities.validation.ValidationMessage.IssueSeverity;
import org.hl7.fhir.validation.ValidatorSettings;
import org.hl7.fhir.validation.instance.InstanceValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * HAPI's {@link FhirInstanceValidator}, except that the org.hl7.fhir.core {@link InstanceValidator} behind each
 * call is kept and used again instead of built anew.
 *
 * <p>Why: HAPI 8.8 builds an {@code InstanceValidator} per call, and building one was ~80% of a Patient
 * validation (JFR): ~76% parsing the 1.5 MB OID registry CSV bundled in org.hl7.fhir.utilities ({@code
 * OIDUtilities}), the rest setting up its FHIRPath engine and profile utilities. Reused, a Patient takes
 * ~1.3 ms instead of ~11 ms. Upstream's main {@code validate} entry point starts by clearing its per-call state
 * ("the first thing to do is to clear the internal state"), so one validator can serve calls one after another;
 * it is not thread-safe, so each is lent to one caller at a time from a pool.
 *
 * <p>What a reused validator still accumulates (codings seen, narrative id maps, "status" hints already given) is
 * either cleared here or bounded by retiring each validator after {@link #USES_PER_VALIDATOR} calls.
 *
 * <p>{@link #validate(IValidationContext)} does what HAPI 8.8.0's package-private {@code ValidatorWrapper} does
 * around the validator (configuration, profiles from meta.profile, message filtering); {@code
 * LivingWellValidatorTest} checks the messages are identical to stock HAPI's. On a HAPI upgrade, compare with
 * {@code ValidatorWrapper} again. Configure the module before its first use: pooled validators keep the
 * settings they were built with.
 */
final class PooledFhirInstanceValidator extends FhirInstanceValidator {

    /**
     * Retire a validator after this many calls, bounding what it accumulates (its constraint cache and the
     * element models of what it validated: at 5,000 calls, 8 validators filled a 512 MB heap); rebuilding
     * costs ~10-40 ms.
     */
    static final int USES_PER_VALIDATOR = 200;

    private static final Logger LOG = LoggerFactory.getLogger(PooledFhirInstanceValidator.class);

    /**
     * Idle validators kept, each ~5 MB (its OID map). Not one per CPU: callers block on the database between
     * validations, so more of them validate at once than there are CPUs (the trust feed's consumers and the
     * HTTP threads); a caller that finds none idle builds one (~10-40 ms, the OID registry re-read), which
     * under load was the feed's largest cost (JFR and thread dumps, 4 consumers on 2 cores).
     */
    private final int maxIdle = Math.max(4, Runtime.getRuntime().availableProcessors());
    private final Deque<Lent> idle = new ConcurrentLinkedDeque<>();

    PooledFhirInstanceValidator(IValidationSupport validationSupport) {
        super(validationSupport);
    }

    @Override
    protected List<ValidationMessage> validate(IValidationContext<?> context) {
        IWorkerContext workerContext = provideWorkerContext();
        Lent lent = borrow(workerContext);
        List<ValidationMessage> messages = validate(lent.validator, workerContext, context);
        // Not reached when validation throws: a validator that failed half-way is not lent again.
        giveBack(lent);
        return messages;
    }

    @Override
    public void invalidateCaches() {
        super.invalidateCaches();
        idle.clear();
    }

    private Lent borrow(IWorkerContext workerContext) {
        Lent lent;
        while ((lent = idle.pollFirst()) != null) {
            if (lent.workerContext == workerContext) {
                lent.uses++;
                return lent;
            }
        }
        return new Lent(newInstanceValidator(workerContext), workerContext);
    }

    private void giveBack(Lent lent) {
        if (lent.uses < USES_PER_VALIDATOR && idle.size() < maxIdle) {
            idle.offerFirst(lent);
        }
    }

    /** As HAPI's {@code ValidatorWrapper} configures the validator it builds for each call. */
    private InstanceValidator newInstanceValidator(IWorkerContext workerContext) {
        IHostApplicationServices hostServices = Objects.requireNonNullElseGet(
                getHostApplicationServices(), FhirInstanceValidator.NullEvaluationContext::new);
        ReusableInstanceValidator validator;
        try {
            validator = new ReusableInstanceValidator(workerContext, hostServices);
        } catch (Exception e) {
            throw new ConfigurationException("Could not build an InstanceValidator: " + e.getMessage(), e);
        }
        validator.setAssumeValidRestReferences(isAssumeValidRestReferences());
        validator.setBestPracticeWarningLevel(getBestPracticeWarningLevel());
        validator.setAnyExtensionsAllowed(isAnyExtensionsAllowed());
        validator.setResourceIdRule(IdStatus.OPTIONAL);
        validator.setNoTerminologyChecks(isNoTerminologyChecks());
        validator.setErrorForUnknownProfiles(isErrorForUnknownProfiles());
        // HAPI fixes this; UnknownCodeSystemWarningValidationSupport decides the severity in the end.
        validator.setUnknownCodeSystemsCauseErrors(true);
        validator.getExtensionDomains().addAll(getExtensionDomains());
        validator.setFetcher(getValidatorResourceFetcher());
        validator.setPolicyAdvisor(getValidatorPolicyAdvisor());
        validator.setNoExtensibleWarnings(isNoExtensibleWarnings());
        validator.setNoBindingMsgSuppressed(isNoBindingMsgSuppressed());
        validator.setAllowExamples(isAllowExamples());
        validator.setAllowXsiLocation(true);
        return validator;
    }

    /** One call, as HAPI's {@code ValidatorWrapper.validate} makes it. */
    private List<ValidationMessage> validate(
            InstanceValidator validator, IWorkerContext workerContext, IValidationContext<?> context) {
        List<ValidationMessage> messages = new ArrayList<>();
        List<StructureDefinition> profiles = new ArrayList<>();
        List<ValidationMessage> unknownProfiles = new ArrayList<>();
        for (String profile : context.getOptions().getProfiles()) {
            addProfile(workerContext, profiles, profile, unknownProfiles);
        }

        String input = context.getResourceAsString();
        EncodingEnum encoding = context.getResourceAsStringEncoding();
        InputStream stream = new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8));
        if (encoding == EncodingEnum.XML) {
            Document document;
            try {
                document = XmlUtil.parseDocument(input);
            } catch (Exception e) {
                LOG.error("Failure to parse XML input", e);
                ValidationMessage m = new ValidationMessage();
                m.setLevel(IssueSeverity.FATAL);
                m.setMessage("Failed to parse input, it does not appear to be valid XML:" + e.getMessage());
                messages.add(m);
                return messages;
            }
            for (String profile : metaProfiles(document)) {
                addProfile(workerContext, profiles, profile, unknownProfiles);
            }
            validator.validate(null, messages, stream, FhirFormat.XML, profiles);
        } else if (encoding == EncodingEnum.JSON) {
            JsonObject json = new Gson().fromJson(input, JsonObject.class);
            JsonObject meta = json.getAsJsonObject("meta");
            if (meta != null && meta.get("profile") != null && meta.get("profile").isJsonArray()) {
                for (JsonElement profile : meta.get("profile").getAsJsonArray()) {
                    addProfile(workerContext, profiles, profile.getAsString(), unknownProfiles);
                }
            }
            validator.validate(context.getOptions().getAppContext(), messages, stream, FhirFormat.JSON, profiles);
        } else {
            throw new IllegalArgumentException("Unknown encoding: " + encoding);
        }

        if (profiles.isEmpty() && !unknownProfiles.isEmpty()) {
            messages.addAll(unknownProfiles);
        }
        List<ValidationMessage> kept = new ArrayList<>(messages.size());
        for (ValidationMessage m : messages) {
            String id = m.getMessageId();
            boolean noise = id != null && (id.equals(I18nConstants.TERMINOLOGY_TX_BINDING_NOSOURCE)
                    || (id.equals(I18nConstants.TERMINOLOGY_TX_VALUESET_NOTFOUND)
                            && m.getMessage().contains("http://hl7.org/fhir/ValueSet/mimetypes")));
            if (noise) {
                continue;
            }
            if (I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN.equals(id)
                    || I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN_NOT_POLICY.equals(id)) {
                m.setLevel(isErrorForUnknownProfiles() ? IssueSeverity.ERROR : IssueSeverity.WARNING);
            }
            kept.add(m);
        }
        return kept;
    }

    private static void addProfile(IWorkerContext workerContext, List<StructureDefinition> profiles, String url,
            List<ValidationMessage> unknownProfiles) {
        try {
            StructureDefinition profile = workerContext.fetchResource(StructureDefinition.class, url);
            if (profile != null) {
                profiles.add(profile);
            } else {
                ValidationMessage m = new ValidationMessage();
                m.setMessageId(I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN);
                m.setLevel(IssueSeverity.ERROR);
                m.setMessage("Invalid profile. Failed to retrieve profile with url=" + url);
                unknownProfiles.add(m);
            }
        } catch (FHIRException e) {
            LOG.debug("Failed to load profile: {}", url);
        }
    }

    private static List<String> metaProfiles(Document document) {
        List<String> urls = new ArrayList<>();
        NodeList children = document.getChildNodes().item(0).getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i).getNodeName().equalsIgnoreCase("meta")) {
                NodeList meta = children.item(i).getChildNodes();
                for (int j = 0; j < meta.getLength(); j++) {
                    if (meta.item(j).getNodeName().equalsIgnoreCase("profile")) {
                        urls.add(meta.item(j).getAttributes().item(0).getNodeValue());
                    }
                }
                break;
            }
        }
        return urls;
    }

    /** A validator on loan, and how many calls it has served. */
    private static final class Lent {
        final InstanceValidator validator;
        final IWorkerContext workerContext;
        int uses = 1;

        Lent(InstanceValidator validator, IWorkerContext workerContext) {
            this.validator = validator;
            this.workerContext = workerContext;
        }
    }

    /**
     * Forgets which definitions' status it has already hinted about at the start of each call, as a new
     * validator would; otherwise a draft or deprecated profile would be mentioned on the first call only.
     */
    private static final class ReusableInstanceValidator extends InstanceValidator {

        ReusableInstanceValidator(IWorkerContext workerContext, IHostApplicationServices hostServices) throws Exception {
            super(workerContext, hostServices, new XVerExtensionManagerOld(workerContext), new ValidatorSession(),
                    new ValidatorSettings());
        }

        @Override
        public Element validate(Object appContext, List<ValidationMessage> errors, InputStream stream,
                FhirFormat format, List<StructureDefinition> profiles) throws FHIRException {
            statusWarnings.clear();
            return super.validate(appContext, errors, stream, format, profiles);
        }
    }
}
