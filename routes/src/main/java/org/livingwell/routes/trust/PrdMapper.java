package org.livingwell.routes.trust;

import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.model.v251.datatype.CE;
import ca.uhn.hl7v2.model.v251.datatype.PLN;
import ca.uhn.hl7v2.model.v251.datatype.XON;
import ca.uhn.hl7v2.model.v251.datatype.XPN;
import ca.uhn.hl7v2.model.v251.segment.PRD;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiFunction;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.livingwell.routes.identity.OdsOrganization;
import org.livingwell.routes.store.Upsert;
import org.livingwell.routes.codes.CodeMap;
import org.livingwell.routes.trust.hl7.Hl7TranslationException;
import org.livingwell.routes.trust.hl7.Hl7Values;
import org.livingwell.routes.trust.hl7.XpnMapper;

/**
 * Reads the providers a REF names in its PRD segments: who referred (PRD-1 role {@code RP}) and the team or
 * service referred to ({@code RT}). An organisation is known by its ODS code (PRD-7 typed {@code ODS}, else the
 * XON in PRD-10, from v2.6), a person by their PRD-7 identifier, a trust team by its PRD-7 code.
 */
public final class PrdMapper {

    /** PRD-1: the referring provider. */
    public static final String REFERRER = "RP";
    /** PRD-1: the provider referred to. */
    public static final String REFERRED_TO = "RT";

    private static final String ODS_TYPE = "ODS";
    private static final CodeMap PRACTITIONER_SYSTEMS = CodeMap.load("v2-0338-to-identifier-system");

    private PrdMapper() {}

    /**
     * A provider as the referral points at it.
     *
     * @param reference the placeholder of the upsert that creates what it names (with its identifier and name),
     *     or, for a provider known only by name, the name alone
     * @param upserts what creates the Practitioner or HealthcareService referenced; an organisation's upsert comes
     *     from the {@code organizations} function the caller passes, which keeps one per ODS code in a change
     * @param team the identifier of one of the trust's own teams (a HealthcareService), whose caseload it keeps
     */
    public record Provider(Reference reference, List<Upsert<?>> upserts, Optional<Identifier> team) {}

    /** The first PRD with this role in PRD-1, in any repetition. */
    public static Optional<PRD> withRole(List<PRD> prds, String role) {
        return prds.stream()
                .filter(prd -> Arrays.stream(prd.getProviderRole())
                        .map(CE::getIdentifier).map(Hl7Values::of).flatMap(Optional::stream)
                        .anyMatch(role::equalsIgnoreCase))
                .findFirst();
    }

    /**
     * The referrer: its organisation by ODS code, else a Practitioner by PRD-7 identifier, else its name alone;
     * empty if the PRD names nobody.
     *
     * @param organizations the organisation with an ODS code and, if the message gives one, a name
     */
    public static Optional<Provider> referrer(PRD prd, SendingTrust trust, BiFunction<String, String, OdsOrganization> organizations) {
        Optional<XON> organization = organization(prd);
        Optional<String> odsCode = odsCode(prd, organization);
        if (odsCode.isPresent()) {
            String name = organization.flatMap(xon -> Hl7Values.of(xon.getOrganizationName())).orElse(null);
            return Optional.of(new Provider(organizations.apply(odsCode.get(), name).reference().copy(), List.of(), Optional.empty()));
        }
        Optional<String> name = personName(prd).map(HumanName::getNameAsSingleString);
        Optional<PLN> identifier = personalIdentifier(prd);
        if (identifier.isEmpty()) {
            return name.map(display -> new Provider(new Reference().setDisplay(display), List.of(), Optional.empty()));
        }
        String type = Hl7Values.of(identifier.get().getTypeOfIDNumber()).orElse("");
        Identifier id = new Identifier()
                .setSystem(PRACTITIONER_SYSTEMS.lookup(type).orElse(trust.system("staff")))
                .setValue(Hl7Values.of(identifier.get().getIDNumber()).orElseThrow());
        Practitioner practitioner = new Practitioner().addIdentifier(id.copy());
        for (XPN xpn : prd.getProviderName()) {
            XpnMapper.map(xpn).ifPresent(practitioner::addName);
        }
        Upsert<Practitioner> upsert =
                Upsert.createIfAbsent(practitioner, Upsert.byIdentifier("Practitioner", id.getSystem(), id.getValue()));
        Reference reference = new Reference(upsert.reference()).setIdentifier(id).setDisplay(name.orElse(null));
        return Optional.of(new Provider(reference, List.of(upsert), Optional.empty()));
    }

    /**
     * The team or service referred to: a partner organisation by ODS code (other than the trust's), else one of
     * the trust's teams by PRD-7 code (a HealthcareService the trust provides), else the trust itself by its own
     * ODS code (no team named).
     *
     * @throws Hl7TranslationException at PRD-7 (101) if the PRD identifies none of them
     */
    public static Provider referredTo(PRD prd, SendingTrust trust, BiFunction<String, String, OdsOrganization> organizations) {
        Optional<XON> organization = organization(prd);
        Optional<String> odsCode = odsCode(prd, organization);
        Optional<String> organizationName = organization.flatMap(xon -> Hl7Values.of(xon.getOrganizationName()));
        if (odsCode.isPresent() && !odsCode.get().equals(trust.odsCode())) {
            return new Provider(organizations.apply(odsCode.get(), organizationName.orElse(null)).reference().copy(),
                    List.of(), Optional.empty());
        }
        // A team's name is in PRD-2 (its PRD-10, if any, names the trust).
        Optional<String> name = personName(prd).map(HumanName::getNameAsSingleString).or(() -> organizationName);
        Optional<String> teamCode = personalIdentifier(prd).flatMap(pln -> Hl7Values.of(pln.getIDNumber()));
        if (teamCode.isEmpty()) {
            if (odsCode.isPresent()) {
                return new Provider(trust.organization().reference().copy(), List.of(), Optional.empty());
            }
            throw new Hl7TranslationException("PRD-7", ErrorCode.REQUIRED_FIELD_MISSING,
                    "the provider referred to (role RT) has no identifier: neither a team code nor an ODS code");
        }
        Identifier team = new Identifier().setSystem(trust.system("team")).setValue(teamCode.get());
        HealthcareService service = new HealthcareService()
                .addIdentifier(team.copy())
                .setActive(true)
                .setName(name.orElse(null))
                .setProvidedBy(trust.organization().reference().copy());
        Upsert<HealthcareService> upsert =
                Upsert.createIfAbsent(service, Upsert.byIdentifier("HealthcareService", team.getSystem(), team.getValue()));
        Reference reference = new Reference(upsert.reference()).setIdentifier(team.copy()).setDisplay(name.orElse(null));
        return new Provider(reference, List.of(upsert), Optional.of(team));
    }

    /** The ODS code: PRD-7 typed ODS, else PRD-10's XON-10, else its XON-3 (as 2.3/2.4 senders put it in PD1-3). */
    private static Optional<String> odsCode(PRD prd, Optional<XON> organization) {
        return Arrays.stream(prd.getProviderIdentifiers())
                .filter(pln -> Hl7Values.of(pln.getTypeOfIDNumber()).filter(ODS_TYPE::equalsIgnoreCase).isPresent())
                .map(pln -> Hl7Values.of(pln.getIDNumber())).flatMap(Optional::stream)
                .findFirst()
                .or(() -> organization.flatMap(xon -> Hl7Values.of(xon.getOrganizationIdentifier())
                        .or(() -> Hl7Values.of(xon.getIDNumber()))))
                .map(code -> code.toUpperCase(Locale.ROOT));
    }

    /** The first PRD-7 identifier that is not an ODS code: a person's (GMC, GMP...) or a team's code. */
    private static Optional<PLN> personalIdentifier(PRD prd) {
        return Arrays.stream(prd.getProviderIdentifiers())
                .filter(pln -> Hl7Values.of(pln.getIDNumber()).isPresent())
                .filter(pln -> Hl7Values.of(pln.getTypeOfIDNumber()).filter(ODS_TYPE::equalsIgnoreCase).isEmpty())
                .findFirst();
    }

    private static Optional<HumanName> personName(PRD prd) {
        return Arrays.stream(prd.getProviderName()).map(XpnMapper::map).flatMap(Optional::stream).findFirst();
    }

    /**
     * PRD-10 (v2.6 on), which the 2.5.1 structure lacks: HAPI keeps it as an extra field, read here as the XON it is.
     */
    private static Optional<XON> organization(PRD prd) {
        try {
            if (prd.numFields() < 10) {
                return Optional.empty();
            }
            for (Type sent : prd.getField(10)) {
                XON xon = new XON(prd.getMessage());
                xon.parse(sent.encode());
                if (!xon.isEmpty()) {
                    return Optional.of(xon);
                }
            }
            return Optional.empty();
        } catch (HL7Exception unreadable) {
            throw new Hl7TranslationException("PRD-10", "not an organisation name and identifier (XON): " + unreadable.getMessage());
        }
    }
}
