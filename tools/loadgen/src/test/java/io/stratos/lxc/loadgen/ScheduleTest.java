package io.stratos.lxc.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScheduleTest {

    @Test
    void parsesSteps() {
        Schedule s = Schedule.parse("10s:1, 500ms:8,1m:0");
        assertThat(s.total()).isEqualTo(Duration.ofMillis(70_500));
        assertThat(s.levelAt(0)).isEqualTo(1);
        assertThat(s.levelAt(9_999)).isEqualTo(1);
        assertThat(s.levelAt(10_000)).isEqualTo(8);
        assertThat(s.levelAt(10_500)).isEqualTo(0);
        assertThat(s.levelAt(1_000_000)).isEqualTo(0);
        assertThat(s.maxLevel()).isEqualTo(8);
    }

    @Test
    void squareWaveAlternatesHighAndLow() {
        Schedule s = Schedule.parse("square:8:1:10s:3");
        assertThat(s.phases()).hasSize(6);
        assertThat(s.total()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.levelAt(5_000)).isEqualTo(8);
        assertThat(s.levelAt(15_000)).isEqualTo(1);
        assertThat(s.levelAt(25_000)).isEqualTo(8);
    }

    @Test
    void badSchedulesSayWhatIsWrong() {
        assertThatThrownBy(() -> Schedule.parse("")).hasMessageContaining("empty schedule");
        assertThatThrownBy(() -> Schedule.parse("10s")).hasMessageContaining("not DURATION:LEVEL");
        assertThatThrownBy(() -> Schedule.parse("ten:1")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> Schedule.parse("10s:lots")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> Schedule.parse("0s:1")).hasMessageContaining("positive duration");
        assertThatThrownBy(() -> Schedule.parse("1s:-1")).hasMessageContaining("0 or more");
        assertThatThrownBy(() -> Schedule.parse("square:8:1:10s")).hasMessageContaining("square:HIGH:LOW");
        assertThatThrownBy(() -> Schedule.parse("square:8:1:10s:0")).hasMessageContaining("at least 1 cycle");
    }
}
