package io.stratos.lxc.router.internal;

import io.stratos.lxc.api.controller.ProcessState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** A router on a free port of 127.0.0.1 with a fake controller and echo backends, for the focused router tests. */
final class RouterFixture implements AutoCloseable {

    static {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    final FakeController controller = new FakeController();
    final TrafficMetrics metrics = new TrafficMetrics();
    final List<AutoCloseable> closeables = new ArrayList<>();
    final BackendTable table;
    final RouterServer router;
    final RouterSettings settings;

    RouterFixture() throws IOException {
        this(s -> s);
    }

    RouterFixture(UnaryOperator<RouterSettings> tune) throws IOException {
        settings = tune.apply(RouterServerTest.settings());
        table = new BackendTable(new ControllerBackendSource(controller::service), 500, System::nanoTime);
        router = new RouterServer(settings, table, metrics);
        router.start();
    }

    /** A new echo backend, RUNNING for {@code alias}. */
    TestBackend backend(String alias, String name) throws IOException {
        TestBackend backend = new TestBackend(name);
        closeables.add(backend);
        controller.subscribed(alias).process(alias, ProcessState.RUNNING, backend.port());
        return backend;
    }

    int port() {
        return router.port();
    }

    static RouterSettings with(RouterSettings s, int headerTimeout, int idleTimeout, int requestTimeout) {
        return new RouterSettings(s.port(), s.bindAddress(), s.domain(), s.connectTimeoutMillis(), requestTimeout,
                s.ioThreads(), s.backendCacheMillis(), s.backendDownMillis(), headerTimeout, idleTimeout, s.maxHeaderBytes(),
                s.trustedProxies(), s.drainTimeoutSeconds(), null, null);
    }

    @Override
    public void close() {
        router.stop(0);
        for (AutoCloseable closeable : closeables) {
            try {
                closeable.close();
            } catch (Exception e) {
                // the next one still
            }
        }
    }
}
