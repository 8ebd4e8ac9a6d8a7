package io.stratos.lxc.autoscaler.internal;

import io.stratos.lxc.api.autoscaler.AutoscalePolicy;
import java.util.List;

/** Where policies survive restarts. Every call is one transaction; failures are StratosExceptions. */
interface PolicyStore {

    List<AutoscalePolicy> load();

    void insert(AutoscalePolicy policy);

    void update(AutoscalePolicy policy);

    void delete(String name);
}
