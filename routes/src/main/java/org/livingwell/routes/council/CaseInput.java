package org.livingwell.routes.council;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import java.util.ArrayList;
import java.util.List;
import org.livingwell.routes.constraints.Decimal;
import org.livingwell.routes.constraints.IsoDate;
import org.livingwell.routes.constraints.OneOf;
import org.livingwell.routes.constraints.UkPostcode;
import org.livingwell.routes.constraints.ValidNhsNumber;

/**
 * One council case as received (a case of the API, or a CLD file's row as a case of one event), values as text, with
 * the contract as Bean Validation constraints. Field names are the API's JSON names; {@link CldColumn} maps the file's
 * columns onto them. Fields, not records, as in the GP feed: constraints on a record component are reported twice.
 */
final class CaseInput {

    static final String REQUIRED = "is required";
    /** Ids become FHIR identifier values and element ids: kept to what both take. */
    static final String ID = "[A-Za-z0-9._-]{1,64}";
    static final String NOT_ID = "is not an id (at most 64 letters, digits, '.', '_' or '-')";

    @NotBlank(message = REQUIRED) @Pattern(regexp = ID, message = NOT_ID)
    String personId;
    @ValidNhsNumber
    String nhsNumber;
    @NotBlank(message = REQUIRED)
    String familyName;
    @NotBlank(message = REQUIRED)
    String givenName;
    @NotBlank(message = REQUIRED) @IsoDate
    String dateOfBirth;
    @NotBlank(message = REQUIRED) @OneOf({"Male", "Female", "Other", "Unknown", "Not known", "Not stated", "Indeterminate"})
    String gender;
    /** A 2021 census category; anything else is kept as text and reported, not refused. */
    String ethnicity;
    @NotBlank(message = REQUIRED) @UkPostcode
    String postcode;
    @NotBlank(message = REQUIRED) @CldCode("lw-primary-support-reason")
    String primarySupportReason;
    /** The API's; a file's rows have none. */
    String updatedAt;
    @NotEmpty(message = "has no events")
    List<@Valid EventInput> events = new ArrayList<>();

    /** One event of the case. */
    static final class EventInput {
        @NotBlank(message = REQUIRED) @Pattern(regexp = ID, message = NOT_ID)
        String eventId;
        @NotBlank(message = REQUIRED) @CldCode("lw-cld-event-type")
        String type;
        @NotBlank(message = REQUIRED) @IsoDate
        String startDate;
        @IsoDate(future = true)
        String endDate;
        @CldCode("lw-cld-event-outcome")
        String outcome;
        @CldCode("lw-cld-service-type")
        String serviceType;
        @CldCode("lw-cld-service-component")
        String serviceComponent;
        @CldCode("lw-cld-delivery-mechanism")
        String deliveryMechanism;
        @Decimal
        String unitCost;
        @CldCode("lw-cld-cost-frequency")
        String costFrequency;
        @Decimal
        String plannedUnitsPerWeek;
    }
}
