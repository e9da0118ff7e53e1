package org.livingwell.routes.trust.hl7;

import ca.uhn.hl7v2.model.v251.datatype.TS;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;

/** Maps HL7 v2 TS (date/time) values to FHIR date and dateTime, keeping the sender's precision. */
public final class TsMapper {

    /** v2 times without an offset are local time where the sender is; ours are all in London. */
    public static final ZoneId SENDER_ZONE = ZoneId.of("Europe/London");

    // YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ]: each part only when the one before is there.
    private static final Pattern DTM = Pattern.compile(
            "(\\d{4})(?:(\\d{2})(?:(\\d{2})(?:(\\d{2})(?:(\\d{2})(?:(\\d{2})(?:\\.(\\d{1,4}))?)?)?)?)?)?([+-]\\d{4})?");

    private static final DateTimeFormatter FHIR_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
    private static final DateTimeFormatter FHIR_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

    private TsMapper() {}

    /**
     * A FHIR date at the precision sent (year, month or day); any time of day is dropped.
     *
     * @param field where the value came from, e.g. {@code PID-7}, for the error message
     * @throws Hl7TranslationException if the value is not an HL7 date or names no real day
     */
    public static Optional<DateType> toDate(TS ts, String field) {
        return read(ts, field).map(parts -> new DateType(parts.datePart(field)));
    }

    /**
     * A FHIR dateTime at the precision sent. FHIR needs an offset once there is a time of day,
     * so a time without one is taken as {@link #SENDER_ZONE} local time.
     *
     * @throws Hl7TranslationException if the value is not an HL7 date/time or names no real time
     */
    public static Optional<DateTimeType> toDateTime(TS ts, String field) {
        return read(ts, field).map(parts -> new DateTimeType(parts.dateTime(field)));
    }

    private static Optional<Parts> read(TS ts, String field) {
        Optional<String> value = Hl7Values.of(ts.getTime());
        if (value.isEmpty()) {
            return Optional.empty();
        }
        Matcher matcher = DTM.matcher(value.get());
        if (!matcher.matches()) {
            throw new Hl7TranslationException(
                    field, "'" + value.get() + "' is not an HL7 date/time (YYYY[MM[DD[HHMM[SS]]]][+ZZZZ])");
        }
        return Optional.of(new Parts(value.get(), matcher));
    }

    /** The groups of one matched DTM value. */
    private record Parts(String text, Matcher matcher) {

        String group(int index) {
            return matcher.group(index);
        }

        int number(int index) {
            return group(index) == null ? 0 : Integer.parseInt(group(index));
        }

        String datePart(String field) {
            try {
                if (group(2) == null) {
                    return group(1);
                }
                if (group(3) == null) {
                    return YearMonth.of(number(1), number(2)).toString();
                }
                return LocalDate.of(number(1), number(2), number(3)).toString();
            } catch (DateTimeException e) {
                throw new Hl7TranslationException(field, "'" + text + "' is not a real date");
            }
        }

        String dateTime(String field) {
            if (group(4) == null) {
                return datePart(field);
            }
            try {
                String fraction = group(7) == null ? "" : group(7);
                int nanos = fraction.isEmpty() ? 0 : Integer.parseInt((fraction + "000000000").substring(0, 9));
                LocalDateTime local = LocalDateTime.of(
                        number(1), number(2), number(3), number(4), number(5), number(6), nanos);
                ZoneOffset offset = group(8) == null
                        ? SENDER_ZONE.getRules().getOffset(local)
                        : ZoneOffset.of(group(8).substring(0, 3) + ":" + group(8).substring(3));
                return local.atOffset(offset).format(fraction.isEmpty() ? FHIR_SECONDS : FHIR_MILLIS);
            } catch (DateTimeException e) {
                throw new Hl7TranslationException(field, "'" + text + "' is not a real date/time");
            }
        }
    }
}
