package org.livingwell.gateway.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class H2IdLookupRewriteTest {

    /** The statement HAPI 8.8 runs before a transaction that updates and refers to three resources by id. */
    private static final String HAPI_ID_LOOKUP = "select rt1_0.RES_ID,rt1_0.RES_TYPE,rt1_0.FHIR_ID,rt1_0.RES_DELETED_AT,"
            + "rt1_0.PARTITION_ID from HFJ_RESOURCE rt1_0 where (rt1_0.RES_TYPE=? and rt1_0.FHIR_ID=? or "
            + "rt1_0.RES_TYPE=? and rt1_0.FHIR_ID=? or rt1_0.RES_TYPE=? and rt1_0.FHIR_ID=?)";
    private static final String[] IDS = {"Patient", "300", "Encounter", "301", "Organization", "no-such-id"};

    private final H2IdLookupRewrite rewrite = new H2IdLookupRewrite();

    @Test
    void theRewrittenLookUpFindsTheSameResourcesThroughAnIndex() throws SQLException {
        try (Connection h2 = DriverManager.getConnection("jdbc:h2:mem:id-lookup")) {
            try (Statement schema = h2.createStatement()) {
                // HAPI's table, as far as the look-up goes, with its unique constraint and index.
                schema.execute("create table HFJ_RESOURCE(RES_ID bigint primary key, PARTITION_ID int, "
                        + "RES_TYPE varchar(40), FHIR_ID varchar(64), RES_DELETED_AT timestamp)");
                schema.execute("alter table HFJ_RESOURCE add constraint IDX_RES_TYPE_FHIR_ID unique (PARTITION_ID, RES_TYPE, FHIR_ID)");
                schema.execute("create index IDX_RES_FHIR_ID on HFJ_RESOURCE(FHIR_ID)");
                schema.execute("insert into HFJ_RESOURCE select x, null, case mod(x, 3) when 0 then 'Patient' "
                        + "when 1 then 'Encounter' else 'Provenance' end, cast(x as varchar), null from system_range(1, 2000)");
            }
            String rewritten = rewrite.inspect(HAPI_ID_LOOKUP);

            assertThat(rewritten).isNotEqualTo(HAPI_ID_LOOKUP);
            assertThat(rows(h2, rewritten)).containsExactlyInAnyOrderElementsOf(rows(h2, HAPI_ID_LOOKUP))
                    .containsExactlyInAnyOrder("300 Patient 300", "301 Encounter 301");
            assertThat(plan(h2, HAPI_ID_LOOKUP)).as("H2 reads the whole table for the OR").doesNotContain("FHIR_ID =");
            assertThat(plan(h2, rewritten)).contains("IDX_RES_FHIR_ID: FHIR_ID = LW_ID.FHIR_ID");
            assertThat(rewrite.rewritten()).isEqualTo(1);
        }
    }

    @Test
    void otherStatementsPassUnchanged() {
        List<String> others = List.of(
                "select rt1_0.RES_ID from HFJ_RESOURCE rt1_0 where (rt1_0.RES_TYPE=? and rt1_0.FHIR_ID=?)",
                "select rt1_0.RES_ID from HFJ_RESOURCE rt1_0 where rt1_0.PARTITION_ID is null and "
                        + "(rt1_0.RES_TYPE=? and rt1_0.FHIR_ID=? or rt1_0.RES_TYPE=? and rt1_0.FHIR_ID=?)",
                "SELECT t0.RES_ID FROM HFJ_SPIDX_TOKEN t0 WHERE (t0.HASH_SYS_AND_VALUE = ?) fetch first ? rows only",
                "insert into HFJ_RES_LINK (SRC_PATH) values (?)");
        others.forEach(sql -> assertThat(rewrite.inspect(sql)).isEqualTo(sql));
        assertThat(rewrite.rewritten()).isZero();
    }

    private static List<String> rows(Connection h2, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (PreparedStatement statement = h2.prepareStatement(sql)) {
            for (int i = 0; i < IDS.length; i++) {
                statement.setString(i + 1, IDS[i]);
            }
            try (ResultSet found = statement.executeQuery()) {
                while (found.next()) {
                    rows.add(found.getLong(1) + " " + found.getString(2) + " " + found.getString(3));
                }
            }
        }
        return rows;
    }

    private static String plan(Connection h2, String sql) throws SQLException {
        try (PreparedStatement explain = h2.prepareStatement("explain " + sql)) {
            for (int i = 0; i < IDS.length; i++) {
                explain.setString(i + 1, IDS[i]);
            }
            try (ResultSet plan = explain.executeQuery()) {
                plan.next();
                return plan.getString(1);
            }
        }
    }
}
