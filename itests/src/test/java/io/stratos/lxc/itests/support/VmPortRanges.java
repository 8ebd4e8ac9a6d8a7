package io.stratos.lxc.itests.support;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The published-port ranges of the local VMs of the controllers under test, handed out from one place so that no two
 * controllers of a run share one: each gets {@value #SIZE} ports ({@value #VMS} VMs of 100), in turn from 20000 to
 * 31999, below {@link FreePorts}' range and the kernel's ephemeral ports. A controller that outlived its test (a
 * kill that failed) then still holds ports no later test is given, for {@value #COUNT} controllers.
 */
public final class VmPortRanges {

    static final int FIRST = 20000;
    static final int SIZE = 1000;
    static final int VMS = 10;
    static final int COUNT = 12;
    /** Where this JVM starts, at random, so that two test runs on one machine rarely start on the same range. */
    private static final AtomicInteger CURSOR = new AtomicInteger(ThreadLocalRandom.current().nextInt(COUNT));

    private VmPortRanges() {
    }

    /** The first port of the next range. */
    public static int next() {
        return FIRST + SIZE * Math.floorMod(CURSOR.getAndIncrement(), COUNT);
    }
}
