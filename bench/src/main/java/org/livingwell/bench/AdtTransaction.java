package org.livingwell.bench;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Encounter.EncounterStatus;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.EpisodeOfCare.EpisodeOfCareStatus;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestIntent;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestPriority;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestStatus;
import org.livingwell.bench.SyntheticAdt.Event;
import org.livingwell.bench.SyntheticAdt.Person;
import org.livingwell.bench.SyntheticAdt.Referral;
import org.livingwell.bench.SyntheticAdt.Visit;
import org.livingwell.routes.identity.NhsNumber;
import org.livingwell.routes.trust.PidMapper;

/**
 * The FHIR transaction the trust feed writes for one ADT event (Patient, GP and trust Organizations,
 * Encounter, Provenance) or REF event (Patient, Organizations, the team's HealthcareService, ServiceRequest,
 * the caseload EpisodeOfCare once accepted, Provenance), built here to post straight to {@code /fhir} for comparison.
 */
final class AdtTransaction {

    static final String ODS_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code";
    static final String VISIT_SYSTEM = "https://fhir.livingwell.example/Id/rv5/visit-number";
    static final String SENDING_SYSTEM = "https://fhir.livingwell.example/Id/sending-system";
    static final String TEAM_SYSTEM = "https://fhir.livingwell.example/Id/rv5/team";
    static final String REFERRAL_SYSTEM = "https://fhir.livingwell.example/Id/rv5/referral-id";
    static final String EPISODE_SYSTEM = "https://fhir.livingwell.example/Id/rv5/referral-episode";
    private static final String EPISODE_TYPE = "https://fhir.livingwell.example/CodeSystem/lw-episode-type";
    private static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    private static final ZoneId TRUST_ZONE = ZoneId.of("Europe/London");

    private AdtTransaction() {}

    static Bundle of(Event event) {
        if (event.referral() != null) {
            return referral(event);
        }
        Bundle bundle = new Bundle().setType(BundleType.TRANSACTION);
        String patientUrl = urn();
        String gpUrl = urn();
        String trustUrl = urn();
        String encounterUrl = urn();
        Person person = event.person();
        Visit visit = event.visit();

        bundle.addEntry().setFullUrl(patientUrl).setResource(patient(person, gpUrl)).getRequest()
                .setMethod(HTTPVerb.PUT).setUrl("Patient?identifier=" + NhsNumber.SYSTEM + "|" + person.nhsNumber());
        addOrganization(bundle, gpUrl, person.gpOds());
        addOrganization(bundle, trustUrl, SyntheticAdt.TRUST_ODS);

        Encounter encounter = new Encounter()
                .addIdentifier(new Identifier().setSystem(VISIT_SYSTEM).setValue(visit.number()))
                .setStatus(visit.discharged() == null ? EncounterStatus.INPROGRESS : EncounterStatus.FINISHED)
                .setClass_(visit.inpatient()
                        ? new Coding(ACT_CODE, "IMP", "inpatient encounter")
                        : new Coding(ACT_CODE, "AMB", "ambulatory"))
                .setSubject(new Reference(patientUrl))
                .setServiceProvider(new Reference(trustUrl));
        Period period = new Period().setStartElement(dateTime(visit.admitted()));
        if (visit.discharged() != null) {
            period.setEndElement(dateTime(visit.discharged()));
        }
        encounter.setPeriod(period);
        encounter.addLocation().setLocation(new Reference().setDisplay(visit.location().replace('^', ' ').strip()));
        bundle.addEntry().setFullUrl(encounterUrl).setResource(encounter).getRequest()
                .setMethod(HTTPVerb.PUT).setUrl("Encounter?identifier=" + VISIT_SYSTEM + "|" + visit.number());

        Provenance provenance = new Provenance()
                .setTarget(List.of(new Reference(patientUrl), new Reference(encounterUrl)))
                .setRecorded(new Date());
        provenance.addAgent().setWho(new Reference().setIdentifier(new Identifier()
                .setSystem(SENDING_SYSTEM).setValue(SyntheticAdt.SENDING_APPLICATION + "^" + SyntheticAdt.TRUST_ODS)));
        bundle.addEntry().setFullUrl(urn()).setResource(provenance).getRequest()
                .setMethod(HTTPVerb.POST).setUrl("Provenance");
        return bundle;
    }

    private static Bundle referral(Event event) {
        Bundle bundle = new Bundle().setType(BundleType.TRANSACTION);
        String patientUrl = urn();
        String gpUrl = urn();
        String trustUrl = urn();
        String teamUrl = urn();
        String requestUrl = urn();
        Person person = event.person();
        Referral referral = event.referral();

        bundle.addEntry().setFullUrl(patientUrl).setResource(patient(person, gpUrl)).getRequest()
                .setMethod(HTTPVerb.PUT).setUrl("Patient?identifier=" + NhsNumber.SYSTEM + "|" + person.nhsNumber());
        addOrganization(bundle, gpUrl, person.gpOds());
        addOrganization(bundle, trustUrl, SyntheticAdt.TRUST_ODS);
        addTeam(bundle, teamUrl, referral.team(), trustUrl);

        ServiceRequest request = new ServiceRequest()
                .addIdentifier(new Identifier().setSystem(REFERRAL_SYSTEM).setValue(referral.id()))
                .setStatus(switch (referral.status()) {
                    case "R" -> ServiceRequestStatus.REVOKED;
                    case "E" -> ServiceRequestStatus.COMPLETED;
                    default -> event.trigger().equals("I14") ? ServiceRequestStatus.REVOKED : ServiceRequestStatus.ACTIVE;
                })
                .setIntent(ServiceRequestIntent.ORDER)
                .setPriority(referral.priority().equals("U") ? ServiceRequestPriority.URGENT
                        : referral.priority().equals("S") ? ServiceRequestPriority.STAT : ServiceRequestPriority.ROUTINE)
                .setCode(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v2-0281", "Psy", "Psychiatric")))
                .setSubject(new Reference(patientUrl))
                .setAuthoredOnElement(dateTime(referral.referred()))
                .setRequester(new Reference(gpUrl))
                .addPerformer(new Reference(teamUrl))
                .addReasonCode(new CodeableConcept(new Coding("http://hl7.org/fhir/sid/icd-10", "F20.0", "Paranoid schizophrenia")));
        if (referral.note() != null) {
            request.addNote().setText(referral.note()).setTimeElement(dateTime(event.time()));
        }
        bundle.addEntry().setFullUrl(requestUrl).setResource(request).getRequest()
                .setMethod(HTTPVerb.PUT).setUrl("ServiceRequest?identifier=" + REFERRAL_SYSTEM + "|" + referral.id());

        List<Reference> targets = new ArrayList<>(List.of(new Reference(patientUrl), new Reference(requestUrl)));
        // Only an accepted referral has an episode; it is still accepted when cancelled (I14) or expired (E).
        if (referral.accepted() || referral.status().equals("E")) {
            String episodeUrl = urn();
            EpisodeOfCare episode = new EpisodeOfCare()
                    .addIdentifier(new Identifier().setSystem(EPISODE_SYSTEM).setValue(referral.id()))
                    .setStatus(request.getStatus() == ServiceRequestStatus.ACTIVE ? EpisodeOfCareStatus.ACTIVE : EpisodeOfCareStatus.FINISHED)
                    .addType(new CodeableConcept(new Coding(EPISODE_TYPE, "trust-community-team", null)))
                    .setPatient(new Reference(patientUrl))
                    .setManagingOrganization(new Reference(trustUrl))
                    .addReferralRequest(new Reference(requestUrl))
                    .addTeam(new Reference().setIdentifier(new Identifier().setSystem(TEAM_SYSTEM).setValue(referral.team())));
            episode.getPeriod().setStartElement(dateTime(referral.referred()));
            if (episode.getStatus() == EpisodeOfCareStatus.FINISHED) {
                episode.getPeriod().setEndElement(dateTime(event.time()));
            }
            bundle.addEntry().setFullUrl(episodeUrl).setResource(episode).getRequest()
                    .setMethod(HTTPVerb.PUT).setUrl("EpisodeOfCare?identifier=" + EPISODE_SYSTEM + "|" + referral.id());
            targets.add(new Reference(episodeUrl));
        }
        Provenance provenance = new Provenance().setTarget(targets).setRecorded(new Date());
        provenance.addAgent().setWho(new Reference().setIdentifier(new Identifier()
                .setSystem(SENDING_SYSTEM).setValue(SyntheticAdt.SENDING_APPLICATION + "^" + SyntheticAdt.TRUST_ODS)));
        bundle.addEntry().setFullUrl(urn()).setResource(provenance).getRequest()
                .setMethod(HTTPVerb.POST).setUrl("Provenance");
        return bundle;
    }

    /** The practices, the trust and its teams, as they stand in the record once the feed has run a while. */
    static Bundle referenceData(List<String> odsCodes, Collection<String> teams) {
        Bundle bundle = new Bundle().setType(BundleType.TRANSACTION);
        odsCodes.forEach(ods -> addOrganization(bundle, urn(), ods));
        String trustUrl = bundle.getEntry().stream()
                .filter(entry -> entry.getRequest().getIfNoneExist().endsWith("|" + SyntheticAdt.TRUST_ODS))
                .map(entry -> entry.getFullUrl()).findFirst().orElseThrow();
        teams.forEach(team -> addTeam(bundle, urn(), team, trustUrl));
        return bundle;
    }

    private static void addTeam(Bundle bundle, String fullUrl, String team, String trustUrl) {
        HealthcareService service = new HealthcareService()
                .addIdentifier(new Identifier().setSystem(TEAM_SYSTEM).setValue(team))
                .setActive(true)
                .setName(Referral.teamName(team))
                .setProvidedBy(new Reference(trustUrl));
        bundle.addEntry().setFullUrl(fullUrl).setResource(service).getRequest()
                .setMethod(HTTPVerb.POST).setUrl("HealthcareService").setIfNoneExist("identifier=" + TEAM_SYSTEM + "|" + team);
    }

    private static Patient patient(Person person, String gpUrl) {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(NhsNumber.SYSTEM).setValue(person.nhsNumber());
        patient.addIdentifier().setSystem(PidMapper.TRUST_MRN_SYSTEM).setValue(person.mrn());
        patient.addName().setFamily(person.family()).addGiven(person.given());
        patient.setGender(person.sex().equals("F") ? AdministrativeGender.FEMALE : AdministrativeGender.MALE);
        patient.setBirthDateElement(new DateType(person.birthDate().toString()));
        patient.addAddress().setUse(Address.AddressUse.HOME).addLine(person.street()).setCity("London")
                .setPostalCode(person.postcode()).setCountry("GBR");
        patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setUse(ContactPoint.ContactPointUse.HOME)
                .setValue(person.phone());
        patient.addGeneralPractitioner(new Reference(gpUrl)
                .setIdentifier(new Identifier().setSystem(ODS_SYSTEM).setValue(person.gpOds())));
        return patient;
    }

    private static void addOrganization(Bundle bundle, String fullUrl, String ods) {
        Organization organization = new Organization();
        organization.addIdentifier().setSystem(ODS_SYSTEM).setValue(ods);
        bundle.addEntry().setFullUrl(fullUrl).setResource(organization).getRequest()
                .setMethod(HTTPVerb.POST).setUrl("Organization").setIfNoneExist("identifier=" + ODS_SYSTEM + "|" + ods);
    }

    private static DateTimeType dateTime(LocalDateTime time) {
        return new DateTimeType(Date.from(time.atZone(TRUST_ZONE).toInstant()));
    }

    private static String urn() {
        return "urn:uuid:" + UUID.randomUUID();
    }
}
