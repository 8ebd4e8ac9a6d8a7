package io.stratos.lxc.autoscaler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SeriesTest {

    @Test
    void averageOverTheWindowOnly() {
        Series series = new Series();
        for (int second = 0; second < 20; second++) {
            series.add(second * 1000L, second, 10_000);
        }
        // samples 10..19 remain (older than 10 s dropped)
        assertThat(series.size()).isEqualTo(10);
        assertThat(series.average()).isCloseTo(14.5, within(1e-9));
    }

    @Test
    void quadraticTrendIsExactOnAQuadratic() {
        Series series = new Series();
        // y = 3 + 2t + 0.5 t^2 (t in seconds): v = 2 + t, a = 1
        for (int t = 0; t <= 8; t++) {
            series.add(t * 1000L, 3 + 2 * t + 0.5 * t * t, 60_000);
        }
        Series.Trend trend = series.trend(8000);
        assertThat(trend.value()).isCloseTo(3 + 16 + 32, within(1e-6));
        assertThat(trend.slope()).isCloseTo(10, within(1e-6));
        assertThat(trend.acceleration()).isCloseTo(1, within(1e-6));
        // one second ahead: y(9) = 3 + 18 + 40.5
        assertThat(trend.predict(1)).isCloseTo(61.5, within(1e-6));
    }

    @Test
    void linearWithTwoSamplesFlatWithOne() {
        Series series = new Series();
        series.add(0, 10, 60_000);
        assertThat(series.trend(0).predict(1)).isEqualTo(10);
        series.add(1000, 14, 60_000);
        assertThat(series.trend(1000).predict(1)).isCloseTo(18, within(1e-9));
    }

    @Test
    void flatSignalPredictsItself() {
        Series series = new Series();
        for (int t = 0; t < 10; t++) {
            series.add(t * 1000L, 42, 60_000);
        }
        assertThat(series.trend(9000).predict(1)).isCloseTo(42, within(1e-6));
    }
}
