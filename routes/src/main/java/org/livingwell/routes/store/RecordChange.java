package org.livingwell.routes.store;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one source message (an HL7 message, a register row, a council case) does to the shared record,
 * as a feed's translator says it: the resources it creates or changes, each found by its business
 * identifier and computed from what the record holds at that moment ({@link Upsert}), and at most one
 * {@link PatientMerge}. A {@link RecordStore} applies it in one transaction, against the current state,
 * so two feeds (or two messages) writing the same patient never erase each other's data.
 *
 * @param origin who sent it and which message it was: becomes every written resource's {@code meta.source}
 *     and the transaction's Provenance
 * @param upserts in order; a resource may reference an earlier (or later) upsert by its
 *     {@link Upsert#reference()}
 * @param merge a patient merge (HL7 A40) to apply after the upserts, if any
 * @param notes what the translator wants an operator to know about the message (a code it could not map,
 *     segments it ignored); the writer passes them on in {@link AppliedChange#notes()}. No patient data.
 */
public record RecordChange(Origin origin, List<Upsert<?>> upserts, Optional<PatientMerge> merge, List<String> notes) {

    public RecordChange {
        Objects.requireNonNull(origin, "origin");
        upserts = List.copyOf(upserts);
        Objects.requireNonNull(merge, "merge");
        notes = List.copyOf(notes);
    }

    public RecordChange(Origin origin, List<Upsert<?>> upserts, Optional<PatientMerge> merge) {
        this(origin, upserts, merge, List.of());
    }

    public RecordChange(Origin origin, List<Upsert<?>> upserts) {
        this(origin, upserts, Optional.empty());
    }

    /**
     * Where a change came from.
     *
     * @param feed the feed, e.g. {@code trust-hl7}
     * @param sender the sending system, e.g. {@code TRUSTEPR^LWTRUST} (MSH-3 and MSH-4)
     * @param messageId the sender's identifier of the message (MSH-10 control ID, a file and line)
     * @param sentAt when the source event happened or the message was sent, as ISO-8601 (EVN-2, MSH-7), or null
     */
    public record Origin(String feed, String sender, String messageId, String sentAt) {

        public Origin {
            Objects.requireNonNull(feed, "feed");
            Objects.requireNonNull(sender, "sender");
            Objects.requireNonNull(messageId, "messageId");
        }

        /**
         * {@code meta.source} of every resource the change writes, naming the feed and the message, e.g.
         * {@code urn:livingwell:feed:trust-hl7:message:MSG00042}. (Not {@code uri#id}: HAPI keeps what follows
         * '#' as its own request id, cut to 16 characters.)
         */
        public String metaSource() {
            return "urn:livingwell:feed:" + feed + ":message:" + URLEncoder.encode(messageId, StandardCharsets.UTF_8);
        }
    }

    /**
     * Two records of one person become one: the retired Patient is made inactive with a
     * {@code replaced-by} link, the survivor gets a {@code replaces} link, and whatever in the record
     * points at the retired Patient (Encounters, ServiceRequests, EpisodeOfCares, CarePlans, Conditions)
     * is re-pointed at the survivor. If the retired Patient is not in the record, nothing is linked.
     *
     * @param survivor the surviving Patient's search, e.g. {@code Patient?identifier=...|9990000018}
     * @param retired the retired Patient's search
     */
    public record PatientMerge(String survivor, String retired) {}
}
