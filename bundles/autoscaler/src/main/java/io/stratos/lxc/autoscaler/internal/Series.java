package io.stratos.lxc.autoscaler.internal;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The recent samples of one metric of one subscription (time in milliseconds, value), trimmed to a
 * window. Gives their average and their trend: a least-squares quadratic fit whose value, first and
 * second derivative at the newest sample predict the value a little ahead.
 */
final class Series {

    record Sample(long millis, double value) {
    }

    /**
     * The fitted trend at time {@code at}: value, first derivative (per second) and second derivative
     * (per second squared).
     */
    record Trend(double value, double slope, double acceleration) {

        /** value + v*dt + a*dt^2/2, dt in seconds. */
        double predict(double dtSeconds) {
            return value + slope * dtSeconds + acceleration * dtSeconds * dtSeconds / 2;
        }
    }

    private final Deque<Sample> samples = new ArrayDeque<>();

    void add(long millis, double value, long windowMillis) {
        samples.addLast(new Sample(millis, value));
        trim(millis, windowMillis);
    }

    void trim(long now, long windowMillis) {
        while (!samples.isEmpty() && samples.peekFirst().millis() <= now - windowMillis) {
            samples.removeFirst();
        }
    }

    void clear() {
        samples.clear();
    }

    int size() {
        return samples.size();
    }

    boolean isEmpty() {
        return samples.isEmpty();
    }

    double average() {
        double sum = 0;
        for (Sample sample : samples) {
            sum += sample.value();
        }
        return samples.isEmpty() ? Double.NaN : sum / samples.size();
    }

    /** The trend at {@code now}: quadratic with 3 or more distinct times, linear with 2, flat with 1. */
    Trend trend(long now) {
        return fit(samples.toArray(Sample[]::new), now);
    }

    static Trend fit(Sample[] points, long now) {
        int n = points.length;
        if (n == 0) {
            return new Trend(Double.NaN, 0, 0);
        }
        // Sums of t^k and t^k*y with t in seconds relative to now (t <= 0), for numerical stability.
        double s0 = n, s1 = 0, s2 = 0, s3 = 0, s4 = 0, y0 = 0, y1 = 0, y2 = 0;
        for (Sample point : points) {
            double t = (point.millis() - now) / 1000.0;
            double y = point.value();
            s1 += t;
            s2 += t * t;
            s3 += t * t * t;
            s4 += t * t * t * t;
            y0 += y;
            y1 += t * y;
            y2 += t * t * y;
        }
        if (n >= 3) {
            // Normal equations for y = c0 + c1 t + c2 t^2, solved by Cramer's rule.
            double det = det3(s0, s1, s2, s1, s2, s3, s2, s3, s4);
            if (Math.abs(det) > 1e-9) {
                double c0 = det3(y0, s1, s2, y1, s2, s3, y2, s3, s4) / det;
                double c1 = det3(s0, y0, s2, s1, y1, s3, s2, y2, s4) / det;
                double c2 = det3(s0, s1, y0, s1, s2, y1, s2, s3, y2) / det;
                return new Trend(c0, c1, 2 * c2);
            }
        }
        if (n >= 2) {
            double det = s0 * s2 - s1 * s1;
            if (Math.abs(det) > 1e-9) {
                double c0 = (y0 * s2 - s1 * y1) / det;
                double c1 = (s0 * y1 - s1 * y0) / det;
                return new Trend(c0, c1, 0);
            }
        }
        return new Trend(y0 / n, 0, 0);
    }

    private static double det3(double a, double b, double c, double d, double e, double f, double g, double h, double i) {
        return a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
    }
}
