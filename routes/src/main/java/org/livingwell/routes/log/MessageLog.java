package org.livingwell.routes.log;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The one log of every message every feed received: what it was, what became of it, and why. Operators
 * read it through the admin API and replay from it; the feeds use it to apply a message only once.
 *
 * <p>A message is identified by its feed, its sender and the sender's message id (HL7: MSH-3^MSH-4 and
 * MSH-10); the same key again is the same message.
 */
public interface MessageLog {

    /** JMS property on a message put back on a feed's queue from the log: the id of the entry replayed. */
    String REPLAY_HEADER = "LwReplayOf";

    /** What became of a message. */
    enum Status { ACCEPTED, APPLIED, REJECTED, DEAD_LETTERED }

    /**
     * Who sent which message.
     *
     * @param feed e.g. {@code trust-hl7}
     * @param sender e.g. {@code TRUSTEPR^RV5}
     * @param messageId e.g. the MSH-10 control ID
     */
    record Key(String feed, String sender, String messageId) {}

    /**
     * One logged message.
     *
     * @param id the log's own id, for the admin API
     * @param messageType e.g. {@code ADT^A01}
     * @param raw the message as received
     * @param reason why it was rejected or dead-lettered (may quote patient data: never log it above DEBUG)
     * @param attempts how many times applying it was tried (more than 1: it waited for the store)
     * @param duplicates how many more times the same message was received
     * @param resources what applying it wrote, e.g. {@code Patient/12/_history/3}
     * @param notes what applying it told an operator (a code not mapped, segments ignored, a referral
     *     created from its modification); no patient data
     */
    record Entry(long id, Key key, String messageType, Instant receivedAt, Status status, String reason,
            int attempts, int duplicates, Instant updatedAt, List<String> resources, List<String> notes, String raw) {}

    /**
     * Records a message taken for processing (status ACCEPTED), or finds the earlier record of the same
     * message. Runs in the caller's transaction when there is one.
     *
     * @return the entry as it stands after this call; {@code status() == APPLIED} means this is a duplicate
     *     of a message already applied
     */
    Entry accepted(Key key, String messageType, Instant receivedAt, String raw);

    /** The message was applied: what it wrote, after how many attempts, and the notes it left. */
    void applied(Key key, int attempts, List<String> resources, List<String> notes);

    /** The message was refused at receipt (HL7 AR/AE) or set aside later (dead-lettered), with the reason. */
    void failed(Key key, String messageType, Instant receivedAt, String raw, Status status, String reason);

    /** A message received again after it was applied. */
    void duplicate(Key key);

    Optional<Entry> find(long id);

    /** The entry of one message, if it was logged. */
    Optional<Entry> find(Key key);

    /** How many messages received since then are in each status (every status present, 0 if none). */
    java.util.Map<Status, Long> counts(Instant since);

    /**
     * The newest first, filtered by whatever is not null.
     *
     * @param page from 0
     */
    List<Entry> search(Status status, String messageType, Instant since, int page, int size);
}
