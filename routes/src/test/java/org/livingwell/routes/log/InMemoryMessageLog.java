package org.livingwell.routes.log;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The message log in memory, for route tests (the gateway keeps it in its database). */
public final class InMemoryMessageLog implements MessageLog {

    private final Map<Key, Entry> entries = new LinkedHashMap<>();
    private long ids;

    @Override
    public synchronized Entry accepted(Key key, String messageType, Instant receivedAt, String raw) {
        return entries.computeIfAbsent(key, k -> new Entry(++ids, k, messageType, receivedAt, Status.ACCEPTED, null,
                0, 0, receivedAt, List.of(), List.of(), raw));
    }

    @Override
    public synchronized void applied(Key key, int attempts, List<String> resources, List<String> notes) {
        Entry e = entries.get(key);
        entries.put(key, new Entry(e.id(), key, e.messageType(), e.receivedAt(), Status.APPLIED, null, attempts,
                e.duplicates(), Instant.now(), resources, notes, e.raw()));
    }

    @Override
    public synchronized void failed(Key key, String messageType, Instant receivedAt, String raw, Status status, String reason) {
        Entry e = entries.get(key);
        entries.put(key, e == null
                ? new Entry(++ids, key, messageType, receivedAt, status, reason, 0, 0, receivedAt, List.of(), List.of(), raw)
                : new Entry(e.id(), key, messageType == null ? e.messageType() : messageType, e.receivedAt(), status,
                        reason, e.attempts(), e.duplicates(), Instant.now(), e.resources(), e.notes(), e.raw()));
    }

    @Override
    public synchronized void duplicate(Key key) {
        Entry e = entries.get(key);
        entries.put(key, new Entry(e.id(), key, e.messageType(), e.receivedAt(), e.status(), e.reason(), e.attempts(),
                e.duplicates() + 1, Instant.now(), e.resources(), e.notes(), e.raw()));
    }

    @Override
    public synchronized Optional<Entry> find(long id) {
        return entries.values().stream().filter(e -> e.id() == id).findFirst();
    }

    @Override
    public synchronized List<Entry> search(Status status, String messageType, Instant since, int page, int size) {
        List<Entry> found = new ArrayList<>(entries.values().stream()
                .filter(e -> status == null || e.status() == status)
                .filter(e -> messageType == null || messageType.equals(e.messageType()))
                .filter(e -> since == null || !e.receivedAt().isBefore(since))
                .toList());
        found.sort(Comparator.comparing(Entry::id).reversed());
        return found.stream().skip((long) page * size).limit(size).toList();
    }

    @Override
    public synchronized Optional<Entry> find(Key key) {
        return Optional.ofNullable(entries.get(key));
    }

    @Override
    public synchronized Map<Status, Long> counts(Instant since) {
        Map<Status, Long> counts = new java.util.EnumMap<>(Status.class);
        for (Status status : Status.values()) {
            counts.put(status, entries.values().stream()
                    .filter(e -> e.status() == status && !e.receivedAt().isBefore(since)).count());
        }
        return counts;
    }

    /** The entry for a control ID of the trust feed, if any. */
    public synchronized Optional<Entry> byMessageId(String messageId) {
        return entries.values().stream().filter(e -> e.key().messageId().equals(messageId)).findFirst();
    }
}
