package io.stratos.lxc.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConsoleResourcesTest {

    private final ConsoleResources resources = new ConsoleResources(ConsoleResourcesTest.class.getClassLoader()::getResource);

    @Test
    void theRootIsThePage() {
        assertThat(resources.resolve("/")).hasValueSatisfying(r -> {
            assertThat(r.url().getPath()).endsWith("console/index.html");
            assertThat(r.contentType()).startsWith("text/html");
        });
        assertThat(resources.resolve(null)).isPresent();
    }

    @Test
    void modulesAreServedAsJavaScript() {
        assertThat(resources.resolve("/js/app.js")).hasValueSatisfying(r ->
                assertThat(r.contentType()).isEqualTo("text/javascript; charset=utf-8"));
    }

    @Test
    void theChartLibraryComesFromTheEmbeddedWebJar() {
        // the WebJar is a test dependency too, as the bundle embeds it
        assertThat(resources.resolve("/vendor/uplot/uPlot.esm.js")).hasValueSatisfying(r ->
                assertThat(r.url().toString()).contains("META-INF/resources/webjars/uplot/"));
    }

    @Test
    void pathsThatClimbOutOrHideAreRefused() {
        assertThat(resources.resolve("/../ConsoleServlet.class")).isEmpty();
        assertThat(resources.resolve("/js/../../webjars.properties")).isEmpty();
        assertThat(resources.resolve("/.hidden.js")).isEmpty();
        assertThat(resources.resolve("//etc/passwd")).isEmpty();
        assertThat(resources.resolve("/js\\app.js")).isEmpty();
    }

    @Test
    void unknownFilesAndTypesAreNotFound() {
        assertThat(resources.resolve("/nothing.js")).isEmpty();
        assertThat(resources.resolve("/index")).isEmpty();
        assertThat(resources.resolve("/vendor/uplot/uPlot.d.ts")).isEmpty();
    }
}
