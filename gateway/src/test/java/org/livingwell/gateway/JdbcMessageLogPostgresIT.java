package org.livingwell.gateway;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.livingwell.gateway.admin.JdbcMessageLog;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The message log contract on the PostgreSQL server of this machine (127.0.0.1:5432, database {@code test},
 * trust auth), in a schema of its own recreated on every run; no Spring context. Runs when {@code CI=true}.
 */
@EnabledIfEnvironmentVariable(named = "CI", matches = "true",
        disabledReason = "PostgreSQL tests run only with CI=true (they need PostgreSQL on 127.0.0.1:5432, database 'test', trust auth)")
class JdbcMessageLogPostgresIT implements JdbcMessageLogContract {

    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String SCHEMA = "lw_message_log_it";

    private static JdbcMessageLog messageLog;
    private static PlatformTransactionManager transactionManager;

    @BeforeAll
    static void freshSchema() {
        new JdbcTemplate(dataSource(URL)).execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE; CREATE SCHEMA " + SCHEMA);
        DataSource dataSource = dataSource(URL + "?currentSchema=" + SCHEMA);
        messageLog = new JdbcMessageLog(dataSource);
        transactionManager = new DataSourceTransactionManager(dataSource);
    }

    private static DataSource dataSource(String url) {
        return new SimpleDriverDataSource(new org.postgresql.Driver(), url, "postgres", "");
    }

    @Override
    public JdbcMessageLog messageLog() {
        return messageLog;
    }

    @Override
    public PlatformTransactionManager transactionManager() {
        return transactionManager;
    }
}
