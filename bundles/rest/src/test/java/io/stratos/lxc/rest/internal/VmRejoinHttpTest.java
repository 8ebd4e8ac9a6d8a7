package io.stratos.lxc.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.controller.CloudController;
import io.stratos.lxc.api.controller.VmRejoin;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /vms/{id}/rejoin} over real HTTP: the new token for an admin, 404 for an unknown VM, 403 for a tenant. */
class VmRejoinHttpTest {

    static TestApiServer server;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        ApiAuthentication authentication = new ApiAuthentication((user, password) ->
                Optional.ofNullable(ApiSecurityHttpTest.USERS.get(user + ":" + password)), System::currentTimeMillis);
        PartitionResource partitions = new PartitionResource();
        // a controller that knows one VM and can do nothing else
        partitions.controller = (CloudController) Proxy.newProxyInstance(CloudController.class.getClassLoader(),
                new Class<?>[] {CloudController.class}, (proxy, method, args) -> {
                    if (method.getName().equals("rejoinVm")) {
                        if (!"web-1".equals(args[0])) {
                            throw StratosException.notFound("no VM '" + args[0] + "'", "list them with GET /vms");
                        }
                        return new VmRejoin("web-1", "0123456789abcdef0123456789abcdef", false, "hand the token to the VM's agent");
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        server = new TestApiServer(List.of(partitions), new AuthenticationFilter(authentication));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static HttpResponse<String> post(String credentials, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.base + path)).POST(HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anAdminGetsTheNewJoinTokenToHandOver() throws Exception {
        HttpResponse<String> answer = post("root:secret", "/vms/web-1/rejoin");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains("\"joinToken\" : \"0123456789abcdef0123456789abcdef\"").contains("\"handedToVm\" : false")
                .contains("\"hint\"");
    }

    @Test
    void anUnknownVmIs404AndATenantIs403BothAsJson() throws Exception {
        HttpResponse<String> unknown = post("root:secret", "/vms/nope/rejoin");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("\"error\"").contains("no VM 'nope'").contains("\"hint\"");
        HttpResponse<String> tenant = post("alice:a-pass", "/vms/web-1/rejoin");
        assertThat(tenant.statusCode()).isEqualTo(403);
        assertThat(tenant.body()).contains("\"error\"");
    }

    @Test
    void theOpenApiDescriptionDocumentsTheCallAndItsAnswers() throws Exception {
        try (var in = OpenApiResource.class.getResourceAsStream("openapi.json")) {
            var post = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in).path("paths").path("/vms/{id}/rejoin").path("post");
            assertThat(post.path("responses").fieldNames()).toIterable().contains("200", "403", "404");
            assertThat(post.path("responses").path("200").toString()).contains("VmRejoin");
        }
    }
}
