package io.stratos.lxc.router.management;

/** JMX view {@code io.stratos.lxc:type=Router}: the same figures as {@code GET /router} and {@code stratos:router-stats}. */
public interface RouterMBean {

    int getPort();

    String getBindAddress();

    String getDomain();

    /** False while the port cannot be bound. */
    boolean isListening();

    /** Requests being served now, all aliases together. */
    int getRequestsInFlight();

    /** Requests served since the router started, all aliases together. */
    long getRequests();

    /** One line per alias: {@code alias requests=N inFlight=N errors=N p50Ms=N p99Ms=N backends=N}. */
    String[] getAliases();

    /** Requests of this alias being served now. */
    int requestsInFlight(String alias);

    /** Requests of this alias served since the router started. */
    long requests(String alias);
}
