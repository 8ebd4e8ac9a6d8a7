package io.stratos.lxc.api.router;

/**
 * One backend of an alias as a router reaches it: a RUNNING process at its endpoint.
 *
 * @param process  the process's id
 * @param endpoint {@code <VM address>:<host port>}, e.g. {@code 10.214.0.2:20000} or {@code [fd00::2]:20000}
 */
public record Route(String process, String endpoint) {
}
