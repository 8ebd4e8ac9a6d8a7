package io.stratos.lxc.controller.internal;

import io.stratos.lxc.controller.persistence.SchemaMigrations;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/** The controller's tables: scripts {@code db/V<n>__*.sql}, recorded in {@code schema_version}. */
final class Schema {

    static final List<String> SCRIPTS = List.of("V1__controller.sql", "V2__partition_desired_vms.sql", "V3__artifacts.sql");

    private Schema() {
    }

    static int migrate(DataSource dataSource) throws SQLException {
        return SchemaMigrations.migrate(dataSource, "schema_version", Schema.class, "/io/stratos/lxc/controller/db/",
                SCRIPTS, "Controller database");
    }
}
