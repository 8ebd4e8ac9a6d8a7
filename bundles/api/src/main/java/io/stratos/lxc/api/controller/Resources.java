package io.stratos.lxc.api.controller;

/** An amount of CPU (millicores) and memory (MiB): a VM's capacity, a process's request. */
public record Resources(int cpuMillis, int memoryMiB) {

    public static final Resources ZERO = new Resources(0, 0);

    public Resources plus(Resources other) {
        return new Resources(cpuMillis + other.cpuMillis, memoryMiB + other.memoryMiB);
    }

    public Resources minus(Resources other) {
        return new Resources(cpuMillis - other.cpuMillis, memoryMiB - other.memoryMiB);
    }

    public boolean fits(Resources request) {
        return request.cpuMillis <= cpuMillis && request.memoryMiB <= memoryMiB;
    }
}
