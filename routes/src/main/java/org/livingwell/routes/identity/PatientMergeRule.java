package org.livingwell.routes.identity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * The one rule by which every feed writes a Patient: the patient belongs to every feed, so no feed's
 * write erases what another wrote.
 *
 * <ul>
 *   <li>Identifiers accumulate: one a feed does not send is never dropped.
 *   <li>An element the message does not carry keeps its stored value; only an explicit null (HL7
 *       {@code ""}) clears it.
 *   <li>Newer source events win: each element remembers when (and by which feed) it was last changed
 *       ({@link #ELEMENT_SOURCE} extension), and an older message does not overwrite a newer value. (A value
 *       said again unchanged keeps the time it was first said: a late message dated between the two could
 *       still replace it; the price of not writing a new Patient version for every message.)
 *   <li>The GP feed owns {@code generalPractitioner}: another feed fills it only while no GP-feed value exists.
 * </ul>
 *
 * <p>Pure: the store applies it inside its transaction to what it has just read.
 */
public final class PatientMergeRule {

    /** The feed that owns the registered GP (the practices' own registers). */
    public static final String GP_FEED = "gp-smi-register";

    /** Extension on the Patient: for one element, which feed set it and the time of its source event. */
    public static final String ELEMENT_SOURCE = "https://fhir.livingwell.example/StructureDefinition/lw-element-source";

    /** UK Core extensions carried as patient elements. */
    public static final String ETHNIC_CATEGORY_EXTENSION =
            "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory";
    public static final String NHS_NUMBER_VERIFICATION_EXTENSION =
            "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus";

    private PatientMergeRule() {}

    /** The Patient to store: what is stored (a copy the rule may change) with what the feed says merged in. */
    public static Patient merge(Optional<Patient> stored, PatientContribution incoming) {
        Patient result = stored.orElseGet(Patient::new);
        Patient sent = incoming.patient();
        if (stored.isEmpty()) {
            result.setMeta(sent.getMeta().copy());
        } else {
            sent.getMeta().getProfile().forEach(profile -> {
                if (!result.getMeta().hasProfile(profile.getValue())) {
                    result.getMeta().addProfile(profile.getValue());
                }
            });
        }
        addMissingIdentifiers(result, sent);
        for (PatientElement element : PatientElement.values()) {
            boolean carried = has(sent, element);
            boolean cleared = incoming.cleared().contains(element);
            if ((carried || cleared) && wins(result, element, incoming)) {
                boolean changes = changes(result, sent, element);
                if (changes) {
                    copy(sent, result, element);
                }
                // The same value said again keeps its time: otherwise every message about the patient would
                // write a new version of the Patient (that cost the trust feed a Patient write per ADT message).
                if (changes || source(result, element).isEmpty()) {
                    recordSource(result, element, incoming);
                }
            }
        }
        return result;
    }

    private static void addMissingIdentifiers(Patient result, Patient sent) {
        for (Identifier identifier : sent.getIdentifier()) {
            boolean known = result.getIdentifier().stream().anyMatch(stored ->
                    stored.getSystem() != null && stored.getSystem().equals(identifier.getSystem())
                            && stored.getValue() != null && stored.getValue().equals(identifier.getValue()));
            if (!known) {
                Identifier added = identifier.copy();
                // Verification status is an element of its own (NHS_NUMBER_VERIFICATION), merged below.
                added.getExtension().removeIf(extension -> NHS_NUMBER_VERIFICATION_EXTENSION.equals(extension.getUrl()));
                result.addIdentifier(added);
            }
        }
    }

    /** Whether taking the sent value of the element would change the stored Patient. */
    private static boolean changes(Patient stored, Patient sent, PatientElement element) {
        if (element == PatientElement.GENERAL_PRACTITIONER && identifiedAlike(stored.getGeneralPractitioner(), sent.getGeneralPractitioner())) {
            // The sent reference is the feed's placeholder for the practice; the stored one its id.
            return false;
        }
        Patient probe = stored.copy();
        copy(sent, probe, element);
        return !probe.equalsDeep(stored);
    }

    /** Whether this feed's value may replace the stored one. */
    private static boolean wins(Patient stored, PatientElement element, PatientContribution incoming) {
        Optional<Extension> source = source(stored, element);
        if (source.isEmpty()) {
            return true;
        }
        String storedFeed = source.get().getExtensionString("feed");
        if (element == PatientElement.GENERAL_PRACTITIONER && GP_FEED.equals(storedFeed)
                && !GP_FEED.equals(incoming.feed())) {
            return false;
        }
        Extension time = source.get().getExtensionByUrl("time");
        if (incoming.sourceTime() == null || time == null || !(time.getValue() instanceof InstantType storedTime)) {
            return true;
        }
        return !incoming.sourceTime().isBefore(storedTime.getValue().toInstant());
    }

    private static Optional<Extension> source(Patient patient, PatientElement element) {
        return patient.getExtensionsByUrl(ELEMENT_SOURCE).stream()
                .filter(extension -> element.name().equals(extension.getExtensionString("element")))
                .findFirst();
    }

    private static void recordSource(Patient result, PatientElement element, PatientContribution incoming) {
        result.getExtension().removeIf(extension -> ELEMENT_SOURCE.equals(extension.getUrl())
                && element.name().equals(extension.getExtensionString("element")));
        Extension source = result.addExtension().setUrl(ELEMENT_SOURCE);
        source.addExtension("element", new CodeType(element.name()));
        source.addExtension("feed", new StringType(incoming.feed()));
        Instant time = incoming.sourceTime();
        if (time != null) {
            source.addExtension("time", new InstantType(Date.from(time)));
        }
    }

    private static boolean has(Patient patient, PatientElement element) {
        return switch (element) {
            case NAME -> patient.hasName();
            case GENDER -> patient.hasGender();
            case BIRTH_DATE -> patient.hasBirthDate();
            case ADDRESS -> patient.hasAddress();
            case TELECOM -> patient.hasTelecom();
            case DECEASED -> patient.hasDeceased();
            case GENERAL_PRACTITIONER -> patient.hasGeneralPractitioner();
            case ETHNIC_CATEGORY -> patient.hasExtension(ETHNIC_CATEGORY_EXTENSION);
            case NHS_NUMBER_VERIFICATION -> nhsNumber(patient)
                    .map(identifier -> identifier.hasExtension(NHS_NUMBER_VERIFICATION_EXTENSION)).orElse(false);
        };
    }

    /** Sets the element of {@code to} to what {@code from} has (nothing, if {@code from} has none: a clear). */
    private static void copy(Patient from, Patient to, PatientElement element) {
        switch (element) {
            case NAME -> to.setName(copies(from.getName()));
            case GENDER -> to.setGenderElement(from.getGenderElement().copy());
            case BIRTH_DATE -> to.setBirthDateElement(from.getBirthDateElement().copy());
            case ADDRESS -> to.setAddress(copies(from.getAddress()));
            case TELECOM -> to.setTelecom(copies(from.getTelecom()));
            case DECEASED -> to.setDeceased(from.hasDeceased() ? from.getDeceased().copy() : null);
            case GENERAL_PRACTITIONER -> to.setGeneralPractitioner(copies(from.getGeneralPractitioner()));
            case ETHNIC_CATEGORY -> {
                to.getExtension().removeIf(extension -> ETHNIC_CATEGORY_EXTENSION.equals(extension.getUrl()));
                from.getExtensionsByUrl(ETHNIC_CATEGORY_EXTENSION).forEach(extension -> to.addExtension(extension.copy()));
            }
            case NHS_NUMBER_VERIFICATION -> nhsNumber(to).ifPresent(target -> {
                target.getExtension().removeIf(extension -> NHS_NUMBER_VERIFICATION_EXTENSION.equals(extension.getUrl()));
                nhsNumber(from).ifPresent(source -> source.getExtensionsByUrl(NHS_NUMBER_VERIFICATION_EXTENSION)
                        .forEach(extension -> target.addExtension(extension.copy())));
            });
        }
    }

    /** The same organisations by business identifier, in the same order (every reference carrying one). */
    private static boolean identifiedAlike(List<Reference> stored, List<Reference> sent) {
        if (stored.size() != sent.size() || !sent.stream().allMatch(Reference::hasIdentifier)) {
            return false;
        }
        for (int i = 0; i < sent.size(); i++) {
            Identifier a = stored.get(i).getIdentifier();
            Identifier b = sent.get(i).getIdentifier();
            if (!Objects.equals(a.getSystem(), b.getSystem()) || !Objects.equals(a.getValue(), b.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static Optional<Identifier> nhsNumber(Patient patient) {
        return patient.getIdentifier().stream().filter(identifier -> NhsNumber.SYSTEM.equals(identifier.getSystem())).findFirst();
    }

    @SuppressWarnings("unchecked")
    private static <T extends Base> List<T> copies(List<T> elements) {
        return new ArrayList<>(elements.stream().map(element -> (T) element.copy()).toList());
    }
}
