package org.livingwell.routes.store;

import java.util.Optional;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Resource;

/** A translator's upserts applied the way {@link RecordWriter} applies them, for the feeds' translator tests. */
public final class Upserts {

    private Upserts() {}

    /** The change's first upsert of the type. */
    public static <R extends Resource> Upsert<R> upsert(RecordChange change, Class<R> type) {
        @SuppressWarnings("unchecked")
        Upsert<R> upsert = (Upsert<R>) change.upserts().stream().filter(u -> u.type() == type).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " upsert"));
        return upsert;
    }

    /** What the upsert writes when the record holds nothing under its search. */
    public static <R extends Resource> R created(RecordChange change, Class<R> type) {
        return upsert(change, type).update().apply(Optional.empty());
    }

    /** What the upsert writes over the stored resource (given a copy, as the store does). */
    @SuppressWarnings("unchecked")
    public static <R extends Resource> R apply(Upsert<R> upsert, R stored) {
        return upsert.update().apply(Optional.of((R) stored.copy()));
    }

    /** An upsert of any type applied to what is stored (or nothing). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Resource applyRaw(Upsert<?> upsert, Optional<? extends Resource> stored) {
        return (Resource) ((Function) upsert.update()).apply(stored);
    }
}
