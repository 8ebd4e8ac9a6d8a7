package io.stratos.lxc.itests.support;

import static org.junit.Assert.assertEquals;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The ws-echo cartridge (cartridges/ws-echo/build.sh: websocketd on Debian): built here when its image is missing
 * or older than its recipe (about half a minute, once), as ./stratos test builds the php one, and uploaded to a
 * controller.
 */
public final class WsEchoCartridge {

    public static final String NAME = "ws-echo";
    public static final String VERSION = "1.0.0";

    private WsEchoCartridge() {
    }

    /** The image, built first if there is none or the recipe changed since. */
    public static Path image() throws Exception {
        Path root = Path.of(System.getProperty("stratos.root", ".."));
        Path recipe = root.resolve("cartridges/ws-echo/build.sh");
        Path packer = root.resolve("cartridges/pack-image.sh");
        Path image = root.resolve("cartridges/ws-echo/target/ws-echo-" + VERSION + ".tar.gz");
        if (!Files.isRegularFile(image)
                || Files.getLastModifiedTime(image).compareTo(Files.getLastModifiedTime(recipe)) < 0
                || Files.getLastModifiedTime(image).compareTo(Files.getLastModifiedTime(packer)) < 0) {
            Process build = new ProcessBuilder(recipe.toString(), VERSION).redirectErrorStream(true).start();
            String output = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!build.waitFor(10, TimeUnit.MINUTES) || build.exitValue() != 0) {
                throw new AssertionError("cartridges/ws-echo/build.sh failed: " + output);
            }
        }
        return image;
    }

    /** Uploads the image into the controller's store. */
    public static void upload(ControllerProcess controller) throws Exception {
        HttpResponse<String> uploaded = Http.send(Http.asAdmin(Http.request(controller.api("/cartridges/" + NAME + "/versions/" + VERSION)))
                .header("Content-Type", "application/gzip").timeout(Duration.ofMinutes(2))
                .PUT(HttpRequest.BodyPublishers.ofFile(image())));
        assertEquals(uploaded.body(), 201, uploaded.statusCode());
    }
}
