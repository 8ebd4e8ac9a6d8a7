package io.stratos.lxc.autoscaler.internal;

import io.stratos.lxc.api.autoscaler.ScalingDecision;
import io.stratos.lxc.api.controller.CloudController;
import io.stratos.lxc.api.controller.Partition;
import io.stratos.lxc.autoscaler.management.AutoscalerMBean;
import java.util.function.Supplier;
import javax.management.NotCompliantMBeanException;
import javax.management.StandardMBean;

/** Registered by {@link AutoscalerComponent} with {@code jmx.objectname=io.stratos.lxc:type=Autoscaler}. */
final class AutoscalerMBeanImpl extends StandardMBean implements AutoscalerMBean {

    static final String OBJECT_NAME = "io.stratos.lxc:type=Autoscaler";

    private final AutoscalerCore core;
    private final Supplier<AutoscalerSettings> settings;
    private final Supplier<CloudController> controller;

    AutoscalerMBeanImpl(AutoscalerCore core, Supplier<AutoscalerSettings> settings, Supplier<CloudController> controller)
            throws NotCompliantMBeanException {
        super(AutoscalerMBean.class);
        this.core = core;
        this.settings = settings;
        this.controller = controller;
    }

    @Override
    public boolean isEnabled() {
        return settings.get().enabled();
    }

    @Override
    public int getPolicies() {
        return core.policies().size();
    }

    @Override
    public int getAutoscaledSubscriptions() {
        return core.autoscaledSubscriptions();
    }

    @Override
    public String getLastDecision() {
        ScalingDecision last = core.lastDecision();
        return last == null ? "" : line(last);
    }

    @Override
    public int getDecisionsPerMinute() {
        return core.decisionsPerMinute();
    }

    @Override
    public double getLastEvaluationMillis() {
        return core.lastEvaluationNanos() / 1e6;
    }

    @Override
    public double getMaxEvaluationMillis() {
        return core.takeMaxEvaluationNanos() / 1e6;
    }

    @Override
    public int getPending() {
        CloudController cc = controller.get();
        return cc == null ? 0 : cc.partitions().stream().mapToInt(Partition::pending).sum();
    }

    @Override
    public String[] decisions(int limit) {
        return core.decisions(limit).stream().map(AutoscalerMBeanImpl::line).toArray(String[]::new);
    }

    @Override
    public String[] policies() {
        return core.policies().stream().map(String::valueOf).toArray(String[]::new);
    }

    static String line(ScalingDecision d) {
        return d.time() + " " + d.level() + " " + d.target() + " " + d.from() + " -> " + d.to() + ": " + d.reason();
    }
}
