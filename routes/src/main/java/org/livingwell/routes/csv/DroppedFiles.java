package org.livingwell.routes.csv;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.function.Function;
import org.livingwell.routes.log.BatchReport;
import org.livingwell.routes.log.IngestBatches.Batch;

/**
 * What happens to a file dropped in a feed's inbox once it is taken: moved to {@code .done/} (received; some rows may
 * still have been rejected) or {@code .error/} (refused as a whole) beside it, with {@code <name>.report.json}, the
 * same JSON a sender gets for an upload.
 */
public final class DroppedFiles {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DroppedFiles() {}

    /**
     * Receives the file and files it away with its report.
     *
     * @param receive the feed's intake of the file's content; throws {@link CsvFileException} to refuse it
     * @return the folder it went to: {@code .done} or {@code .error}
     */
    public static String receive(Path file, Function<InputStream, Batch> receive) throws IOException {
        String outcome;
        Map<String, Object> report;
        try (InputStream in = Files.newInputStream(file)) {
            report = BatchReport.receipt(receive.apply(in));
            outcome = ".done";
        } catch (CsvFileException refused) {
            report = BatchReport.refusal(refused.errors());
            outcome = ".error";
        }
        String name = file.getFileName().toString();
        Path target = Files.createDirectories(file.resolveSibling(outcome));
        JSON.writeValue(target.resolve(name + ".report.json").toFile(), report);
        Files.move(file, target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        return outcome;
    }
}
