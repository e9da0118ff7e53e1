package org.livingwell.routes.store;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.FhirTerser;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Patient.LinkType;
import org.hl7.fhir.r4.model.Period;
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

    /** How many resources one grouped look-up asks for at most. */
    static final int LOOKUPS_PER_SEARCH = 100;
    /** {@code Type?identifier=system|value}: the searches {@link #readAll} can group (a value without ',' or '|'). */
    private static final Pattern IDENTIFIER_SEARCH = Pattern.compile("([A-Za-z]+)\\?identifier=([^|,]+)\\|([^|,\\\\]+)");

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
     * Applies several changes (rows of one file, say) in one store transaction and one FHIR transaction, with one
     * Provenance citing {@code provenance} as the source: far cheaper per change than {@link #write}, because the
     * resources they name are looked up a group at a time, a resource several changes name is written once, and
     * there is one commit. If the record refuses the group, each change is applied alone, so that only the
     * changes at fault are refused. Changes for the same resource are applied in list order.
     *
     * @param changes the changes; a patient merge among them is carried out after its own change's upserts
     * @return the refusals, by the index of the change refused; empty when every change was applied
     */
    public Map<Integer, RecordRejectedException> writeAll(Origin provenance, List<RecordChange> changes) {
        List<ReentrantLock> locks = patientLocks(changes);
        locks.forEach(ReentrantLock::lock);
        try {
            retryingConflicts(() -> applyGroup(changes, List.of(provenance)));
            return Map.of();
        } catch (RecordRejectedException refused) {
            LOG.debug("A group of {} changes was refused; applying them one at a time", changes.size());
            Map<Integer, RecordRejectedException> refusals = new TreeMap<>();
            for (int index = 0; index < changes.size(); index++) {
                RecordChange change = changes.get(index);
                try {
                    retryingConflicts(() -> apply(change));
                } catch (RecordRejectedException alone) {
                    refusals.put(index, alone);
                }
            }
            return refusals;
        } finally {
            locks.forEach(ReentrantLock::unlock);
        }
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
        return inTransaction(List.of(change), work);
    }

    /**
     * As {@link #inTransaction(RecordChange, Supplier)}, for work that calls {@link #applyTogether} for these
     * changes: all their patients are locked while it runs.
     */
    public <T> T inTransaction(List<RecordChange> changes, Supplier<T> work) {
        List<ReentrantLock> locks = patientLocks(changes);
        locks.forEach(ReentrantLock::lock);
        try {
            return retryingConflicts(work);
        } finally {
            locks.forEach(ReentrantLock::unlock);
        }
    }

    /**
     * Runs work on the store's database (a feed's message log, say) in one transaction, from the start again when a
     * concurrent writer changed the same data; the work must be repeatable. No patient is locked.
     */
    public <T> T inTransaction(Supplier<T> work) {
        return retryingConflicts(work);
    }

    /** The locks of the changes' patients, in one global order so that two writers never deadlock. */
    private List<ReentrantLock> patientLocks(List<RecordChange> changes) {
        SortedSet<Integer> stripes = new TreeSet<>();
        for (RecordChange change : changes) {
            change.upserts().stream().filter(upsert -> upsert.type() == Patient.class)
                    .forEach(upsert -> stripes.add(stripe(upsert.search())));
            change.merge().ifPresent(merge -> {
                stripes.add(stripe(merge.survivor()));
                stripes.add(stripe(merge.retired()));
            });
        }
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
        return applyGroup(List.of(change), List.of(change.origin())).get(0);
    }

    /**
     * Applies several changes (messages of different patients, say) as one FHIR transaction, with one Provenance citing
     * each change's origin; call it inside {@link #inTransaction(List, Supplier)}. Changes for the same resource are
     * applied in list order; a patient merge among them after the upserts of all. A refusal refuses them all.
     *
     * @return what each change did, in the order of the changes: the versions written for it (and the Provenance)
     */
    public List<AppliedChange> applyTogether(List<RecordChange> changes) {
        return applyGroup(changes, changes.stream().map(RecordChange::origin).distinct().toList());
    }

    /**
     * Applies the changes as one FHIR transaction, each change's merge after the upserts of all, with one Provenance
     * citing the sources given.
     *
     * @return what each change did, in the order of the changes
     */
    private List<AppliedChange> applyGroup(List<RecordChange> changes, List<Origin> sources) {
        Map<String, Pending> pending = new LinkedHashMap<>();
        Map<String, String> storedReferences = new LinkedHashMap<>();
        Map<String, String> sameResource = new LinkedHashMap<>();
        List<String> remembered = new ArrayList<>();
        List<List<String>> notes = new ArrayList<>();
        for (int index = 0; index < changes.size(); index++) {
            RecordChange change = changes.get(index);
            notes.add(new ArrayList<>(change.notes()));
            for (Upsert<?> upsert : change.upserts()) {
                String known = upsert.createOnly() ? createdOnce.get(upsert.search()) : null;
                if (known != null) {
                    storedReferences.put(upsert.reference(), known);
                    remembered.add(upsert.search());
                    continue;
                }
                Pending earlier = pending.get(upsert.search());
                if (earlier == null) {
                    pending.put(upsert.search(), new Pending(upsert, change.origin(), index));
                } else {
                    // A resource several changes name is computed once, each change's function in turn.
                    earlier.later.add(upsert);
                    earlier.changes.add(index);
                    sameResource.put(upsert.reference(), earlier.upsert.reference());
                }
            }
        }
        readAll(pending.values());
        for (Pending each : pending.values()) {
            each.stored.ifPresent(stored -> {
                storedReferences.put(each.upsert.reference(), versionless(stored));
                if (each.upsert.createOnly()) {
                    createdOnce.put(each.upsert.search(), versionless(stored));
                }
            });
        }
        sameResource.forEach((reference, first) -> storedReferences.put(reference, storedReferences.getOrDefault(first, first)));
        for (Pending each : pending.values()) {
            each.compute(storedReferences);
            if (each.stored.isEmpty() && each.result != null) {
                List<String> created = each.createdNotes();
                each.changes.forEach(index -> notes.get(index).addAll(created));
            }
        }
        // Whose each entry of the transaction is: the changes that computed it, the merge that moved it; the Provenance, all's.
        List<Set<Integer>> entryChanges = new ArrayList<>();
        Map<Resource, Integer> repointed = new LinkedHashMap<>();
        for (int index = 0; index < changes.size(); index++) {
            int mergeIndex = index;
            changes.get(index).merge().ifPresent(merge ->
                    merge(merge, pending, storedReferences, repointed, mergeIndex, notes.get(mergeIndex)));
        }

        Bundle transaction = new Bundle().setType(BundleType.TRANSACTION);
        List<Reference> targets = new ArrayList<>();
        Map<String, List<Coding>> tagsRemoved = new LinkedHashMap<>();
        for (Pending each : pending.values()) {
            if (each.addEntry(transaction, targets)) {
                entryChanges.add(each.changes);
            }
            each.tagsRemoved().ifPresent(removed -> tagsRemoved.put(removed.getKey(), removed.getValue()));
        }
        repointed.forEach((resource, index) -> {
            addUpdate(transaction, resource, version(resource), changes.get(index).origin(), targets);
            entryChanges.add(Set.of(index));
        });
        // An update carries the stored tags forward: a tag a change takes off needs taking off by itself.
        tagsRemoved.forEach(store::removeTags);
        if (transaction.getEntry().isEmpty()) {
            return notes.stream().map(each -> new AppliedChange(List.of(), each)).toList();
        }
        transaction.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID())
                .setResource(provenance(sources, targets))
                .getRequest().setMethod(HTTPVerb.POST).setUrl("Provenance");
        entryChanges.add(IntStream.range(0, changes.size()).boxed().collect(Collectors.toSet()));
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
        List<List<String>> written = new ArrayList<>();
        changes.forEach(change -> written.add(new ArrayList<>()));
        List<BundleEntryComponent> answers = response.getEntry();
        for (int entry = 0; entry < answers.size(); entry++) {
            String location = answers.get(entry).getResponse().getLocation();
            if (location == null) {
                continue;
            }
            entryChanges.get(entry).forEach(index -> written.get(index).add(location));
        }
        List<AppliedChange> applied = new ArrayList<>();
        for (int index = 0; index < changes.size(); index++) {
            applied.add(new AppliedChange(written.get(index), notes.get(index)));
        }
        return applied;
    }

    /**
     * Reads what the record holds for each pending upsert. Searches by one identifier of one type and system are
     * made {@link #LOOKUPS_PER_SEARCH} at a time ({@code identifier=s|a,s|b,...}); any other search, alone.
     */
    private void readAll(Collection<Pending> pending) {
        Map<String, List<Pending>> byTypeAndSystem = new LinkedHashMap<>();
        for (Pending each : pending) {
            Matcher identifier = IDENTIFIER_SEARCH.matcher(each.upsert.search());
            if (identifier.matches()) {
                byTypeAndSystem.computeIfAbsent(identifier.group(1) + "|" + identifier.group(2), key -> new ArrayList<>()).add(each);
            } else {
                each.stored = readOne(each.upsert.search());
            }
        }
        for (List<Pending> group : byTypeAndSystem.values()) {
            if (group.size() == 1) {
                group.get(0).stored = readOne(group.get(0).upsert.search());
                continue;
            }
            for (int from = 0; from < group.size(); from += LOOKUPS_PER_SEARCH) {
                readTogether(group.subList(from, Math.min(group.size(), from + LOOKUPS_PER_SEARCH)));
            }
        }
    }

    /** One search for several upserts that each look a resource up by an identifier of the same type and system. */
    private void readTogether(List<Pending> group) {
        Matcher first = IDENTIFIER_SEARCH.matcher(group.get(0).upsert.search());
        first.matches();
        String type = first.group(1);
        String system = first.group(2);
        Map<String, Pending> byValue = new LinkedHashMap<>();
        for (Pending each : group) {
            Matcher identifier = IDENTIFIER_SEARCH.matcher(each.upsert.search());
            identifier.matches();
            byValue.put(identifier.group(3), each);
            each.stored = Optional.empty();
        }
        String search = type + "?identifier=" + byValue.keySet().stream().map(value -> system + "|" + value).collect(Collectors.joining(","));
        for (Resource found : store.search(search)) {
            terser.getValues(found, "identifier", Identifier.class).stream()
                    .filter(identifier -> system.equals(identifier.getSystem()))
                    .map(identifier -> byValue.get(identifier.getValue()))
                    .filter(Objects::nonNull)
                    .distinct()
                    .forEach(each -> {
                        if (each.stored.isPresent()) {
                            throw new RecordRejectedException("2 resources in the record match " + each.upsert.search()
                                    + "; they must be merged before this message can be applied", (Throwable) null);
                        }
                        each.stored = Optional.of(found);
                    });
        }
    }

    /** The merge of two patients; see {@link PatientMerge}. */
    private void merge(PatientMerge merge, Map<String, Pending> pending, Map<String, String> storedReferences,
            Map<Resource, Integer> repointed, int change, List<String> notes) {
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
        Pending retiredPending = pending.get(merge.retired());
        if (retiredPending == null) {
            retiredPending = new Pending(Upsert.of(Patient.class, merge.retired(), stored -> stored.orElse(null)), survivor.origin, change);
            retiredPending.stored = retired.map(Resource.class::cast);
            pending.put(merge.retired(), retiredPending);
        }
        storedReferences.put(retiredPending.upsert.reference(), retiredReference);
        retiredPending.compute(storedReferences);
        Patient retiredPatient = (Patient) retiredPending.result;
        retiredPatient.setActive(false);
        retiredPatient.getLink().removeIf(link -> link.getType() == LinkType.REPLACEDBY);
        retiredPatient.addLink().setType(LinkType.REPLACEDBY).setOther(new Reference(survivorReference));

        int moved = 0;
        Set<String> written = new HashSet<>();
        pending.values().stream().filter(each -> each.result != null)
                .forEach(each -> each.stored.ifPresent(stored -> written.add(versionless(stored))));
        repointed.keySet().forEach(resource -> written.add(versionless(resource)));
        for (String search : PATIENT_REFERENCES) {
            for (Resource resource : store.search(search + retiredReference)) {
                if (written.contains(versionless(resource))) {
                    // Written by this transaction already: its own change points it at the survivor, or will.
                    continue;
                }
                for (Reference reference : terser.getAllPopulatedChildElementsOfType(resource, Reference.class)) {
                    if (retiredReference.equals(reference.getReference())) {
                        reference.setReference(survivorReference);
                    }
                }
                repointed.put(resource, change);
                moved++;
            }
        }
        notes.add("merge: " + moved + " resource(s) moved to the surviving patient");
    }

    /** What the record holds under a search, a page at a time: e.g. the episodes a full register file may end. */
    public void forEachPage(String search, int pageSize, Consumer<List<Resource>> page) {
        store.forEachPage(search, pageSize, page);
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

    /**
     * The transaction's Provenance: what it wrote, the sending systems as agents, each source message as an entity;
     * when the messages were sent (one time, or the period from the first to the last).
     */
    private static Provenance provenance(List<Origin> sources, List<Reference> targets) {
        Provenance provenance = new Provenance();
        provenance.setTarget(targets);
        provenance.setRecorded(new Date());
        List<DateTimeType> sent = sources.stream().map(Origin::sentAt).filter(Objects::nonNull).distinct()
                .map(DateTimeType::new).sorted(Comparator.comparing(DateTimeType::getValue)).toList();
        if (sent.size() == 1) {
            provenance.setOccurred(sent.get(0));
        } else if (sent.size() > 1) {
            provenance.setOccurred(new Period()
                    .setStartElement(sent.get(0)).setEndElement(sent.get(sent.size() - 1)));
        }
        sources.stream().map(Origin::sender).distinct().forEach(sender -> provenance.addAgent().setWho(new Reference()
                .setIdentifier(new Identifier().setSystem(SENDER_SYSTEM).setValue(sender))
                .setDisplay(sender)));
        for (Origin origin : sources) {
            provenance.addEntity().setRole(ProvenanceEntityRole.SOURCE).setWhat(new Reference()
                    .setIdentifier(new Identifier().setSystem(MESSAGE_SYSTEM + origin.feed())
                            .setValue(origin.sender() + "|" + origin.messageId()))
                    .setDisplay(origin.feed() + " message " + origin.messageId()));
        }
        provenance.getMeta().setSource(sources.get(0).metaSource());
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

    /** One resource to write: what is stored, and what the changes' functions made of it. */
    private final class Pending {
        final Upsert<?> upsert;
        final Origin origin;
        /** Upserts of later changes in the group for the same resource, applied after the first. */
        final List<Upsert<?>> later = new ArrayList<>();
        /** The changes (their indices in the group) whose upserts compute this resource. */
        final Set<Integer> changes = new TreeSet<>();
        Optional<Resource> stored = Optional.empty();
        Resource result;

        Pending(Upsert<?> upsert, Origin origin, int change) {
            this.upsert = upsert;
            this.origin = origin;
            changes.add(change);
        }

        void compute(Map<String, String> storedReferences) {
            Optional<Resource> current = stored;
            boolean changed = false;
            for (Upsert<?> each : upserts()) {
                Resource next = computeFor(each, current);
                if (next != null) {
                    current = Optional.of(next);
                    changed = true;
                }
            }
            result = changed ? current.get() : null;
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

        List<Upsert<?>> upserts() {
            List<Upsert<?>> all = new ArrayList<>(List.of(upsert));
            all.addAll(later);
            return all;
        }

        /** The stored resource's tags the result no longer has, if any: {@code Patient/12} and the tags. */
        Optional<Map.Entry<String, List<Coding>>> tagsRemoved() {
            if (result == null || stored.isEmpty()) {
                return Optional.empty();
            }
            List<Coding> removed = stored.get().getMeta().getTag().stream()
                    .filter(tag -> result.getMeta().getTag().stream().noneMatch(kept ->
                            Objects.equals(kept.getSystem(), tag.getSystem()) && Objects.equals(kept.getCode(), tag.getCode())))
                    .toList();
            return removed.isEmpty() ? Optional.empty() : Optional.of(Map.entry(versionless(stored.get()), removed));
        }

        List<String> createdNotes() {
            return upserts().stream().map(Upsert::createdNote).filter(Objects::nonNull).distinct().toList();
        }

        /** Adds this resource's write to the transaction, unless nothing changed; whether it did. */
        boolean addEntry(Bundle transaction, List<Reference> targets) {
            if (result == null) {
                return false;
            }
            if (stored.isPresent()) {
                Resource current = stored.get();
                result.setId(current.getIdElement().toUnqualifiedVersionless());
                if (sameContent(current, result)) {
                    return false;
                }
                addUpdate(transaction, result, version(current), origin, targets);
                return true;
            }
            stamp(result, origin);
            result.setId((String) null);
            BundleEntryComponent entry = transaction.addEntry().setFullUrl(upsert.reference()).setResource(result);
            // Conditional create: the database keeps one resource per search, even when two messages race.
            entry.getRequest().setMethod(HTTPVerb.POST).setUrl(upsert.type().getSimpleName())
                    .setIfNoneExist(upsert.search().substring(upsert.search().indexOf('?') + 1));
            targets.add(new Reference(upsert.reference()));
            return true;
        }
    }

    @SuppressWarnings("unchecked")
    private static <R extends Resource> Resource computeFor(Upsert<R> upsert, Optional<Resource> current) {
        return upsert.update().apply(current.map(resource -> (R) resource.copy()));
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
