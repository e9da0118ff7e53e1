package org.livingwell.routes.store;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.FhirTerser;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Patient.LinkType;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Provenance.ProvenanceEntityRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.livingwell.routes.store.RecordChange.Origin;
import org.livingwell.routes.store.RecordChange.PatientMerge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies feeds' {@link RecordChange}s to a {@link RecordStore}: reads what each {@link Upsert} names,
 * lets the feed's function compute the new resource from it, writes only what changed (versioned
 * updates, conditional creates), carries out a patient merge, and adds one Provenance for what it wrote.
 * Everything happens inside the store's transaction; a conflict with a concurrent writer is retried
 * from the start, so it reads the other writer's result and merges with it instead of erasing it. Within
 * this process, changes for the same patient take turns (a lock per patient), so they rarely conflict; the
 * versioned writes are what keeps several gateway processes on one database correct.
 */
public final class RecordWriter {

    /** How often a change is re-read and re-applied after a concurrent write of the same data. */
    static final int CONFLICT_ATTEMPTS = 8;

    /** Identifier system of the sending systems named as Provenance agents. */
    public static final String SENDER_SYSTEM = "https://fhir.livingwell.example/Id/sending-system";
    /** Identifier system prefix of source messages named as Provenance entities; the feed follows. */
    public static final String MESSAGE_SYSTEM = "https://fhir.livingwell.example/Id/source-message/";

    /** Where the record points at a patient: what a merge re-points to the survivor. */
    private static final List<String> PATIENT_REFERENCES = List.of(
            "Encounter?subject=", "ServiceRequest?subject=", "EpisodeOfCare?patient=", "CarePlan?subject=",
            "Condition?subject=");

    private static final Logger LOG = LoggerFactory.getLogger(RecordWriter.class);

    /** Patients map onto this many locks; two patients sharing one only wait for each other. */
    private static final int PATIENT_LOCK_STRIPES = 1024;

    private final ReentrantLock[] patientLocks = new ReentrantLock[PATIENT_LOCK_STRIPES];
    /**
     * Where create-only resources (practices, the trust, wards) are in the record, by their search: found
     * once, then not searched for again (each search costs a HAPI query and a resource parse).
     */
    private final Map<String, String> createdOnce = new ConcurrentHashMap<>();
    private final RecordStore store;
    private final FhirTerser terser = FhirContext.forR4Cached().newTerser();

    public RecordWriter(RecordStore store) {
        this.store = Objects.requireNonNull(store, "store");
        for (int i = 0; i < PATIENT_LOCK_STRIPES; i++) {
            patientLocks[i] = new ReentrantLock();
        }
    }

    /** Applies one change in a transaction of its own. */
    public AppliedChange write(RecordChange change) {
        return inTransaction(change, () -> apply(change));
    }

    /**
     * Runs work that calls {@link #apply} for this change (and, say, the message log) in one store
     * transaction, from the start again when a concurrent writer changed the same data. The work must be
     * repeatable. While it runs, no other change for the same patients runs in this process: a merge
     * cannot interleave with messages for either of its patients.
     *
     * @throws RecordConflictException if the conflicts go on; the caller retries later
     */
    public <T> T inTransaction(RecordChange change, Supplier<T> work) {
        List<ReentrantLock> locks = patientLocks(change);
        locks.forEach(ReentrantLock::lock);
        try {
            return retryingConflicts(work);
        } finally {
            locks.forEach(ReentrantLock::unlock);
        }
    }

    /** The locks of the change's patients, in one global order so that two changes never deadlock. */
    private List<ReentrantLock> patientLocks(RecordChange change) {
        SortedSet<Integer> stripes = new TreeSet<>();
        change.upserts().stream().filter(upsert -> upsert.type() == Patient.class)
                .forEach(upsert -> stripes.add(stripe(upsert.search())));
        change.merge().ifPresent(merge -> {
            stripes.add(stripe(merge.survivor()));
            stripes.add(stripe(merge.retired()));
        });
        return stripes.stream().map(stripe -> patientLocks[stripe]).toList();
    }

    private static int stripe(String search) {
        return Math.floorMod(search.hashCode(), PATIENT_LOCK_STRIPES);
    }

    private <T> T retryingConflicts(Supplier<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return store.inTransaction(work);
            } catch (RecordConflictException conflict) {
                if (attempt >= CONFLICT_ATTEMPTS) {
                    throw conflict;
                }
                LOG.debug("Conflict with a concurrent write (attempt {}), applying again", attempt);
            }
        }
    }

    /** Applies one change; call it inside {@link #inTransaction(RecordChange, Supplier)}. */
    public AppliedChange apply(RecordChange change) {
        Map<String, Pending> pending = new LinkedHashMap<>();
        Map<String, String> storedReferences = new LinkedHashMap<>();
        List<String> remembered = new ArrayList<>();
        for (Upsert<?> upsert : change.upserts()) {
            String known = upsert.createOnly() ? createdOnce.get(upsert.search()) : null;
            if (known != null) {
                storedReferences.put(upsert.reference(), known);
                remembered.add(upsert.search());
                continue;
            }
            Pending read = new Pending(upsert, readOne(upsert.search()));
            pending.put(upsert.search(), read);
            read.stored.ifPresent(stored -> {
                storedReferences.put(upsert.reference(), versionless(stored));
                if (upsert.createOnly()) {
                    createdOnce.put(upsert.search(), versionless(stored));
                }
            });
        }
        List<String> notes = new ArrayList<>(change.notes());
        for (Pending each : pending.values()) {
            each.compute(storedReferences);
            if (each.stored.isEmpty() && each.result != null && each.upsert.createdNote() != null) {
                notes.add(each.upsert.createdNote());
            }
        }
        List<Resource> repointed = new ArrayList<>();
        change.merge().ifPresent(merge -> merge(merge, pending, storedReferences, repointed, notes));

        Bundle transaction = new Bundle().setType(BundleType.TRANSACTION);
        List<Reference> targets = new ArrayList<>();
        for (Pending each : pending.values()) {
            each.addEntry(transaction, change.origin(), targets);
        }
        for (Resource resource : repointed) {
            addUpdate(transaction, resource, version(resource), change.origin(), targets);
        }
        if (transaction.getEntry().isEmpty()) {
            return new AppliedChange(List.of(), notes);
        }
        transaction.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID())
                .setResource(provenance(change.origin(), targets))
                .getRequest().setMethod(HTTPVerb.POST).setUrl("Provenance");
        Bundle response;
        try {
            response = store.apply(transaction);
        } catch (RecordRejectedException refused) {
            if (remembered.isEmpty()) {
                throw refused;
            }
            // Perhaps a remembered resource is gone (deleted by a partner): look everything up again.
            remembered.forEach(createdOnce::remove);
            throw new RecordConflictException("refused with remembered references; trying again with fresh look-ups", refused);
        }
        List<String> written = response.getEntry().stream()
                .map(entry -> entry.getResponse().getLocation())
                .filter(Objects::nonNull)
                .toList();
        return new AppliedChange(written, notes);
    }

    /** The merge of two patients; see {@link PatientMerge}. */
    private void merge(PatientMerge merge, Map<String, Pending> pending, Map<String, String> storedReferences,
            List<Resource> repointed, List<String> notes) {
        Optional<Patient> retired = readOne(merge.retired()).map(Patient.class::cast);
        if (retired.isEmpty()) {
            notes.add("merge: the retired patient is not in the record; nothing linked or moved");
            return;
        }
        String retiredReference = versionless(retired.get());
        Pending survivor = pending.get(merge.survivor());
        if (survivor == null || survivor.result == null) {
            notes.add("merge: the surviving patient is not in the record; nothing linked or moved");
            return;
        }
        String survivorReference = survivor.stored.map(RecordWriter::versionless).orElse(survivor.upsert.reference());
        if (survivorReference.equals(retiredReference)) {
            notes.add("merge: both identifiers name the same patient; nothing to do");
            return;
        }
        Patient survivorPatient = (Patient) survivor.result;
        if (survivorPatient.getLink().stream().noneMatch(link -> retiredReference.equals(link.getOther().getReference()))) {
            survivorPatient.addLink().setType(LinkType.REPLACES).setOther(new Reference(retiredReference));
        }
        Pending retiredPending = pending.computeIfAbsent(merge.retired(), search -> new Pending(
                Upsert.of(Patient.class, search, stored -> stored.orElse(null)), retired.map(Resource.class::cast)));
        storedReferences.put(retiredPending.upsert.reference(), retiredReference);
        retiredPending.compute(storedReferences);
        Patient retiredPatient = (Patient) retiredPending.result;
        retiredPatient.setActive(false);
        retiredPatient.getLink().removeIf(link -> link.getType() == LinkType.REPLACEDBY);
        retiredPatient.addLink().setType(LinkType.REPLACEDBY).setOther(new Reference(survivorReference));

        for (String search : PATIENT_REFERENCES) {
            for (Resource resource : store.search(search + retiredReference)) {
                for (Reference reference : terser.getAllPopulatedChildElementsOfType(resource, Reference.class)) {
                    if (retiredReference.equals(reference.getReference())) {
                        reference.setReference(survivorReference);
                    }
                }
                repointed.add(resource);
            }
        }
        notes.add("merge: " + repointed.size() + " resource(s) moved to the surviving patient");
    }

    /** What the record holds under a search, e.g. the episodes a full register file may end. */
    public List<Resource> find(String search) {
        return store.search(search);
    }

    /** The one resource a search finds, if any. */
    private Optional<Resource> readOne(String search) {
        List<Resource> found = store.search(search);
        if (found.size() > 1) {
            throw new RecordRejectedException(found.size() + " resources in the record match " + search
                    + "; they must be merged before this message can be applied", (Throwable) null);
        }
        return found.stream().findFirst();
    }

    private void addUpdate(Bundle transaction, Resource resource, String version, Origin origin, List<Reference> targets) {
        String reference = versionless(resource);
        stamp(resource, origin);
        BundleEntryComponent entry = transaction.addEntry().setFullUrl(reference).setResource(resource);
        entry.getRequest().setMethod(HTTPVerb.PUT).setUrl(reference);
        if (version != null) {
            // Versioned update: a concurrent writer's change makes this a conflict, never a silent overwrite.
            entry.getRequest().setIfMatch("W/\"" + version + "\"");
        }
        targets.add(new Reference(reference));
    }

    private static void stamp(Resource resource, Origin origin) {
        resource.getMeta().setVersionId(null).setLastUpdated(null).setSource(origin.metaSource());
    }

    private static Provenance provenance(Origin origin, List<Reference> targets) {
        Provenance provenance = new Provenance();
        provenance.setTarget(targets);
        provenance.setRecorded(new Date());
        if (origin.sentAt() != null) {
            provenance.setOccurred(new DateTimeType(origin.sentAt()));
        }
        provenance.addAgent().setWho(new Reference()
                .setIdentifier(new Identifier().setSystem(SENDER_SYSTEM).setValue(origin.sender()))
                .setDisplay(origin.sender()));
        provenance.addEntity().setRole(ProvenanceEntityRole.SOURCE).setWhat(new Reference()
                .setIdentifier(new Identifier().setSystem(MESSAGE_SYSTEM + origin.feed())
                        .setValue(origin.sender() + "|" + origin.messageId()))
                .setDisplay(origin.feed() + " message " + origin.messageId()));
        provenance.getMeta().setSource(origin.metaSource());
        return provenance;
    }

    /** The stored version, for If-Match. */
    private static String version(Resource stored) {
        return stored.getMeta().hasVersionId() ? stored.getMeta().getVersionId() : stored.getIdElement().getVersionIdPart();
    }

    /** {@code Patient/12}, without the version. */
    private static String versionless(Resource resource) {
        return resource.fhirType() + "/" + resource.getIdElement().getIdPart();
    }

    /** One upsert: what is stored, and what the feed's function made of it. */
    private final class Pending {
        final Upsert<?> upsert;
        final Optional<Resource> stored;
        Resource result;

        Pending(Upsert<?> upsert, Optional<Resource> stored) {
            this.upsert = upsert;
            this.stored = stored;
        }

        void compute(Map<String, String> storedReferences) {
            result = computeFor(upsert, stored);
            if (result == null) {
                return;
            }
            for (Reference reference : terser.getAllPopulatedChildElementsOfType(result, Reference.class)) {
                String stored = storedReferences.get(reference.getReference());
                if (stored != null) {
                    reference.setReference(stored);
                }
            }
        }

        void addEntry(Bundle transaction, Origin origin, List<Reference> targets) {
            if (result == null) {
                return;
            }
            if (stored.isPresent()) {
                Resource current = stored.get();
                result.setId(current.getIdElement().toUnqualifiedVersionless());
                if (sameContent(current, result)) {
                    return;
                }
                addUpdate(transaction, result, version(current), origin, targets);
                return;
            }
            stamp(result, origin);
            result.setId((String) null);
            BundleEntryComponent entry = transaction.addEntry().setFullUrl(upsert.reference()).setResource(result);
            // Conditional create: the database keeps one resource per search, even when two messages race.
            entry.getRequest().setMethod(HTTPVerb.POST).setUrl(upsert.type().getSimpleName())
                    .setIfNoneExist(upsert.search().substring(upsert.search().indexOf('?') + 1));
            targets.add(new Reference(upsert.reference()));
        }
    }

    @SuppressWarnings("unchecked")
    private static <R extends Resource> Resource computeFor(Upsert<R> upsert, Optional<Resource> stored) {
        return upsert.update().apply(stored.map(resource -> (R) resource.copy()));
    }

    /** Equal apart from meta (version, time, source): writing it would add a version that says nothing new. */
    private static boolean sameContent(Resource stored, Resource result) {
        Resource a = stored.copy();
        Resource b = result.copy();
        a.setMeta(null);
        b.setMeta(null);
        a.setIdElement(null);
        b.setIdElement(null);
        return a.equalsDeep(b);
    }
}
