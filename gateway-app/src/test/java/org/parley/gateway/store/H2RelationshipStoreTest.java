package org.parley.gateway.store;

import javax.sql.DataSource;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** The embedded default's database. */
class H2RelationshipStoreTest extends RelationshipStoreContract {

    private final DataSource h2 = new SimpleDriverDataSource(new org.h2.Driver(), "jdbc:h2:mem:relationships;DB_CLOSE_DELAY=-1", "parley", "");

    @Override
    protected DataSource dataSource() {
        return h2;
    }
}
