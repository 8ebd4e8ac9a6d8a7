package io.stratos.lxc.rest.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.jaxrs.JAXRSServerFactoryBean;

/** Resources published as the API is, with the API's providers, by CXF on Jetty at 127.0.0.1 on a free port. */
final class TestApiServer implements AutoCloseable {

    final String base;
    private final Bus bus;
    private final Server server;

    TestApiServer(List<Object> resources, Object... extraProviders) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        base = "http://127.0.0.1:" + port + "/stratos/api/v1";
        bus = BusFactory.newInstance().createBus();
        JAXRSServerFactoryBean factory = new JAXRSServerFactoryBean();
        factory.setBus(bus);
        factory.setAddress(base);
        factory.setServiceBeans(resources);
        List<Object> providers = new ArrayList<>(RestServer.providers(() -> BodyLimit.DEFAULT_MAX_JSON_BYTES));
        providers.addAll(List.of(extraProviders));
        factory.setProviders(providers);
        server = factory.create();
    }

    @Override
    public void close() {
        server.destroy();
        bus.shutdown(true);
    }
}
