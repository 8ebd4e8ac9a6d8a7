package io.stratos.lxc.itests;

import io.stratos.lxc.itests.support.ChaosScript;
import io.stratos.lxc.itests.support.ControllerProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Crash safety: a scripted run of subscribe / scale / unsubscribe operations during which the controller is
 * killed with SIGKILL at random points, some in the middle of an operation. After every restart, and at the
 * end, the controller holds exactly the subscriptions and scales it acknowledged (an operation in flight at
 * the kill is either wholly there or wholly absent), and the VMs run exactly one container per process:
 * nothing lost, nothing duplicated. The seed is printed; {@code -Dstratos.chaos.seed} replays a run and
 * {@code -Dstratos.chaos.operations} makes it longer.
 */
public class ChaosE2E {

    private ControllerProcess controller;

    @Before
    public void startController() throws Exception {
        controller = ControllerProcess.create("controller-chaos").start();
        controller.awaitCartridge("static-httpd");
    }

    @After
    public void stopController() throws Exception {
        controller.close();
    }

    @Test
    public void killedAtRandomPointsTheControllerLosesAndDuplicatesNothing() throws Exception {
        long seed = Long.getLong("stratos.chaos.seed", System.nanoTime());
        int operations = Integer.getInteger("stratos.chaos.operations", 100);
        int kills = Integer.getInteger("stratos.chaos.kills", 5);
        System.out.printf("[chaos] seed %d, %d operations, %d kills%n", seed, operations, kills);
        controller.expect(201, "POST", "/partitions", "{\"name\":\"web\",\"cartridge\":\"static-httpd\",\"minVms\":2,\"maxVms\":2,"
                + "\"vmCapacity\":{\"cpuMillis\":4000,\"memoryMiB\":2048}}");
        List<Long> restartMillis = new ArrayList<>();
        new ChaosScript(() -> controller, seed).run("chaos", operations, kills, inFlight -> {
            controller.distribution().kill();
            inFlight.handle((r, e) -> null).get(60, TimeUnit.SECONDS);
            long restarted = System.nanoTime();
            controller.start();
            restartMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted));
        });
        System.out.printf("[chaos] %d operations, %d kills, all consistent; restart to answering (ms): %s%n", operations, kills,
                restartMillis);
    }
}
