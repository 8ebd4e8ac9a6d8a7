package io.stratos.lxc.rest.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.jaxrs.json.JacksonJsonProvider;
import io.stratos.lxc.api.status.ComponentState;
import io.stratos.lxc.api.status.ComponentStatus;
import io.stratos.lxc.api.status.StatusContributor;
import java.util.ArrayList;
import java.util.List;
import org.apache.cxf.BusFactory;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.jaxrs.JAXRSServerFactoryBean;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes every registered {@link RestResource} at {@code /api/v1} under CXF's servlet (whose
 * context {@code /stratos} comes from PID {@code org.apache.cxf.osgi}). The reference is static and
 * greedy: when a resource comes or goes, DS restarts this server with the new set, which takes
 * milliseconds and keeps the resource classes free of lifecycle code.
 * <p>
 * Its {@link StatusContributor} is registered by hand once the server is up: as a DS service it
 * would close a reference cycle (status resource, status service, contributors, this server).
 */
@Component(immediate = true, service = {})
public class RestServer {

    static final String ADDRESS = "/api/v1";
    private static final Logger LOG = LoggerFactory.getLogger(RestServer.class);

    @Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE, policyOption = ReferencePolicyOption.GREEDY)
    List<RestResource> resources;

    private Server server;
    private ServiceRegistration<StatusContributor> statusRegistration;

    static ObjectMapper objectMapper() {
        return new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    static List<Object> providers() {
        return List.of(new JacksonJsonProvider(objectMapper()), new ErrorMappers.Domain(), new ErrorMappers.Json(),
                new ErrorMappers.Web(), new ErrorMappers.Unexpected());
    }

    @Activate
    void start(BundleContext context) {
        JAXRSServerFactoryBean factory = new JAXRSServerFactoryBean();
        factory.setBus(BusFactory.getDefaultBus());
        factory.setAddress(ADDRESS);
        factory.setServiceBeans(new ArrayList<>(resources));
        factory.setProviders(providers());
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        // CXF looks up some providers through the context class loader; ours sees the right ones.
        Thread.currentThread().setContextClassLoader(RestServer.class.getClassLoader());
        try {
            server = factory.create();
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        int count = resources.size();
        LOG.info("REST API published at {} with {} resources", ADDRESS, count);
        StatusContributor status = () -> new ComponentStatus("rest", ComponentState.ACTIVE, count + " resources at " + ADDRESS);
        statusRegistration = context.registerService(StatusContributor.class, status, null);
    }

    @Deactivate
    void stop() {
        if (statusRegistration != null) {
            statusRegistration.unregister();
            statusRegistration = null;
        }
        if (server != null) {
            server.destroy();
            server = null;
        }
    }
}
