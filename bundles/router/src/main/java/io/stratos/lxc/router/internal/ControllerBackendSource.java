package io.stratos.lxc.router.internal;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.controller.CartridgeProcess;
import io.stratos.lxc.api.controller.CloudController;
import io.stratos.lxc.api.controller.ProcessState;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Backends from the {@link CloudController}: the subscription's RUNNING processes at their endpoints, their VM's
 * address and host port, never a host of the router's own choosing.
 */
final class ControllerBackendSource implements BackendSource {

    private final Supplier<CloudController> controller;

    ControllerBackendSource(Supplier<CloudController> controller) {
        this.controller = controller;
    }

    @Override
    public List<Backend> backends(String alias) {
        CloudController current = controller.get();
        if (current == null) {
            throw new SourceUnavailableException("the cloud controller is not available", null);
        }
        List<CartridgeProcess> processes;
        try {
            processes = current.processes(alias);
        } catch (StratosException e) {
            if (e.kind() == StratosException.Kind.NOT_FOUND) {
                return null;
            }
            throw new SourceUnavailableException(e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new SourceUnavailableException("the cloud controller failed: " + e, e);
        }
        List<Backend> backends = new ArrayList<>();
        for (CartridgeProcess process : processes) {
            Backend backend = process.state() == ProcessState.RUNNING ? Backend.at(process.id(), process.endpoint()) : null;
            if (backend != null) {
                backends.add(backend);
            }
        }
        return backends;
    }
}
