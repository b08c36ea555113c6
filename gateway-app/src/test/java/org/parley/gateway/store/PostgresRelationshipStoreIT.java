package org.parley.gateway.store;

import java.nio.file.Files;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.parley.gateway.testing.PostgresRig;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** The production database: a real PostgreSQL from Debian's package, migrations and store included. */
class PostgresRelationshipStoreIT extends RelationshipStoreContract {

    private static PostgresRig postgres;
    private static DataSource dataSource;

    @BeforeAll
    static void start() throws Exception {
        postgres = PostgresRig.start(Files.createTempDirectory("parley-pg"));
        dataSource = new SimpleDriverDataSource(new org.postgresql.Driver(), postgres.jdbcUrl(), postgres.user(), "");
    }

    @AfterAll
    static void stop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    protected DataSource dataSource() {
        return dataSource;
    }
}
