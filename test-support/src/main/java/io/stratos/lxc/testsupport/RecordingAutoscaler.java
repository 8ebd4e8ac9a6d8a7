package io.stratos.lxc.testsupport;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.autoscaler.AutoscalePolicy;
import io.stratos.lxc.api.autoscaler.Autoscaler;
import io.stratos.lxc.api.autoscaler.ScalingDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fake {@link Autoscaler} that front ends (REST, the shell) test against: it keeps the policies it is given, in
 * {@link #created}, and {@code decisions(n)} answers n made-up decisions. The autoscaler's own rules are tested
 * against the real one.
 */
public class RecordingAutoscaler implements Autoscaler {

    public final List<AutoscalePolicy> created = new ArrayList<>();

    @Override
    public AutoscalePolicy createPolicy(AutoscalePolicy policy) {
        created.add(policy);
        return policy;
    }

    @Override
    public List<AutoscalePolicy> policies() {
        return created;
    }

    @Override
    public AutoscalePolicy policy(String name) {
        return created.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> StratosException.notFound("no policy " + name, null));
    }

    @Override
    public AutoscalePolicy updatePolicy(String name, AutoscalePolicy policy) {
        return policy;
    }

    @Override
    public void deletePolicy(String name) {
    }

    @Override
    public List<ScalingDecision> decisions(int limit) {
        List<ScalingDecision> list = new ArrayList<>();
        for (int i = 0; i < limit; i++) {
            list.add(new ScalingDecision("2026-11-25T00:00:00Z", ScalingDecision.Level.SUBSCRIPTION, "shop", "web",
                    Map.of("cpuPercent", 90.0), 2, 4, "load"));
        }
        return list;
    }
}
