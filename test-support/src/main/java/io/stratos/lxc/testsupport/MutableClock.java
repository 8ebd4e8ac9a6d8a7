package io.stratos.lxc.testsupport;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test moves by hand ({@code clock.millis += 31_000}), for code that takes a {@link Clock}. */
public final class MutableClock extends Clock {

    /** Now, in epoch milliseconds; a fixed start so that tests repeat exactly. */
    public long millis = 1_700_000_000_000L;

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }

    @Override
    public long millis() {
        return millis;
    }
}
