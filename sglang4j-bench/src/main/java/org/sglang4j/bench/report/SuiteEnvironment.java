package org.sglang4j.bench.report;

import org.sglang4j.bench.MachineLoad;

/**
 * Where and how a suite ran (saved as {@code environment.json}).
 *
 * @param bandwidthBytesPerS memory read bandwidth measured just before the suite (see {@link MemoryBandwidth})
 * @param llamaCpp           the peer build: its directory and the build line of its README
 * @param model              the generated model's shape, as a sentence
 * @param loadAverage        the 1-minute load average when the suite started: other work on the machine skews
 *                           the comparison (llama.cpp's spinning threads suffer more from it than ours)
 */
public record SuiteEnvironment(String date, String command, String size, int threads, MachineInfo machine,
                               double bandwidthBytesPerS, String bandwidthMethod, String llamaCpp, String model,
                               double loadAverage) {

    /** The machine was busy when the suite started: its figures are not trustworthy. */
    public boolean busy() {
        return MachineLoad.busy(loadAverage, machine.logicalCores());
    }
}
