package io.stratos.lxc.loadgen;

import java.util.Map;

/**
 * What happened in one record interval. Requests are counted as {@code sent} in the interval they were
 * sent in, and as {@code ok} or {@code failed} (with their latency) in the interval they completed in,
 * so an interval is final once it has passed, without waiting for slow requests.
 *
 * @param index       0 for the first interval
 * @param startMillis its start, milliseconds after the run's start
 * @param epochMillis its start, wall-clock milliseconds since the epoch (to line up with other records)
 * @param level       the scheduled level at its start (requests/s or clients)
 * @param sent        requests sent
 * @param ok          requests answered with 1xx-3xx
 * @param failed      requests that failed (sum of {@code failures})
 * @param failures    failures by kind: {@code http_<status>} (4xx, 5xx), {@code connect}, {@code timeout},
 *                    {@code io} (the connection broke), {@code overload} (open loop: too many outstanding, not sent)
 * @param p50Millis   median latency of the requests completed in it (ok or failed), or -1 when none
 * @param p99Millis   99th percentile latency, or -1
 */
public record Interval(int index, long startMillis, long epochMillis, double level, long sent, long ok, long failed,
                       Map<String, Long> failures, double p50Millis, double p99Millis) {
}
