package io.stratos.lxc.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.stratos.lxc.api.StratosException;
import javax.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

class ErrorMappersTest {

    record Scale(int processes) {
    }

    @Test
    void domainFailuresMapToTheirStatusWithFieldAndHint() {
        Response response = new ErrorMappers.Domain().toResponse(
                StratosException.conflict("alias", "alias 'hello' is taken", "choose another alias"));

        assertThat(response.getStatus()).isEqualTo(409);
        assertThat(response.getEntity()).isEqualTo(new ApiError("alias 'hello' is taken", "alias", "choose another alias"));
    }

    @Test
    void aWrongTypeIsA400NamingTheField() {
        JsonProcessingException e = catchThrowableOfType(JsonProcessingException.class,
                () -> RestServer.objectMapper().readValue("{\"processes\":\"many\"}", Scale.class));

        Response response = new ErrorMappers.Json().toResponse(e);
        ApiError error = (ApiError) response.getEntity();
        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(error.field()).isEqualTo("processes");
        assertThat(error.error()).contains("many").contains("int");
    }

    @Test
    void anUnknownFieldIsA400NamingIt() {
        JsonProcessingException e = catchThrowableOfType(JsonProcessingException.class,
                () -> RestServer.objectMapper().readValue("{\"processes\":1,\"colour\":\"red\"}", Scale.class));

        ApiError error = (ApiError) new ErrorMappers.Json().toResponse(e).getEntity();
        assertThat(error.error()).isEqualTo("unknown field 'colour'");
        assertThat(error.field()).isEqualTo("colour");
    }

    @Test
    void malformedJsonIsA400() {
        JsonProcessingException e = catchThrowableOfType(JsonProcessingException.class,
                () -> RestServer.objectMapper().readValue("{\"processes\":", Scale.class));

        Response response = new ErrorMappers.Json().toResponse(e);
        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(((ApiError) response.getEntity()).error()).startsWith("the request body is not valid JSON");
    }

    @Test
    void anUnexpectedFailureIsA500WithoutDetails() {
        Response response = new ErrorMappers.Unexpected().toResponse(new IllegalStateException("secret internals"));
        assertThat(response.getStatus()).isEqualTo(500);
        assertThat(((ApiError) response.getEntity()).error()).startsWith("internal error ").doesNotContain("secret");
    }
}
