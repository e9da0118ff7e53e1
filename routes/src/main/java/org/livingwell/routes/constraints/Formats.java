package org.livingwell.routes.constraints;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How the register's dates and postcodes are read: the constraints check with these, the row takes its values from them. */
public final class Formats {

    /** Strict: {@code 2024-02-30} is refused, not adjusted to the 29th. */
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);
    private static final Pattern DATE_SHAPE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern POSTCODE = Pattern.compile("([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})");

    private Formats() {}

    /** Whether the text is written {@code YYYY-MM-DD} (whether or not the day exists). */
    static boolean dateShaped(String text) {
        return DATE_SHAPE.matcher(text.strip()).matches();
    }

    /** The day, if the text is a real day written {@code YYYY-MM-DD}; empty otherwise (and for null). */
    public static Optional<LocalDate> date(String text) {
        if (text == null || !dateShaped(text)) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(text.strip(), DATE));
        } catch (DateTimeParseException noSuchDay) {
            return Optional.empty();
        }
    }

    /** The postcode upper-cased with one space before the inward code ({@code se115aa} is {@code SE11 5AA}), if UK-shaped. */
    public static Optional<String> postcode(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher matcher = POSTCODE.matcher(text.strip().toUpperCase(Locale.ROOT));
        return matcher.matches() ? Optional.of(matcher.group(1) + " " + matcher.group(2)) : Optional.empty();
    }
}
