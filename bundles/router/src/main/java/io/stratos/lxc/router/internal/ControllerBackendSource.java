package io.stratos.lxc.router.internal;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.controller.CartridgeProcess;
import io.stratos.lxc.api.controller.CloudController;
import io.stratos.lxc.api.controller.ProcessState;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Backends from the {@link CloudController}: the subscription's RUNNING processes with a host port. */
final class ControllerBackendSource implements BackendSource {

    private final Supplier<CloudController> controller;
    private final BackendResolver resolver;

    ControllerBackendSource(Supplier<CloudController> controller, BackendResolver resolver) {
        this.controller = controller;
        this.resolver = resolver;
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
            if (process.state() != ProcessState.RUNNING || process.hostPort() <= 0) {
                continue;
            }
            String host = resolver.host(process);
            if (host != null) {
                backends.add(new Backend(process.id(), host, process.hostPort()));
            }
        }
        return backends;
    }
}
