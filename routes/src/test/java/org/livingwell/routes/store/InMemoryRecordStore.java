package org.livingwell.routes.store;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.FhirTerser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.livingwell.routes.identity.NhsNumber;

/**
 * A small in-memory FHIR record for tests of the writer and the routes: conditional creates, versioned
 * updates, urn:uuid references, searches by identifier or by reference; one transaction at a time. It
 * remembers every transaction and can be told to fail, per patient (NHS number).
 */
public final class InMemoryRecordStore implements RecordStore {

    private final Map<String, Resource> resources = new ConcurrentHashMap<>();
    private final List<Bundle> applied = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> attemptsByNhsNumber = new ConcurrentHashMap<>();
    private final Map<String, Integer> transientFailuresByNhsNumber = new ConcurrentHashMap<>();
    private final Map<String, Boolean> rejectedNhsNumbers = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final FhirTerser terser = FhirContext.forR4Cached().newTerser();

    @Override
    public synchronized Bundle apply(Bundle transaction) {
        for (String nhsNumber : nhsNumbersIn(transaction)) {
            if (rejectedNhsNumbers.containsKey(nhsNumber)) {
                throw new RecordRejectedException("HTTP 422: Patient failed profile validation", (Throwable) null);
            }
        }
        Map<String, String> created = new HashMap<>();
        Map<String, Resource> staged = new HashMap<>();
        Bundle response = new Bundle().setType(BundleType.TRANSACTIONRESPONSE);
        for (BundleEntryComponent entry : transaction.getEntry()) {
            if (entry.getRequest().getMethod() == Bundle.HTTPVerb.DELETE) {
                resources.remove(entry.getRequest().getUrl());
                continue;
            }
            Resource resource = entry.getResource().copy();
            String type = resource.fhirType();
            String id;
            if (entry.getRequest().getMethod() == Bundle.HTTPVerb.PUT) {
                id = entry.getRequest().getUrl();
                Resource current = resources.get(id);
                String ifMatch = entry.getRequest().getIfMatch();
                if (ifMatch != null && (current == null || !ifMatch.equals("W/\"" + current.getMeta().getVersionId() + "\""))) {
                    throw new RecordConflictException("version conflict on " + id, null);
                }
                int version = current == null ? 1 : Integer.parseInt(current.getMeta().getVersionId()) + 1;
                resource.getMeta().setVersionId(String.valueOf(version));
            } else {
                String ifNoneExist = entry.getRequest().getIfNoneExist();
                if (ifNoneExist != null && !find(type + "?" + ifNoneExist).isEmpty()) {
                    throw new RecordConflictException("a concurrent create of " + type + "?" + ifNoneExist, null);
                }
                id = type + "/" + ids.incrementAndGet();
                resource.getMeta().setVersionId("1");
            }
            resource.setId(id);
            created.put(entry.getFullUrl(), id);
            staged.put(id, resource);
            response.addEntry().getResponse().setLocation(id + "/_history/" + resource.getMeta().getVersionId());
        }
        for (Resource resource : staged.values()) {
            for (Reference reference : terser.getAllPopulatedChildElementsOfType(resource, Reference.class)) {
                String target = created.get(reference.getReference());
                if (target != null) {
                    reference.setReference(target);
                }
            }
        }
        for (Resource resource : staged.values()) {
            for (Reference reference : terser.getAllPopulatedChildElementsOfType(resource, Reference.class)) {
                String target = reference.getReference();
                // Referential integrity, as HAPI enforces it: a reference to a resource that is not there is refused.
                if (target != null && target.matches("[A-Z][A-Za-z]+/[^/]+")
                        && !resources.containsKey(target) && !staged.containsKey(target)) {
                    throw new RecordRejectedException("HTTP 400: Resource " + target + " not found", (Throwable) null);
                }
            }
        }
        resources.putAll(staged);
        applied.add(transaction);
        return response;
    }

    /** {@code Type?identifier=system|value[,system|value...]}, or {@code Type?anyParameter=Type/id} for a reference search. */
    @Override
    public void removeTags(String reference, List<org.hl7.fhir.r4.model.Coding> tags) {
        Resource stored = resources.get(reference);
        if (stored != null) {
            stored.getMeta().getTag().removeIf(tag -> tags.stream().anyMatch(removed ->
                    removed.getSystem().equals(tag.getSystem()) && removed.getCode().equals(tag.getCode())));
        }
    }

    @Override
    public List<Resource> search(String searchUrl) {
        String type = searchUrl.substring(0, searchUrl.indexOf('?'));
        String parameter = searchUrl.substring(searchUrl.indexOf('?') + 1, searchUrl.indexOf('='));
        String value = searchUrl.substring(searchUrl.indexOf('=') + 1);
        if (type.equals("Patient") && parameter.equals("identifier") && value.startsWith(NhsNumber.SYSTEM + "|")) {
            failIfTold(value.substring(value.indexOf('|') + 1));
        }
        return find(searchUrl);
    }

    private List<Resource> find(String searchUrl) {
        String type = searchUrl.substring(0, searchUrl.indexOf('?'));
        String parameter = searchUrl.substring(searchUrl.indexOf('?') + 1, searchUrl.indexOf('='));
        String value = searchUrl.substring(searchUrl.indexOf('=') + 1);
        List<Resource> found = new ArrayList<>();
        for (Resource resource : resources.values()) {
            if (resource.fhirType().equals(type) && matches(resource, parameter, value)) {
                found.add(resource.copy());
            }
        }
        return found;
    }

    private boolean matches(Resource resource, String parameter, String value) {
        if (parameter.equals("identifier")) {
            // Several values separated by commas: any of them (FHIR's OR), as RecordWriter groups look-ups.
            List<String> values = List.of(value.split(","));
            return terser.getValues(resource, "identifier", Identifier.class).stream()
                    .anyMatch(identifier -> values.contains(identifier.getSystem() + "|" + identifier.getValue()));
        }
        return terser.getAllPopulatedChildElementsOfType(resource, Reference.class).stream()
                .anyMatch(reference -> value.equals(reference.getReference()));
    }

    private void failIfTold(String nhsNumber) {
        int attempt = attemptsByNhsNumber.computeIfAbsent(nhsNumber, n -> new AtomicInteger()).incrementAndGet();
        if (attempt <= transientFailuresByNhsNumber.getOrDefault(nhsNumber, 0)) {
            throw new IllegalStateException("database unavailable (attempt " + attempt + ")");
        }
    }

    @Override
    public synchronized <T> T inTransaction(Supplier<T> work) {
        return work.get();
    }

    /** Removes a resource, as a partner's delete would. */
    public void delete(String typeAndId) {
        resources.remove(typeAndId);
    }

    /** The first {@code times} look-ups of this patient fail as if the database were down. */
    public void failTransiently(String nhsNumber, int times) {
        transientFailuresByNhsNumber.put(nhsNumber, times);
    }

    /** Every transaction writing this patient is refused as invalid content. */
    public void reject(String nhsNumber) {
        rejectedNhsNumbers.put(nhsNumber, true);
    }

    /** How many times a change for this patient was tried (each try looks the patient up first). */
    public int attempts(String nhsNumber) {
        AtomicInteger attempts = attemptsByNhsNumber.get(nhsNumber);
        return attempts == null ? 0 : attempts.get();
    }

    /** Every transaction applied, in order. */
    public List<Bundle> applied() {
        return applied;
    }

    /** Transactions that wrote this patient. */
    public List<Bundle> appliedFor(String nhsNumber) {
        return applied.stream().filter(bundle -> nhsNumbersIn(bundle).contains(nhsNumber)).toList();
    }

    /** The stored resources of a type, copies. */
    public <R extends Resource> List<R> stored(Class<R> type) {
        return resources.values().stream().filter(type::isInstance).map(type::cast).map(r -> type.cast(r.copy())).toList();
    }

    /** Stored Patients with this NHS number. */
    public List<Patient> patients(String nhsNumber) {
        return stored(Patient.class).stream()
                .filter(patient -> patient.getIdentifier().stream().anyMatch(
                        identifier -> NhsNumber.SYSTEM.equals(identifier.getSystem()) && nhsNumber.equals(identifier.getValue())))
                .toList();
    }

    private static List<String> nhsNumbersIn(Bundle bundle) {
        return bundle.getEntry().stream()
                .map(BundleEntryComponent::getResource)
                .filter(Patient.class::isInstance)
                .flatMap(patient -> ((Patient) patient).getIdentifier().stream())
                .filter(identifier -> NhsNumber.SYSTEM.equals(identifier.getSystem()))
                .map(Identifier::getValue)
                .toList();
    }
}
