package io.stratos.lxc.console.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Which file of the bundle a console path names: the console's own files under {@code console/}, and the
 * embedded chart library under {@code vendor/uplot/}. Only known file types, and names that cannot climb
 * out of those folders.
 */
final class ConsoleResources {

    /** A file to send: where to read it and its media type. */
    record Resource(URL url, String contentType) {
    }

    private static final Pattern SAFE_PATH = Pattern.compile("(/[A-Za-z0-9_-][A-Za-z0-9._-]*)+");

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            // ES modules are only run when served with a JavaScript media type
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "json", "application/json");

    private static final String VENDOR_UPLOT = "/vendor/uplot/";

    private final Function<String, URL> classpath;
    private final String uplotFolder;

    ConsoleResources(Function<String, URL> classpath) {
        this.classpath = classpath;
        Properties webjars = new Properties();
        try (InputStream in = ConsoleResources.class.getResourceAsStream("webjars.properties")) {
            if (in != null) {
                webjars.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.uplotFolder = "META-INF/resources/webjars/uplot/" + webjars.getProperty("uplot", "unknown") + "/dist/";
    }

    /** The file for a path below the console's root ({@code /} is the page itself), if there is one. */
    Optional<Resource> resolve(String path) {
        if (path == null || path.isEmpty() || path.equals("/")) {
            path = "/index.html";
        }
        if (!SAFE_PATH.matcher(path).matches()) {
            return Optional.empty();
        }
        String type = TYPES.get(extension(path));
        if (type == null) {
            return Optional.empty();
        }
        String name = path.startsWith(VENDOR_UPLOT)
                ? uplotFolder + path.substring(VENDOR_UPLOT.length())
                : "console" + path;
        return Optional.ofNullable(classpath.apply(name)).map(url -> new Resource(url, type));
    }

    private static String extension(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 || dot < path.lastIndexOf('/') ? "" : path.substring(dot + 1);
    }
}
