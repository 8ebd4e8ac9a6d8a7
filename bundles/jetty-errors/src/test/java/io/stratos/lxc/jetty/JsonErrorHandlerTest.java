package io.stratos.lxc.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.Test;

class JsonErrorHandlerTest {

    @Test
    void aRequestJettyCannotParseIsAnsweredWithTheApisJsonErrorNamingTheUrl() {
        HttpFields fields = new HttpFields();

        String body = StandardCharsets.UTF_8.decode(new JsonErrorHandler().badMessageError(400, "Bad URI", fields)).toString();

        assertThat(fields.get(HttpHeader.CONTENT_TYPE)).startsWith("application/json");
        assertThat(body).startsWith("{\"error\":\"400 Bad URI\",\"field\":\"url\",\"hint\":\"a path may not hold encoded control characters");
    }

    @Test
    void controlCharactersAndQuotesInAReasonStayInsideTheJsonString() {
        assertThat(JsonErrorHandler.json("a \"b\"\u0000\\", null, null)).isEqualTo("{\"error\":\"a \\\"b\\\"\\u0000\\\\\"}");
    }

    @Test
    void onlyTheApisPathsAreUnderStratos() {
        assertThat(JsonErrorHandler.isApi("/stratos/api/v1/status")).isTrue();
        assertThat(JsonErrorHandler.isApi("/stratos")).isTrue();
        assertThat(JsonErrorHandler.isApi("/stratosphere")).isFalse();
        assertThat(JsonErrorHandler.isApi(null)).isFalse();
    }
}
