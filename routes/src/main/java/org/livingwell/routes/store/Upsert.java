package org.livingwell.routes.store;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Resource;

/**
 * One resource a {@link RecordChange} creates or changes, found by a search on its business identifier.
 *
 * <p>The store reads what the record holds under {@link #search()} and calls {@link #update()} with a
 * copy of it (empty if there is none); the function returns the resource as it should be stored, or
 * null to leave the record as it is (e.g. an update for an Encounter that was never created and must
 * not be created from it). A result equal to what is stored is not written, so the same message
 * applied twice creates no new version. New resources are created conditionally on {@link #search()}:
 * the database, not a check beforehand, keeps one resource per identifier.
 *
 * @param type the resource type
 * @param search the identifying search, e.g. {@code Encounter?identifier=https://.../visit|V123}
 * @param reference how the other resources of the same change refer to this one: a {@code urn:uuid:};
 *     the store replaces it with the stored id
 * @param update the stored resource (a copy) to the resource to store, or null for "no change"
 * @param createOnly the upsert never changes a stored resource (reference data such as a practice or a
 *     ward): once the store has one, its id may be remembered instead of being searched for every message
 * @param createdNote what the writer notes (in {@link AppliedChange#notes()}) when the record held nothing under
 *     the search and this upsert creates the resource, or null: e.g. a modification arriving before its referral
 */
public record Upsert<R extends Resource>(Class<R> type, String search, String reference, Function<Optional<R>, R> update,
        boolean createOnly, String createdNote) {

    public Upsert {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(search, "search");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(update, "update");
    }

    /** An upsert with a fresh {@code urn:uuid:} reference. */
    public static <R extends Resource> Upsert<R> of(Class<R> type, String search, Function<Optional<R>, R> update) {
        return new Upsert<>(type, search, "urn:uuid:" + UUID.randomUUID(), update, false, null);
    }

    /** Creates the resource if the record has none under the search; otherwise leaves the stored one alone. */
    public static <R extends Resource> Upsert<R> createIfAbsent(R resource, String search) {
        @SuppressWarnings("unchecked")
        Class<R> type = (Class<R>) resource.getClass();
        return new Upsert<>(type, search, "urn:uuid:" + UUID.randomUUID(), stored -> stored.orElse(resource), true, null);
    }

    /** This upsert, with a note for the writer to keep when it creates the resource; see {@link #createdNote()}. */
    public Upsert<R> notingWhenCreated(String note) {
        return new Upsert<>(type, search, reference, update, createOnly, note);
    }

    /**
     * The search for a resource of this type by one identifier, e.g.
     * {@code Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9990000018}.
     */
    public static String byIdentifier(String type, String system, String value) {
        return type + "?identifier=" + system + "|" + value;
    }
}
