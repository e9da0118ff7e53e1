package org.livingwell.gateway.admin;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import javax.sql.DataSource;
import org.livingwell.routes.council.CouncilWatermark;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The council poll's watermark in table {@code lw_council_watermark} of the record's own database, created if absent. */
@Component
public class JdbcCouncilWatermark implements CouncilWatermark {

    private static final String FEED = "council-cases";

    private final JdbcTemplate jdbc;

    public JdbcCouncilWatermark(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("CREATE TABLE IF NOT EXISTS lw_council_watermark (feed VARCHAR(64) PRIMARY KEY,"
                + " updated_at TIMESTAMP WITH TIME ZONE NOT NULL)");
    }

    @Override
    public Optional<Instant> load() {
        return jdbc.query("SELECT updated_at FROM lw_council_watermark WHERE feed = ?",
                (row, n) -> row.getObject(1, OffsetDateTime.class).toInstant(), FEED).stream().findFirst();
    }

    @Override
    public void save(Instant watermark) {
        // Down to microseconds, as both databases keep it; the API's updatedSince takes the watermark inclusively.
        OffsetDateTime at = watermark.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
        if (jdbc.update("UPDATE lw_council_watermark SET updated_at = ? WHERE feed = ?", at, FEED) == 0) {
            jdbc.update("INSERT INTO lw_council_watermark (feed, updated_at) VALUES (?, ?)", FEED, at);
        }
    }
}
