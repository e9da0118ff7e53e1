package org.livingwell.routes.gp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.livingwell.routes.gp.GpRegisterFixtures.ROW_1;
import static org.livingwell.routes.gp.GpRegisterFixtures.ROW_2;
import static org.livingwell.routes.gp.GpRegisterFixtures.row;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.livingwell.routes.store.ProfileFixtures;
import org.livingwell.routes.store.RecordChange;
import org.livingwell.routes.store.Upserts;
import org.livingwell.routes.store.Upsert;

/**
 * What the GP feed writes conforms to the Living Well profiles: every resource each upsert would create from a
 * sample of rows, and what it makes of them on a second file, validated as the store would (LW profile for the type,
 * core FHIR for the Procedure). References are the urn:uuid placeholders the store replaces.
 */
class GpFeedConformanceTest {

    private final GpRegisterTranslator translator = new GpRegisterTranslator();

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("active, care plan, health check, ethnic category", ROW_1),
                Arguments.of("resolved, nothing optional", ROW_2),
                Arguments.of("resolved with care plan and check", ROW_1.replace(",active,", ",resolved,")),
                Arguments.of("active, ethnic category 99, no care plan", ROW_1.replace(",A,2026-02-10,", ",99,,")),
                Arguments.of("bipolar, sex other, no health check", ROW_1.replace("58214004", "13746004")
                        .replace(",female,", ",other,").replace(",2026-05-20", ",")),
                Arguments.of("a new MH_COD code, sex unknown", ROW_1.replace("58214004", "231494001").replace(",female,", ",unknown,")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void everyResourceOfARowConforms(String description, String line) {
        RecordChange change = translator.translate(row(line), GpRegisterTranslatorTest.BATCH);
        List<Resource> created = change.upserts().stream().map(upsert -> Upserts.applyRaw(upsert, Optional.empty())).toList();

        assertThat(errorsIn(created)).isEmpty();
        assertThat(created).hasSize(change.upserts().size());
    }

    @Test
    void theRecordConformsThroughARowsLife() {
        List<Resource> stored = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        List<Resource> previous = null;
        for (String line : List.of(ROW_1, ROW_1.replace(",active,", ",resolved,"), ROW_1)) {
            RecordChange change = translator.translate(row(line), GpRegisterTranslatorTest.BATCH);
            List<Resource> next = new ArrayList<>();
            for (int i = 0; i < change.upserts().size(); i++) {
                Upsert<?> upsert = change.upserts().get(i);
                Optional<Resource> before = previous == null ? Optional.empty() : Optional.of(previous.get(i).copy());
                next.add(Upserts.applyRaw(upsert, before));
            }
            errors.addAll(errorsIn(next));
            previous = next;
        }
        RecordChange ending = translator.endOmitted(GpRegisterTranslatorTest.BATCH, List.of("G85001-9990000018"), List.of()).get(0);
        EpisodeOfCare episode = (EpisodeOfCare) previous.stream().filter(EpisodeOfCare.class::isInstance).findFirst().orElseThrow();
        stored.add(Upserts.applyRaw(ending.upserts().get(0), Optional.of(episode.copy())));
        errors.addAll(errorsIn(stored));

        assertThat(errors).isEmpty();
    }

    private static List<String> errorsIn(List<Resource> resources) {
        List<String> errors = new ArrayList<>();
        for (Resource resource : resources) {
            ProfileFixtures.errors(ProfileFixtures.validator().validateAgainstProfile(resource))
                    .forEach(error -> errors.add(resource.fhirType() + " " + error));
        }
        return errors;
    }
}
