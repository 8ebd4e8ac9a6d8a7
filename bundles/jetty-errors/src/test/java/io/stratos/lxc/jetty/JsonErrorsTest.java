package io.stratos.lxc.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.Test;

class JsonErrorsTest {

    @Test
    void aRequestJettyCannotParseIsAnsweredWithTheApisJsonErrorNamingTheUrl() {
        HttpFields fields = new HttpFields();

        String body = StandardCharsets.UTF_8.decode(new JsonErrorHandler().badMessageError(400, "Bad URI", fields)).toString();

        assertThat(fields.get(HttpHeader.CONTENT_TYPE)).startsWith("application/json");
        assertThat(body).startsWith("{\"error\":\"400 Bad URI\",\"field\":\"url\",\"hint\":\"a path may not hold encoded control characters");
    }

    @Test
    void controlCharactersAndQuotesInAReasonStayInsideTheJsonString() {
        assertThat(JsonErrors.json("a \"b\"\u0000\\", null, null)).isEqualTo("{\"error\":\"a \\\"b\\\"\\u0000\\\\\"}");
    }

    @Test
    void onlyTheApisPathsAreUnderStratos() {
        assertThat(JsonErrors.isApi("/stratos/api/v1/status")).isTrue();
        assertThat(JsonErrors.isApi("/stratos")).isTrue();
        assertThat(JsonErrors.isApi("/stratosphere")).isFalse();
        assertThat(JsonErrors.isApi(null)).isFalse();
    }

    @Test
    void aMissingApiPathIsNotPublishedYetUnlessAServletOfTheApiAnsweredIt() {
        assertThat(JsonErrors.notPublishedYet("/stratos/api/v1/status", null)).isTrue();
        assertThat(JsonErrors.notPublishedYet("/stratos/api/v1/status", JsonErrors.PAX_WEB_404_SERVLET)).isTrue();
        assertThat(JsonErrors.notPublishedYet("/stratos/console/x", JsonErrors.PAX_WEB_404_SERVLET)).isTrue();
        assertThat(JsonErrors.notPublishedYet("/stratos/console/x", "stratos-console")).isFalse();
        assertThat(JsonErrors.notPublishedYet("/metrics", null)).isFalse();
    }
}
