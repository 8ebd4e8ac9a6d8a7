package io.stratos.lxc.testsupport;

import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;

/** Empty embedded H2 databases for tests, each new one its own (kept until the JVM ends, across connections). */
public final class H2Databases {

    private H2Databases() {
    }

    /** A new empty in-memory database named {@code <name>-<unique>}. */
    public static JdbcDataSource empty(String name) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + name + "-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        return h2;
    }
}
