package org.parley.gateway.store;

import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/** Relationships in the SQL store (H2 embedded, PostgreSQL in production); schema by Flyway. */
public final class JdbcRelationshipStore implements RelationshipStore {

    private static final RowMapper<Relationship> ROW = (rs, n) -> new Relationship(rs.getString("watcher"), rs.getString("presentity"),
            Direction.valueOf(rs.getString("direction")), State.valueOf(rs.getString("state")), rs.getTimestamp("updated_at").toInstant());

    private final JdbcTemplate jdbc;

    public JdbcRelationshipStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void put(Relationship r) {
        // portable upsert: H2 and PostgreSQL spell MERGE differently
        for (int attempt = 0; attempt < 3; attempt++) {
            int updated = jdbc.update("update relationship set direction = ?, state = ?, updated_at = ? where watcher = ? and presentity = ?",
                    r.direction().name(), r.state().name(), Timestamp.from(r.updated()), r.watcher(), r.presentity());
            if (updated > 0) {
                return;
            }
            try {
                jdbc.update("insert into relationship (watcher, presentity, direction, state, updated_at) values (?, ?, ?, ?, ?)",
                        r.watcher(), r.presentity(), r.direction().name(), r.state().name(), Timestamp.from(r.updated()));
                return;
            } catch (DuplicateKeyException raced) {
                // another thread inserted the same pair first: update it on the next turn
            }
        }
        throw new IllegalStateException("could not store relationship " + r.watcher() + " → " + r.presentity());
    }

    @Override
    public Optional<Relationship> find(String watcher, String presentity) {
        return jdbc.query("select * from relationship where watcher = ? and presentity = ?", ROW, watcher, presentity).stream().findFirst();
    }

    @Override
    public void remove(String watcher, String presentity) {
        jdbc.update("delete from relationship where watcher = ? and presentity = ?", watcher, presentity);
    }

    @Override
    public List<Relationship> all() {
        return jdbc.query("select * from relationship order by watcher, presentity", ROW);
    }
}
