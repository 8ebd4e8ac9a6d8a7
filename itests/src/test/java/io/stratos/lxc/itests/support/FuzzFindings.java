package io.stratos.lxc.itests.support;

import io.stratos.lxc.itests.support.OpenApiFuzzer.Failure;
import io.stratos.lxc.itests.support.OpenApiFuzzer.Request;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/** What a fuzz run found: distinct failures with their first request, known issues seen, parser refusals. */
final class FuzzFindings {

    private final Map<String, Failure> failures = new LinkedHashMap<>();
    private final Map<String, Predicate<Request>> knownIssues = new LinkedHashMap<>();
    private final Map<String, Integer> knownSeen = new TreeMap<>();
    private final Map<Integer, Integer> httpLayerRejections = new TreeMap<>();

    void known(Predicate<Request> matches, String why) {
        knownIssues.put(why, matches);
    }

    /** Counts a failure under its kind and signature, or under the known issue that matches the request. */
    void fail(String kind, String signature, int status, String answer, Request request) {
        for (Map.Entry<String, Predicate<Request>> issue : knownIssues.entrySet()) {
            if (issue.getValue().test(request)) {
                knownSeen.merge(issue.getKey() + " (" + kind + " " + status + ")", 1, Integer::sum);
                return;
            }
        }
        Failure failure = failures.computeIfAbsent(kind + ": " + signature,
                k -> new Failure(kind, signature, status, answer.length() > 600 ? answer.substring(0, 600) + "..." : answer, request, new int[1]));
        failure.count()[0]++;
    }

    void refusedByHttpParser(int status) {
        httpLayerRejections.merge(status, 1, Integer::sum);
    }

    List<Failure> failures() {
        return new ArrayList<>(failures.values());
    }

    Map<String, Integer> knownSeen() {
        return knownSeen;
    }

    Map<Integer, Integer> httpLayerRejections() {
        return httpLayerRejections;
    }
}
