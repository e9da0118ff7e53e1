package org.livingwell.routes.store;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.livingwell.routes.identity.NhsNumber;

/**
 * The remote store against a FHIR server that pages its search results (WireMock stands in for the server: not a
 * system we own). A server chooses its own page size; a match on its second page is as much in the record as one on
 * its first.
 */
class RemoteFhirRecordStoreTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String FIRST = "9990000018";
    private static final String SECOND = "9990000026";
    private static final String BOTH = "Patient?identifier=" + NhsNumber.SYSTEM + "|" + FIRST + "," + NhsNumber.SYSTEM + "|" + SECOND;

    private WireMockServer server;
    private RemoteFhirRecordStore store;

    @BeforeEach
    void start() {
        server = new WireMockServer(options().dynamicPort());
        server.start();
        // The client reads the server's CapabilityStatement before its first request, as against a real server.
        server.stubFor(get(urlPathEqualTo("/fhir/metadata")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/fhir+json")
                .withBody(FHIR.newJsonParser().encodeResourceToString(new CapabilityStatement()
                        .setStatus(Enumerations.PublicationStatus.ACTIVE).setFhirVersion(Enumerations.FHIRVersion._4_0_1)))));
        store = new RemoteFhirRecordStore(FHIR, server.baseUrl() + "/fhir");
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void aLookUpReadsEveryPageTheServerOffers() {
        pagedPatients("Patient/1", "Patient/2");

        List<Resource> found = store.search(BOTH);

        assertThat(found).extracting(resource -> resource.getIdElement().getIdPart()).containsExactly("1", "2");
    }

    @Test
    void pagesAreAskedForAtTheirSizeAndHandedOverOneByOne() {
        pagedPatients("Patient/1", "Patient/2");
        List<List<Resource>> pages = new ArrayList<>();

        store.forEachPage(BOTH, 500, pages::add);

        assertThat(pages).hasSize(2).allSatisfy(page -> assertThat(page).hasSize(1));
        server.verify(getRequestedFor(urlPathEqualTo("/fhir/Patient")).withQueryParam("_count", equalTo("500")));
    }

    @Test
    void aPatientTheServerReturnsOnItsSecondPageIsUpdatedNotCreatedAgain() {
        pagedPatients("Patient/1", "Patient/2");
        Bundle answer = new Bundle().setType(BundleType.TRANSACTIONRESPONSE);
        for (String location : List.of("Patient/1/_history/2", "Patient/2/_history/2", "Provenance/3/_history/1")) {
            answer.addEntry().getResponse().setStatus("200 OK").setLocation(location);
        }
        server.stubFor(post(urlPathEqualTo("/fhir")).willReturn(fhirJson(answer)));

        new RecordWriter(store).writeAll(new RecordChange.Origin("test", "G85001", "F", null),
                List.of(rename(FIRST, "Renamed"), rename(SECOND, "Renamed")));

        Bundle posted = FHIR.newJsonParser().parseResource(Bundle.class,
                server.findAll(postRequestedFor(urlPathEqualTo("/fhir"))).get(0).getBodyAsString());
        assertThat(posted.getEntry()).filteredOn(entry -> entry.getResource() instanceof Patient)
                .extracting(entry -> entry.getRequest().getMethod() + " " + entry.getRequest().getUrl()
                        + " " + entry.getRequest().getIfMatch())
                .containsExactly("PUT Patient/1 W/\"1\"", "PUT Patient/2 W/\"1\"");
    }

    /** Two stored patients (FIRST, SECOND), one to a page: any Patient search finds them over two pages. */
    private void pagedPatients(String firstId, String secondId) {
        String next = server.baseUrl() + "/fhir?_getpages=search-1&_getpagesoffset=1&_count=1&_bundletype=searchset";
        Bundle firstPage = page(patient(firstId, FIRST));
        firstPage.addLink().setRelation("next").setUrl(next);
        server.stubFor(get(urlPathEqualTo("/fhir/Patient")).willReturn(fhirJson(firstPage)));
        server.stubFor(get(urlPathEqualTo("/fhir")).withQueryParam("_getpages", equalTo("search-1"))
                .willReturn(fhirJson(page(patient(secondId, SECOND)))));
    }

    private static Bundle page(Patient patient) {
        Bundle page = new Bundle().setType(BundleType.SEARCHSET);
        page.addEntry().setFullUrl("http://remote/fhir/" + patient.getIdElement().toUnqualifiedVersionless().getValue())
                .setResource(patient).getSearch().setMode(Bundle.SearchEntryMode.MATCH);
        return page;
    }

    private static Patient patient(String id, String nhsNumber) {
        Patient patient = new Patient();
        patient.setId(id + "/_history/1");
        patient.getMeta().setVersionId("1");
        patient.addIdentifier().setSystem(NhsNumber.SYSTEM).setValue(nhsNumber);
        patient.addName().setFamily("Stored");
        return patient;
    }

    private static RecordChange rename(String nhsNumber, String family) {
        Upsert<Patient> upsert = Upsert.of(Patient.class, Upsert.byIdentifier("Patient", NhsNumber.SYSTEM, nhsNumber),
                stored -> {
                    Patient patient = stored.orElseGet(() -> {
                        Patient created = new Patient();
                        created.addIdentifier().setSystem(NhsNumber.SYSTEM).setValue(nhsNumber);
                        return created;
                    });
                    patient.getNameFirstRep().setFamily(family);
                    return patient;
                });
        return new RecordChange(new RecordChange.Origin("test", "G85001", "F:" + nhsNumber, null), List.of(upsert));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder fhirJson(Bundle bundle) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/fhir+json")
                .withBody(FHIR.newJsonParser().encodeResourceToString(bundle));
    }
}
