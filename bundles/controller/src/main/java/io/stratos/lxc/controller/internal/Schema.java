package io.stratos.lxc.controller.internal;

import io.stratos.lxc.persistence.ComponentSchema;
import io.stratos.lxc.persistence.SchemaException;
import javax.sql.DataSource;

/**
 * The controller's tables: every script {@code db/V<n>__*.sql} beside this class, found by scanning (a new
 * script needs no code change), recorded in {@code controller_schema_history}; before Flyway in {@code schema_version}.
 */
final class Schema {

    static final ComponentSchema CONTROLLER = new ComponentSchema("Controller database", Schema.class,
            "io/stratos/lxc/controller/db", "controller_schema_history", "schema_version");

    private Schema() {
    }

    /** Returns the schema version now in force. */
    static int migrate(DataSource dataSource) throws SchemaException {
        return CONTROLLER.migrate(dataSource);
    }
}
