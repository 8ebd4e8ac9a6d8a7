package io.stratos.lxc.api.status;

/** The one source of the controller's status; REST, shell and JMX are views over it. */
public interface StatusService {
    SystemStatus status();
}
