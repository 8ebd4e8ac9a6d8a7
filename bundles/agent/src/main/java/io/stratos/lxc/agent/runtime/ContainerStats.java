package io.stratos.lxc.agent.runtime;

/**
 * Resource usage of one container, read from its cgroup.
 *
 * @param processId         the process
 * @param cpuNanos          CPU time used since start, in nanoseconds
 * @param memoryBytes       memory in use (without inactive page cache where the kernel tells it apart)
 * @param memoryLimitBytes  memory limit, -1 when none
 * @param pids              number of tasks
 * @param oomKills          OOM kills inside the cgroup so far
 * @param atNanos           {@link System#nanoTime()} when read, to turn two samples into a CPU rate
 */
public record ContainerStats(String processId, long cpuNanos, long memoryBytes, long memoryLimitBytes, long pids,
                             long oomKills, long atNanos) {

    /** CPU use between an earlier sample and this one, in thousandths of a core. */
    public long cpuMillisSince(ContainerStats earlier) {
        long wall = atNanos - earlier.atNanos;
        if (wall <= 0) {
            return 0;
        }
        return Math.max(0, (cpuNanos - earlier.cpuNanos) * 1000 / wall);
    }
}
