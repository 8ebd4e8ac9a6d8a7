package io.stratos.lxc.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.autoscaler.AutoscalePolicy;
import io.stratos.lxc.api.autoscaler.MetricTarget;
import io.stratos.lxc.testsupport.RecordingAutoscaler;
import java.util.List;
import javax.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

class AutoscalerResourceTest {

    @Test
    void theDocumentedPolicyShapeIsAccepted() throws Exception {
        String json = "{\"name\":\"web\",\"metrics\":{\"requestsInFlight\":{\"target\":10},\"cpuPercent\":{\"target\":60}},"
                + "\"minProcesses\":1,\"maxProcesses\":8,\"scaleUpCooldownSeconds\":30,\"scaleDownStabilizationSeconds\":120,"
                + "\"predict\":true}";
        AutoscalePolicy policy = RestServer.objectMapper().readValue(json, AutoscalePolicy.class);
        assertThat(policy.metrics()).containsEntry("cpuPercent", new MetricTarget(60.0))
                .containsEntry("requestsInFlight", new MetricTarget(10.0));
        assertThat(policy.predict()).isTrue();
        assertThat(policy.scaleUpStep()).isNull();

        AutoscalerResource resource = new AutoscalerResource();
        resource.autoscaler = new RecordingAutoscaler();
        Response response = resource.create(policy);
        assertThat(response.getStatus()).isEqualTo(201);
        assertThat(response.getLocation().toString()).isEqualTo("autoscale-policies/web");

        String out = RestServer.objectMapper().writeValueAsString(policy);
        assertThat(out).contains("\"requestsInFlight\"").contains("\"target\" : 10.0").contains("\"predict\" : true");
        assertThat(RestServer.objectMapper().readValue(out, AutoscalePolicy.class)).isEqualTo(policy);
    }

    @Test
    void aWrongTargetTypeNamesTheNestedField() {
        JsonProcessingException e = catchThrowableOfType(JsonProcessingException.class, () -> RestServer.objectMapper()
                .readValue("{\"name\":\"web\",\"metrics\":{\"cpuPercent\":{\"target\":\"high\"}}}", AutoscalePolicy.class));
        ApiError error = (ApiError) new ErrorMappers.Json().toResponse(e).getEntity();
        assertThat(error.field()).isEqualTo("metrics.cpuPercent.target");
    }

    @Test
    void decisionsLimitIsChecked() {
        AutoscalerResource resource = new AutoscalerResource();
        resource.autoscaler = new RecordingAutoscaler();
        assertThat(resource.decisions("100")).hasSize(100);
        assertThat(resource.decisions(" 3 ")).hasSize(3);
        for (String bad : List.of("0", "-1", "many", "10001")) {
            assertThatThrownBy(() -> resource.decisions(bad)).isInstanceOfSatisfying(StratosException.class, e -> {
                assertThat(e.kind()).isEqualTo(StratosException.Kind.INVALID_INPUT);
                assertThat(e.field()).isEqualTo("limit");
            });
        }
    }

    @Test
    void theOpenApiDescriptionHasTheAutoscalerPaths() throws Exception {
        var api = RestServer.objectMapper().readTree(new OpenApiResource().openApi());
        assertThat(api.get("paths").has("/autoscale-policies")).isTrue();
        assertThat(api.get("paths").get("/autoscale-policies/{name}").has("delete")).isTrue();
        assertThat(api.get("paths").has("/autoscaler/decisions")).isTrue();
        assertThat(api.get("components").get("schemas").get("AutoscalePolicy").get("properties").has("scaleDownStabilizationSeconds"))
                .isTrue();
    }
}
