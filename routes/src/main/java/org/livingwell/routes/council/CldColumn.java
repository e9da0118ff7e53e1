package org.livingwell.routes.council;

import org.livingwell.routes.csv.CsvColumn;

/**
 * The columns of a council's quarterly Client Level Data file, one row per event, by their header names (any order;
 * other columns are ignored). Every column must be in the header; the ones {@link #mayBeEmpty} may hold no value.
 */
public enum CldColumn implements CsvColumn {
    LA_PERSON_ID("LA_Person_ID", "personId"),
    NHS_NUMBER("NHS_Number", "nhsNumber"),
    FAMILY_NAME("Family_Name", "familyName"),
    GIVEN_NAME("Given_Name", "givenName"),
    DATE_OF_BIRTH("Date_of_Birth", "dateOfBirth"),
    GENDER("Gender", "gender"),
    ETHNICITY("Ethnicity", "ethnicity"),
    POSTCODE("Postcode", "postcode"),
    PRIMARY_SUPPORT_REASON("Primary_Support_Reason", "primarySupportReason"),
    EVENT_TYPE("Event_Type", "events[0].type"),
    EVENT_REFERENCE("Event_Reference", "events[0].eventId"),
    EVENT_START_DATE("Event_Start_Date", "events[0].startDate"),
    EVENT_END_DATE("Event_End_Date", "events[0].endDate"),
    EVENT_OUTCOME("Event_Outcome", "events[0].outcome"),
    SERVICE_TYPE("Service_Type", "events[0].serviceType"),
    SERVICE_COMPONENT("Service_Component", "events[0].serviceComponent"),
    DELIVERY_MECHANISM("Delivery_Mechanism", "events[0].deliveryMechanism"),
    UNIT_COST("Unit_Cost", "events[0].unitCost"),
    COST_FREQUENCY("Cost_Frequency", "events[0].costFrequency"),
    PLANNED_UNITS_PER_WEEK("Planned_Units_Per_Week", "events[0].plannedUnitsPerWeek");

    private final String header;
    private final String field;

    CldColumn(String header, String field) {
        this.header = header;
        this.field = field;
    }

    @Override
    public String header() {
        return header;
    }

    @Override
    public boolean required() {
        return true;
    }

    /** The API's name of the same value (a row is a case of one event). */
    public String field() {
        return field;
    }

    /** The column of an API field, e.g. {@code events[0].startDate}. */
    static CldColumn ofField(String field) {
        for (CldColumn column : values()) {
            if (column.field.equals(field)) {
                return column;
            }
        }
        return null;
    }
}
