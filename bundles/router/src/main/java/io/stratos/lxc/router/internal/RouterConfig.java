package io.stratos.lxc.router.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The keys of PID {@code io.stratos.lxc.router}, described for Karaf's {@code config:} commands and the web console
 * (metatype); the descriptions are those of the commented {@code io.stratos.lxc.router.cfg} the distribution ships, and a
 * test keeps both in step. The component reads the raw dictionary through {@link RouterSettings}, so that a bad value is
 * reported with its key and the last good settings stay in force.
 */
@ObjectClassDefinition(name = "Stratos LXC router",
        description = "Stratos LXC router (PID io.stratos.lxc.router): one HTTP address per subscription, spreading its requests "
                + "over the subscription's RUNNING processes. Changes apply at once; a new port or address restarts the listener.")
@interface RouterConfig {

    @AttributeDefinition(name = "port", required = false,
            description = "The router's own HTTP port (not Karaf's HTTP port). A port that is taken is retried every 5 s.")
    int port() default 8280;

    @AttributeDefinition(name = "bindAddress", required = false,
            description = "Address to listen on. 127.0.0.1 keeps the router on this host; 0.0.0.0 opens it to the network.")
    String bindAddress() default "127.0.0.1";

    @AttributeDefinition(name = "domain", required = false, description = "Subscriptions answer as <alias>.<domain>.")
    String domain() default "stratos.local";

    @AttributeDefinition(name = "connectTimeoutMillis", required = false,
            description = "Milliseconds to wait for a TCP connection to a process before trying the next one.")
    int connectTimeoutMillis() default 1000;

    @AttributeDefinition(name = "requestTimeoutSeconds", required = false,
            description = "Seconds to wait for a process's response headers before answering 504.")
    int requestTimeoutSeconds() default 60;

    @AttributeDefinition(name = "ioThreads", required = false,
            description = "Event loop threads serving every connection; 0 = Netty's default, twice the cores.")
    int ioThreads() default 0;

    @AttributeDefinition(name = "headerTimeoutSeconds", required = false,
            description = "Seconds a client has to send a request's complete headers; a slower one gets 408.")
    int headerTimeoutSeconds() default 10;

    @AttributeDefinition(name = "idleTimeoutSeconds", required = false,
            description = "Seconds a keep-alive connection may sit idle, a client may pause in a request body, or stop reading its answer.")
    int idleTimeoutSeconds() default 60;

    @AttributeDefinition(name = "maxHeaderBytes", required = false,
            description = "Bytes a request line (else 414), and all the request's headers (else 431), may take.")
    int maxHeaderBytes() default 16384;

    @AttributeDefinition(name = "trustedProxies", required = false,
            description = "Clients whose X-Forwarded-* headers are believed: comma-separated addresses or CIDR ranges.")
    String trustedProxies() default "";

    @AttributeDefinition(name = "drainTimeoutSeconds", required = false,
            description = "Seconds a WebSocket connection to a process being drained is left open before the router closes it.")
    int drainTimeoutSeconds() default 30;

    @AttributeDefinition(name = "maxHeldRequests", required = false,
            description = "Scale from zero: most requests held at once, over all aliases, while a process starts (0: never hold).")
    int maxHeldRequests() default 1000;

    @AttributeDefinition(name = "holdTimeoutSeconds", required = false,
            description = "Seconds one request is held for a process to start before 503 with Retry-After.")
    int holdTimeoutSeconds() default 30;

    @AttributeDefinition(name = "backendCacheMillis", required = false,
            description = "Milliseconds a subscription's process list is reused before the controller is asked again.")
    int backendCacheMillis() default 500;

    @AttributeDefinition(name = "backendDownMillis", required = false,
            description = "Milliseconds a process that refused a connection is avoided (while others are up).")
    int backendDownMillis() default 5000;

    @AttributeDefinition(name = "controllerUrl", required = false,
            description = "A router apart from the controller: the controller's origin (http://10.0.0.5:8181), or several separated "
                    + "by commas (controllers sharing one database). Empty: the controller runs in this Karaf.")
    String controllerUrl() default "";

    @AttributeDefinition(name = "controllerUser", required = false,
            description = "A router apart: a user of the controller's etc/users.properties with the router role.")
    String controllerUser() default "";

    @AttributeDefinition(name = "controllerPassword", required = false, type = AttributeType.PASSWORD,
            description = "A router apart: that user's password.")
    String controllerPassword() default "";
}
