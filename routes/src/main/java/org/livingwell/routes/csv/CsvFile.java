package org.livingwell.routes.csv;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A file-based feed's CSV file (a GP practice's register, a council's Client Level Data), read as a stream: UTF-8 (a
 * byte order mark is skipped), RFC 4180 quoting, a header row naming the columns in any order (the feed's
 * {@link CsvColumn} enum; columns the feed does not read are ignored), then one row per record. {@link #open} reads the
 * header and refuses a file that cannot be the feed's; {@link #rows()} then reads one row at a time, never the whole
 * file, and hands each to the feed's {@link RowReader} (which validates and types it). Blank lines are skipped. Lines
 * are counted as in the file (header = line 1), quoted line breaks included.
 *
 * <pre>{@code
 * try (CsvFile<RegisterColumn, ParsedRow> file = CsvFile.open(in, RegisterColumn.class, validator::validate)) {
 *     file.rows().forEach(row -> ...);
 * }
 * }</pre>
 *
 * Not thread-safe; closing it closes the stream.
 *
 * @param <C> the feed's columns
 * @param <R> what the feed makes of a row
 */
public final class CsvFile<C extends Enum<C> & CsvColumn, R> implements Closeable {

    /** Turns one row's values into what the feed makes of it (typically: typed, or the errors in it). */
    @FunctionalInterface
    public interface RowReader<C extends Enum<C>, R> {
        /**
         * @param values the row's values by column: stripped; an empty value or a column the file lacks is absent
         * @param lines the line each column's value is on (a value after a quoted line break is on a later line)
         * @param startLine the line the row starts on
         */
        R read(Map<C, String> values, Map<C, Long> lines, long startLine);
    }

    private static final char BYTE_ORDER_MARK = '\uFEFF';
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            // Blank lines come through as records so that the parser's line count stays the file's; we skip them.
            .setIgnoreEmptyLines(false)
            .get();

    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final Class<C> columns;
    private final RowReader<C, R> reader;
    private final List<String> header;
    private final Map<C, Integer> positions;
    private final long headerLine;
    private boolean streamed;

    private CsvFile(CSVParser parser, Iterator<CSVRecord> records, Class<C> columns, RowReader<C, R> reader,
            List<String> header, Map<C, Integer> positions, long headerLine) {
        this.parser = parser;
        this.records = records;
        this.columns = columns;
        this.reader = reader;
        this.header = header;
        this.positions = positions;
        this.headerLine = headerLine;
    }

    /**
     * Reads the header row. On an exception the stream is closed.
     *
     * @throws NotCsvException if the file is empty, not UTF-8, not CSV, or its header names none of the feed's columns
     * @throws MissingColumnsException if the header lacks a required column
     * @throws CsvFileException if the header names a column twice
     */
    public static <C extends Enum<C> & CsvColumn, R> CsvFile<C, R> open(InputStream in, Class<C> columns, RowReader<C, R> reader) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(columns, "columns");
        Objects.requireNonNull(reader, "reader");
        CSVParser parser = null;
        try {
            BufferedReader text = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)));
            skipByteOrderMark(text);
            parser = CSVParser.builder().setReader(text).setFormat(FORMAT).get();
            Iterator<CSVRecord> records = parser.iterator();
            long linesBefore = 0;
            CSVRecord headerRecord = null;
            while (headerRecord == null && next(records)) {
                CSVRecord record = nextRecord(records);
                if (blank(record)) {
                    linesBefore = parser.getCurrentLineNumber();
                } else {
                    headerRecord = record;
                }
            }
            if (headerRecord == null) {
                throw new NotCsvException("the file is empty: no header row");
            }
            List<String> header = headerRecord.toList().stream().map(String::strip).toList();
            Map<C, Integer> positions = positions(header, columns);
            return new CsvFile<>(parser, records, columns, reader, header, positions, linesBefore + 1);
        } catch (IOException | RuntimeException e) {
            closeQuietly(parser, in);
            if (e instanceof CsvFileException refused) {
                throw refused;
            }
            throw notCsv(e);
        }
    }

    /** The header row as sent (cells stripped of surrounding spaces). */
    public List<String> header() {
        return header;
    }

    /** The line the header is on: 1, unless blank lines come first. */
    public long headerLine() {
        return headerLine;
    }

    /**
     * The data rows in file order, read lazily as the stream is consumed; once only. Empty rows are skipped.
     *
     * @throws NotCsvException from the stream's operations, if the rest of the file turns out not to be CSV or UTF-8
     *     (an unterminated quote, a malformed byte); the rows before it have been handed out already
     */
    public Stream<R> rows() {
        if (streamed) {
            throw new IllegalStateException("the rows of a file can be read once");
        }
        streamed = true;
        Iterator<R> rows = new Iterator<>() {
            private R next;

            @Override
            public boolean hasNext() {
                while (next == null) {
                    long linesBefore = parser.getCurrentLineNumber();
                    if (!CsvFile.next(records)) {
                        return false;
                    }
                    CSVRecord record = nextRecord(records);
                    if (!blank(record)) {
                        next = parse(record, linesBefore + 1);
                    }
                }
                return true;
            }

            @Override
            public R next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                R row = next;
                next = null;
                return row;
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(rows, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(this::close);
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private R parse(CSVRecord record, long startLine) {
        Map<C, String> values = new EnumMap<>(columns);
        Map<C, Long> lines = new EnumMap<>(columns);
        List<String> cells = record.toList();
        // The line of each cell: the row's first line plus the line breaks inside the quoted cells before it.
        long[] cellLines = new long[cells.size()];
        long line = startLine;
        for (int i = 0; i < cells.size(); i++) {
            cellLines[i] = line;
            line += lineBreaks(cells.get(i));
        }
        long lastLine = line;
        positions.forEach((column, position) -> {
            String value = position < cells.size() ? cells.get(position).strip() : "";
            if (!value.isEmpty()) {
                values.put(column, value);
            }
            // A short row's missing cells are reported on the row's last line.
            lines.put(column, position < cells.size() ? cellLines[position] : lastLine);
        });
        return reader.read(values, lines, startLine);
    }

    /** The column a header cell names: trimmed, any case; empty for a column the feed does not read. */
    public static <C extends Enum<C> & CsvColumn> Optional<C> byHeader(Class<C> columns, String name) {
        String key = name == null ? "" : name.strip();
        return Arrays.stream(columns.getEnumConstants()).filter(column -> column.header().equalsIgnoreCase(key)).findFirst();
    }

    private static <C extends Enum<C> & CsvColumn> Map<C, Integer> positions(List<String> header, Class<C> columns) {
        Map<C, Integer> positions = new EnumMap<>(columns);
        for (int i = 0; i < header.size(); i++) {
            int position = i;
            byHeader(columns, header.get(i)).ifPresent(column -> {
                if (positions.putIfAbsent(column, position) != null) {
                    throw new CsvFileException("the header row names the column " + column.header() + " twice");
                }
            });
        }
        List<C> all = List.of(columns.getEnumConstants());
        if (positions.isEmpty()) {
            throw new NotCsvException("the first line names none of the expected columns (" + all.get(0).header()
                    + ", " + all.get(1).header() + ", ...): not the CSV file this feed takes");
        }
        List<String> missing = all.stream().filter(CsvColumn::required).filter(column -> !positions.containsKey(column))
                .map(CsvColumn::header).toList();
        if (!missing.isEmpty()) {
            throw new MissingColumnsException(missing);
        }
        return Collections.unmodifiableMap(positions);
    }

    /** Counts a CR LF pair as one line break, as the parser does. */
    private static long lineBreaks(String cell) {
        long breaks = 0;
        for (int i = 0; i < cell.length(); i++) {
            char c = cell.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 == cell.length() || cell.charAt(i + 1) != '\n'))) {
                breaks++;
            }
        }
        return breaks;
    }

    private static boolean blank(CSVRecord record) {
        return record.size() == 0 || (record.size() == 1 && record.get(0).isBlank());
    }

    private static void skipByteOrderMark(BufferedReader reader) throws IOException {
        reader.mark(1);
        if (reader.read() != BYTE_ORDER_MARK) {
            reader.reset();
        }
    }

    /** The parser's iterator wraps I/O and format errors in unchecked exceptions: they mean "not CSV" here. */
    private static boolean next(Iterator<CSVRecord> records) {
        try {
            return records.hasNext();
        } catch (RuntimeException e) {
            throw notCsv(e);
        }
    }

    private static CSVRecord nextRecord(Iterator<CSVRecord> records) {
        try {
            return records.next();
        } catch (RuntimeException e) {
            throw notCsv(e);
        }
    }

    private static NotCsvException notCsv(Exception e) {
        if (e instanceof NotCsvException notCsv) {
            return notCsv;
        }
        Throwable cause = e instanceof UncheckedIOException unchecked ? unchecked.getCause() : e;
        if (cause instanceof CharacterCodingException) {
            return new NotCsvException("the file is not UTF-8 text", e);
        }
        // Commons CSV's messages name positions, not content (e.g. "EOF reached before encapsulated token finished").
        return new NotCsvException("the file is not valid CSV: " + rootMessage(e), e);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }

    private static void closeQuietly(CSVParser parser, InputStream in) {
        try {
            if (parser != null) {
                parser.close();
            } else {
                in.close();
            }
        } catch (IOException ignored) {
            // Already failing for a better reason.
        }
    }
}
