package org.livingwell.routes.identity;

import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Reference;
import org.livingwell.routes.store.Upsert;

/**
 * An organisation known by its ODS code (the registered GP practice, the trust): created in the record
 * the first time a message names it, never changed by later messages.
 *
 * @param upsert creates the LWOrganization if the record has none with this ODS code
 * @param reference how a Patient or Encounter of the same change points at it: the upsert's placeholder,
 *     plus the ODS code so the reference means the same thing at every partner
 */
public record OdsOrganization(Upsert<Organization> upsert, Reference reference) {

    /** The NHS ODS organisation code system. */
    public static final String ODS_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code";
    /** The Living Well Organization profile, declared in {@code meta.profile}. */
    public static final String PROFILE = "https://fhir.livingwell.example/StructureDefinition/LWOrganization";

    /** @param name the organisation's name if the message gives one, else null */
    public static OdsOrganization of(String odsCode, String name) {
        Organization organization = new Organization();
        organization.getMeta().addProfile(PROFILE);
        organization.addIdentifier().setSystem(ODS_SYSTEM).setValue(odsCode);
        organization.setName(name);
        Upsert<Organization> upsert =
                Upsert.createIfAbsent(organization, Upsert.byIdentifier("Organization", ODS_SYSTEM, odsCode));
        Reference reference = new Reference(upsert.reference())
                .setIdentifier(new Identifier().setSystem(ODS_SYSTEM).setValue(odsCode))
                .setDisplay(name);
        return new OdsOrganization(upsert, reference);
    }
}
