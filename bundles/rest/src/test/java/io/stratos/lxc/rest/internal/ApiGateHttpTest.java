package io.stratos.lxc.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.servlet.DispatcherType;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/** The gate in front of CXF's servlet on real HTTP: 503 JSON with Retry-After while closed, and a close that drains. */
class ApiGateHttpTest {

    final ApiGate gate = new ApiGate();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final CountDownLatch slowEntered = new CountDownLatch(1);
    final CountDownLatch slowRelease = new CountDownLatch(1);
    Server jetty;
    String base;

    @BeforeEach
    void start() throws Exception {
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost(InetAddress.getLoopbackAddress().getHostAddress());
        jetty.addConnector(connector);
        ServletContextHandler root = new ServletContextHandler();
        root.setContextPath("/");
        root.addFilter(new FilterHolder(gate), "/*", EnumSet.of(DispatcherType.REQUEST));
        root.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response) throws java.io.IOException {
                if (request.getRequestURI().endsWith("/slow")) {
                    slowEntered.countDown();
                    try {
                        slowRelease.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                response.setStatus(200);
                response.getWriter().write("served");
            }
        }), "/*");
        jetty.setHandler(root);
        jetty.start();
        base = "http://127.0.0.1:" + connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        slowRelease.countDown();
        jetty.stop();
    }

    HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest.BodyPublisher body = method.equals("PUT") ? HttpRequest.BodyPublishers.ofString("{\"processes\":1}")
                : HttpRequest.BodyPublishers.noBody();
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).method(method, body).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void untilOpenedEveryCallToCxfsServletIs503WithTheJsonErrorAndRetryAfter() throws Exception {
        for (String path : List.of("/stratos/api/v1/subscriptions/e1/scale", "/stratos/api/v1/status", "/stratos", "/stratos/x")) {
            HttpResponse<String> answer = send("PUT", path);
            assertThat(answer.statusCode()).as(path).isEqualTo(503);
            assertThat(answer.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
            assertThat(answer.headers().firstValue("Retry-After")).contains("1");
            assertThat(answer.body()).contains("\"error\"").contains("\"hint\"").contains("not ready");
        }
        // the agent API, the console and the metrics endpoint are servlets of their own, and the rest of the server is not ours
        for (String path : List.of("/stratos/agent/v1/register", "/stratos/console/", "/stratos/metrics", "/other")) {
            assertThat(send("GET", path).body()).as(path).isEqualTo("served");
        }
        gate.open();
        assertThat(send("PUT", "/stratos/api/v1/subscriptions/e1/scale").body()).isEqualTo("served");
    }

    @Test
    void closingWaitsForTheCallsInsideAndRefusesNewOnesMeanwhile() throws Exception {
        gate.open();
        CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> {
            try {
                return send("GET", "/stratos/api/v1/slow");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(slowEntered.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(gate::close);
        // the call inside holds the close back (the republish would destroy its server under it)...
        assertThatThrownBy(() -> closing.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        // ...while new calls are refused at once
        assertThat(send("GET", "/stratos/api/v1/status").statusCode()).isEqualTo(503);
        slowRelease.countDown();
        closing.get(10, TimeUnit.SECONDS);
        assertThat(slow.get(10, TimeUnit.SECONDS).body()).isEqualTo("served");
        assertThat(gate.isOpen()).isFalse();
    }

    @Test
    void theApiIsCompleteWhenEveryEnabledResourceComponentIsPublished() {
        ComponentDescriptionDTO subscriptions = description("io.stratos.lxc.rest.internal.SubscriptionResource", RestResource.class);
        ComponentDescriptionDTO status = description("io.stratos.lxc.rest.internal.StatusResource", RestResource.class);
        ComponentDescriptionDTO gateItself = description("io.stratos.lxc.rest.internal.ApiGate", ApiGate.class);
        ComponentDescriptionDTO disabled = description("io.stratos.lxc.rest.internal.Disabled", RestResource.class);
        List<ComponentDescriptionDTO> all = List.of(subscriptions, status, gateItself, disabled);

        assertThat(RestServer.missing(all, d -> d != disabled, List.of(status.name))).containsExactly(subscriptions.name);
        assertThat(RestServer.missing(all, d -> d != disabled, List.of(status.name, subscriptions.name))).isEmpty();
    }

    private static ComponentDescriptionDTO description(String name, Class<?> service) {
        ComponentDescriptionDTO description = new ComponentDescriptionDTO();
        description.name = name;
        description.serviceInterfaces = new String[] {service.getName()};
        return description;
    }
}
