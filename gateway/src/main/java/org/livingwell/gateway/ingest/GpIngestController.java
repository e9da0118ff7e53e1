package org.livingwell.gateway.ingest;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.livingwell.gateway.GatewayProperties;
import org.livingwell.gateway.security.Partner;
import org.livingwell.routes.csv.FileTooLargeException;
import org.livingwell.routes.gp.GpBatch;
import org.livingwell.routes.csv.CsvFileException;
import org.livingwell.routes.gp.GpRegisterIntake;
import org.livingwell.routes.gp.GpRegisterRoute;
import org.livingwell.routes.log.RowError;
import org.livingwell.routes.log.BatchReport;
import org.livingwell.routes.log.IngestBatches;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where practices upload their SMI registers, and where anyone who sent a file follows it.
 *
 * <ul>
 *   <li>{@code POST /ingest/gp/{practiceOds}/smi-register?mode=full|delta}, {@code Content-Type: text/csv}: 202
 *       with {@code {batchId, rowsReceived, rowsAccepted, rowsRejected, errors:[{line, column, value, message}]}} once
 *       every row has been checked and the file is safe; the accepted rows are applied after the answer. 400 in the same
 *       shape (batchId null) for a file that is not CSV, empty or lacks a required column, and for a path or mode that
 *       is wrong; 413 for a file over {@code gateway.gp.max-file-size}; 415 for another content type.
 *   <li>{@code GET /ingest/batches/{batchId}}: the receipt plus status, rowsApplied, rowsFailed, episodesEnded.
 * </ul>
 *
 * The body is streamed to disk as it arrives (never held whole in memory) and read from there.
 */
@RestController
public class GpIngestController {

    private final GpRegisterIntake intake;
    private final IngestBatches batches;
    private final long maxBytes;
    private final boolean securityEnabled;

    public GpIngestController(GpRegisterIntake intake, IngestBatches batches, GatewayProperties gateway) {
        this.intake = intake;
        this.batches = batches;
        this.maxBytes = gateway.gp().maxFileSize().toBytes();
        this.securityEnabled = gateway.security().enabled();
    }

    @PostMapping("/ingest/gp/{practiceOds}/smi-register")
    public ResponseEntity<Map<String, Object>> upload(@PathVariable String practiceOds,
            @RequestParam(required = false) String mode, HttpServletRequest request) throws IOException {
        String practice = practiceOds.toUpperCase(Locale.ROOT);
        if (!GpRegisterRoute.PRACTICE_ODS.matcher(practice).matches()) {
            return refuse(HttpStatus.BAD_REQUEST, "practiceOds", practiceOds,
                    "is not a GP practice ODS code (a letter and five digits, e.g. G85001)");
        }
        GpBatch.Mode registerMode = mode(mode);
        if (registerMode == null) {
            return refuse(HttpStatus.BAD_REQUEST, "mode", String.valueOf(mode), "must be full or delta");
        }
        MediaType type = request.getContentType() == null ? null : MediaType.parseMediaType(request.getContentType());
        if (type == null || !type.isCompatibleWith(MediaType.parseMediaType("text/csv"))) {
            return refuse(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type", String.valueOf(request.getContentType()),
                    "must be text/csv");
        }
        if (request.getContentLengthLong() > maxBytes) {
            return refuse(HttpStatus.PAYLOAD_TOO_LARGE, "file", "", new FileTooLargeException(maxBytes).getMessage());
        }
        IngestBatches.Batch batch;
        try (InputStream body = request.getInputStream()) {
            batch = intake.receive(practice, registerMode, body, "http");
        } catch (FileTooLargeException tooLarge) {
            return refuse(HttpStatus.PAYLOAD_TOO_LARGE, "file", "", tooLarge.getMessage());
        } catch (CsvFileException refused) {
            return ResponseEntity.badRequest().body(BatchReport.refusal(refused.errors()));
        }
        return ResponseEntity.accepted().location(URI.create("/ingest/batches/" + batch.batchId())).body(BatchReport.receipt(batch));
    }

    /**
     * A batch's progress, for the practice that sent it (or a client granted that practice): its row errors quote
     * the practice's own patient data. Anyone else is told there is no such batch.
     */
    @GetMapping("/ingest/batches/{batchId}")
    public ResponseEntity<Map<String, Object>> batch(@PathVariable String batchId) {
        return batches.find(batchId)
                .filter(batch -> Partner.current().map(partner -> partner.maySendRegisterOf(batch.sender()))
                        .orElse(!securityEnabled))
                .map(batch -> ResponseEntity.ok(BatchReport.progress(batch)))
                .orElseGet(() -> refuse(HttpStatus.NOT_FOUND, "batchId", batchId, "no such batch"));
    }

    private static GpBatch.Mode mode(String mode) {
        if (mode == null) {
            return null;
        }
        return switch (mode.trim().toLowerCase(Locale.ROOT)) {
            case "full" -> GpBatch.Mode.FULL;
            case "delta" -> GpBatch.Mode.DELTA;
            default -> null;
        };
    }

    private static ResponseEntity<Map<String, Object>> refuse(HttpStatus status, String column, String value, String message) {
        return ResponseEntity.status(status).body(BatchReport.refusal(List.of(new RowError(1, column, value, message))));
    }
}
