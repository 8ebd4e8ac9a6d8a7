package io.stratos.lxc.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HttpDateTest {

    @Test
    void formatsAnHttpDateWithATwoDigitDayInEnglish() {
        assertThat(HttpDate.at(0)).isEqualTo("Thu, 01 Jan 1970 00:00:00 GMT");
        assertThat(HttpDate.at(1_795_648_805L)).isEqualTo("Wed, 25 Nov 2026 23:20:05 GMT");
    }

    @Test
    void formatsOncePerSecond() {
        assertThat(HttpDate.at(1_795_648_805L)).isSameAs(HttpDate.at(1_795_648_805L));
        assertThat(HttpDate.at(1_795_648_806L)).isEqualTo("Wed, 25 Nov 2026 23:20:06 GMT");
    }
}
