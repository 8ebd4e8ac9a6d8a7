package io.stratos.lxc.router.internal;

import io.stratos.lxc.api.router.AliasTraffic;
import io.stratos.lxc.api.router.RouterMetrics;
import io.stratos.lxc.router.management.RouterMBean;
import javax.management.NotCompliantMBeanException;
import javax.management.StandardMBean;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Exported by Karaf's JMX whiteboard because of its {@code jmx.objectname} property. */
@Component(service = RouterMBean.class, property = "jmx.objectname=io.stratos.lxc:type=Router")
public class RouterMBeanImpl extends StandardMBean implements RouterMBean {

    @Reference
    RouterMetrics metrics;

    public RouterMBeanImpl() throws NotCompliantMBeanException {
        super(RouterMBean.class);
    }

    @Override
    public int getPort() {
        return metrics.stats().port();
    }

    @Override
    public String getBindAddress() {
        return metrics.stats().bindAddress();
    }

    @Override
    public String getDomain() {
        return metrics.stats().domain();
    }

    @Override
    public boolean isListening() {
        return metrics.stats().listening();
    }

    @Override
    public int getRequestsInFlight() {
        return metrics.stats().requestsInFlight();
    }

    @Override
    public long getRequests() {
        return metrics.stats().requests();
    }

    @Override
    public String[] getAliases() {
        return metrics.stats().aliases().stream().map(RouterMBeanImpl::line).toArray(String[]::new);
    }

    @Override
    public int requestsInFlight(String alias) {
        return metrics.requestsInFlight(alias);
    }

    @Override
    public long requests(String alias) {
        return metrics.traffic(alias).requests();
    }

    static String line(AliasTraffic t) {
        return t.alias() + " requests=" + t.requests() + " inFlight=" + t.requestsInFlight() + " errors=" + t.errors()
                + " p50Ms=" + t.latencyP50Millis() + " p99Ms=" + t.latencyP99Millis() + " backends=" + t.backends();
    }
}
