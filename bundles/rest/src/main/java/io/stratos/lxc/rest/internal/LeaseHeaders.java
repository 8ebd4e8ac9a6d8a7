package io.stratos.lxc.rest.internal;

import io.stratos.lxc.api.ha.ControllerRole;
import io.stratos.lxc.api.ha.LeaseStatus;
import io.stratos.lxc.api.ha.Leadership;
import java.util.function.Supplier;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;

/**
 * Marks every answer of a standby controller: {@code X-Stratos-Role: standby}, how stale its reads may be
 * ({@code X-Stratos-State-Age}, whole seconds since it last loaded the state) and where the active controller answers
 * ({@code X-Stratos-Active}). The active controller's answers carry {@code X-Stratos-Role: active} only.
 */
final class LeaseHeaders implements ContainerResponseFilter {

    private final Supplier<Leadership> leadership;

    LeaseHeaders(Supplier<Leadership> leadership) {
        this.leadership = leadership;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        Leadership current = leadership.get();
        if (current == null) {
            return;
        }
        LeaseStatus lease = current.lease();
        response.getHeaders().putSingle("X-Stratos-Role", lease.role().label());
        if (lease.role() == ControllerRole.STANDBY) {
            response.getHeaders().putSingle("X-Stratos-State-Age", String.valueOf(lease.stateAgeMillis() / 1000));
            if (!lease.holderUrl().isEmpty()) {
                response.getHeaders().putSingle("X-Stratos-Active", lease.holderUrl());
            }
        }
    }
}
