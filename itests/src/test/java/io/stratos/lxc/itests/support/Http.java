package io.stratos.lxc.itests.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Small HTTP client for tests; every address it is given is on 127.0.0.1. */
public final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Http() {
    }

    public static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET());
    }

    /** Sends it, as the test admin ({@link TestUsers}) when it goes to the controller's user API and has no credentials. */
    public static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return CLIENT.send(asAdmin(request).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request builder, with the test admin's credentials when it goes to the controller's user API. */
    public static HttpRequest.Builder request(String url) {
        return asAdmin(HttpRequest.newBuilder(URI.create(url)));
    }

    /** Adds the test admin's credentials to a request for the controller's user API that has none. */
    public static HttpRequest.Builder asAdmin(HttpRequest.Builder request) {
        HttpRequest probe = request.copy().build();
        if (probe.uri().getPath().startsWith("/stratos/api/") && probe.headers().firstValue("Authorization").isEmpty()) {
            request.header("Authorization", TestUsers.admin());
        }
        return request;
    }

    /** GET that answers -1 instead of throwing while the server is not listening yet. */
    public static int status(String url) {
        try {
            return get(url).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * Waits until the URL answers 200 and returns the body. A loop of its own: the Pax Exam ITs call it inside
     * Karaf, where Awaitility is not installed.
     */
    public static String awaitOk(String url, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = get(url);
                if (response.statusCode() == 200) {
                    return response.body();
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(100); // a poll interval: no Awaitility inside Karaf (see above)
        }
        throw new AssertionError("GET " + url + " did not answer 200 within " + timeout + ": " + last);
    }

    /**
     * GET with a Host header of our choosing (java.net.http refuses to set Host), over a plain socket:
     * the status line and body of a {@code Connection: close} HTTP/1.1 exchange.
     */
    public static String getWithHost(int port, String path, String host) throws IOException {
        try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
