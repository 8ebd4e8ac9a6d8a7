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
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.TreeMap;
import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.jaxrs.JAXRSServerFactoryBean;
import org.apache.cxf.transport.DestinationFactoryManager;
import org.apache.cxf.transport.http.HTTPTransportFactory;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes every registered {@link RestResource} at its address ({@code /api/v1}) under CXF's servlet (whose
 * context {@code /stratos} comes from PID {@code org.apache.cxf.osgi}). Resources come and go with the
 * services they adapt: a resource that goes is taken out at once; new ones are published together once
 * none has arrived for a moment, so a starting suite rebuilds the API once, not once per bundle (each
 * rebuild leaves the API unpublished for a few milliseconds).
 * <p>
 * Its {@link StatusContributor} is registered by hand once the server is up: as a DS service it
 * would close a reference cycle (status resource, status service, contributors, this server).
 * <p>
 * The {@link ApiGate} answers 503 until every resource component of this bundle is published, and while the
 * servers are rebuilt: a resource missing from the API is one whose service is not there (yet), not a 404.
 */
@Component(immediate = true, service = {})
public class RestServer {

    private static final Logger LOG = LoggerFactory.getLogger(RestServer.class);

    static final long SETTLE_MILLIS = 250;
    static final long RETRY_MILLIS = 1000;

    private final Map<RestResource, String> resources = new ConcurrentHashMap<>();

    @Reference
    ApiAuthentication authentication;

    @Reference
    ApiGate gate;

    @Reference
    RestSettings settings;

    /**
     * CXF's HTTP transport, the last service its bundle registers when it starts: this bundle starts before CXF (so
     * that the gate is in front of CXF's servlet from its first request), and publishing waits for the transport.
     * Waiting for an earlier one of its services (HTTPConduitConfigurer) let a publication run before the transport
     * was registered; CXF then remembers the http namespace as failed for good and every later try fails ("No
     * DestinationFactory was found"), seen as an API that never came up. Optional only so that no capability is
     * required of CXF's bundle, which declares none.
     */
    private volatile HTTPTransportFactory cxfHttpTransport;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindTransport(HTTPTransportFactory transport) {
        cxfHttpTransport = transport;
        rebuildSoon();
    }

    void unbindTransport(HTTPTransportFactory transport) {
        if (cxfHttpTransport == transport) {
            cxfHttpTransport = null;
        }
    }

    /** Optional: the controller's leader lease, shown on every answer (a standby's reads may be stale). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile io.stratos.lxc.api.ha.Leadership leadership;

    /** Which resource components this bundle has: the API is ready once all of them are published. */
    @Reference
    ServiceComponentRuntime components;
    private final List<Server> servers = new ArrayList<>();
    private ServiceRegistration<StatusContributor> statusRegistration;
    private BundleContext context;
    private ScheduledExecutorService executor;
    private ScheduledFuture<?> pendingRebuild;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindResource(RestResource resource, Map<String, Object> properties) {
        resources.put(resource, String.valueOf(properties.get("component.name")));
        rebuildSoon();
    }

    void unbindResource(RestResource resource) {
        resources.remove(resource);
        // Not later: the going resource's service may already be gone.
        rebuildNow();
    }

    static ObjectMapper objectMapper() {
        return new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    static List<Object> providers(java.util.function.LongSupplier maxJsonBytes) {
        return List.of(new BodyLimit(maxJsonBytes), new JacksonJsonProvider(objectMapper()), new ErrorMappers.Domain(), new ErrorMappers.Json(),
                new ErrorMappers.Web(), new ErrorMappers.Unexpected());
    }

    @Activate
    synchronized void start(BundleContext context) {
        this.context = context;
        executor = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "stratos-rest-publisher"));
        rebuildNow();
    }

    @Deactivate
    synchronized void stop() {
        executor.shutdownNow();
        executor = null;
        gate.close();
        unpublish();
    }

    private synchronized void rebuildSoon() {
        if (executor == null) {
            return; // before activation: start() publishes what is bound
        }
        if (pendingRebuild != null) {
            pendingRebuild.cancel(false);
        }
        pendingRebuild = executor.schedule(this::rebuildNow, SETTLE_MILLIS, TimeUnit.MILLISECONDS);
    }

    private synchronized void rebuildNow() {
        if (executor == null) {
            return;
        }
        gate.close(); // waits for the calls inside the servers about to be destroyed
        unpublish();
        try {
            publish();
        } catch (RuntimeException e) {
            // E.g. CXF's HTTP transport registered but its extension not yet added to the bus (a first boot starts this
            // bundle before CXF): the gate stays closed (503) and the next try comes soon, instead of no API for good.
            StringBuilder why = new StringBuilder(e.toString());
            for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
                why.append(" <- ").append(cause);
            }
            LOG.warn("REST API not published yet ({}); trying again in {} ms", why, RETRY_MILLIS);
            LOG.debug("REST API publication failed", e);
            unpublish();
            pendingRebuild = executor.schedule(this::rebuildNow, RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** The resource components of this bundle that are enabled but not published (empty: the API is complete). */
    static Set<String> missing(Iterable<ComponentDescriptionDTO> descriptions, java.util.function.Predicate<ComponentDescriptionDTO> enabled,
            java.util.Collection<String> published) {
        Set<String> missing = new TreeSet<>();
        for (ComponentDescriptionDTO description : descriptions) {
            if (List.of(description.serviceInterfaces).contains(RestResource.class.getName()) && enabled.test(description)
                    && !published.contains(description.name)) {
                missing.add(description.name);
            }
        }
        return missing;
    }

    private void openWhenComplete() {
        Set<String> missing = missing(components.getComponentDescriptionDTOs(context.getBundle()), components::isComponentEnabled,
                resources.values());
        if (missing.isEmpty()) {
            gate.open();
        } else {
            LOG.info("REST API not ready: waiting for {}", missing);
        }
    }

    private void publish() {
        if (resources.isEmpty() || cxfHttpTransport == null) {
            return;
        }
        // One JAX-RS server per address (today only the user API: the agent API is AgentApiServlet).
        Map<String, List<Object>> byAddress = new TreeMap<>();
        for (RestResource resource : resources.keySet()) {
            byAddress.computeIfAbsent(resource.address(), a -> new ArrayList<>()).add(resource);
        }
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        // CXF looks up some providers through the context class loader; ours sees the right ones.
        Thread.currentThread().setContextClassLoader(RestServer.class.getClassLoader());
        Bus bus = BusFactory.getDefaultBus();
        if (bus.getExtension(ClassLoader.class) == null) {
            // Without it CXF's servlet asks its ResourceManager for a class loader on every request, a classpath
            // search through jar files that was 6 % of the controller's CPU at 10,000 VMs. With it, requests run
            // with our loader as context class loader, as the publishing here does.
            bus.setExtension(RestServer.class.getClassLoader(), ClassLoader.class);
        }
        // The transport this publication waited for, named to the bus for each of its namespaces: found for sure,
        // whatever the bus looked up (and remembered as missing) before the transport came.
        DestinationFactoryManager destinations = bus.getExtension(DestinationFactoryManager.class);
        HTTPTransportFactory transport = cxfHttpTransport;
        if (destinations != null && transport != null) {
            for (String namespace : transport.getTransportIds()) {
                destinations.registerDestinationFactory(namespace, transport);
            }
        }
        try {
            for (Map.Entry<String, List<Object>> entry : byAddress.entrySet()) {
                JAXRSServerFactoryBean factory = new JAXRSServerFactoryBean();
                factory.setBus(bus);
                factory.setAddress(entry.getKey());
                factory.setServiceBeans(entry.getValue());
                List<Object> providers = new ArrayList<>(providers(settings::maxJsonBytes));
                providers.add(new LeaseHeaders(() -> leadership));
                if (RestResource.API.equals(entry.getKey())) {
                    // Agents authenticate on their own API with their per-VM secret, per call.
                    providers.add(new AuthenticationFilter(authentication));
                }
                factory.setProviders(providers);
                servers.add(factory.create());
                LOG.info("REST API published at {} with {} resources", entry.getKey(), entry.getValue().size());
            }
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        String detail = resources.size() + " resources at " + String.join(", ", byAddress.keySet());
        StatusContributor status = () -> new ComponentStatus("rest", ComponentState.ACTIVE, detail);
        statusRegistration = context.registerService(StatusContributor.class, status, null);
        openWhenComplete();
    }

    private void unpublish() {
        if (statusRegistration != null) {
            statusRegistration.unregister();
            statusRegistration = null;
        }
        servers.forEach(Server::destroy);
        servers.clear();
    }
}
