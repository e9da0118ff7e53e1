package org.livingwell.routes.trust;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Resource;
import org.livingwell.routes.store.RecordRejectedException;
import org.livingwell.routes.store.RecordStore;

/**
 * An in-memory shared record for route tests: applies conditional PUTs by their URL (so the same
 * patient twice is one record), remembers every transaction, and can be told to fail.
 */
final class RecordingRecordStore implements RecordStore {

    private final List<Bundle> applied = new CopyOnWriteArrayList<>();
    private final Map<String, Resource> recordsByConditionalUrl = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> attemptsByNhsNumber = new ConcurrentHashMap<>();
    private final Map<String, Integer> transientFailuresByNhsNumber = new ConcurrentHashMap<>();
    private final Map<String, Boolean> rejectedNhsNumbers = new ConcurrentHashMap<>();

    @Override
    public Bundle apply(Bundle transaction) {
        String nhsNumber = nhsNumberOf(transaction);
        int attempt = attemptsByNhsNumber.computeIfAbsent(nhsNumber, n -> new AtomicInteger()).incrementAndGet();
        if (rejectedNhsNumbers.containsKey(nhsNumber)) {
            throw new RecordRejectedException("HTTP 422: Patient failed profile validation", (Throwable) null);
        }
        if (attempt <= transientFailuresByNhsNumber.getOrDefault(nhsNumber, 0)) {
            throw new IllegalStateException("database unavailable (attempt " + attempt + ")");
        }
        for (BundleEntryComponent entry : transaction.getEntry()) {
            recordsByConditionalUrl.put(entry.getRequest().getUrl(), entry.getResource());
        }
        applied.add(transaction);
        return new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);
    }

    /** The first {@code times} attempts for this patient fail as if the database were down. */
    void failTransiently(String nhsNumber, int times) {
        transientFailuresByNhsNumber.put(nhsNumber, times);
    }

    /** Every attempt for this patient is refused as invalid content. */
    void reject(String nhsNumber) {
        rejectedNhsNumbers.put(nhsNumber, true);
    }

    int attempts(String nhsNumber) {
        AtomicInteger attempts = attemptsByNhsNumber.get(nhsNumber);
        return attempts == null ? 0 : attempts.get();
    }

    List<Bundle> appliedFor(String nhsNumber) {
        return applied.stream().filter(bundle -> nhsNumberOf(bundle).equals(nhsNumber)).toList();
    }

    /** NHS numbers in the order their transactions were applied. */
    List<String> appliedOrder() {
        return applied.stream().map(RecordingRecordStore::nhsNumberOf).toList();
    }

    long recordsFor(String nhsNumber) {
        return recordsByConditionalUrl.keySet().stream().filter(url -> url.endsWith("|" + nhsNumber)).count();
    }

    private static String nhsNumberOf(Bundle bundle) {
        String url = bundle.getEntryFirstRep().getRequest().getUrl();
        return url.substring(url.lastIndexOf('|') + 1);
    }
}
