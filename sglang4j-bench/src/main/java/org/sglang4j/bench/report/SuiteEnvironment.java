package org.sglang4j.bench.report;

/**
 * Where and how a suite ran (saved as {@code environment.json}).
 *
 * @param bandwidthBytesPerS memory read bandwidth measured just before the suite (see {@link MemoryBandwidth})
 * @param llamaCpp           the peer build: its directory and the build line of its README
 * @param model              the generated model's shape, as a sentence
 */
public record SuiteEnvironment(String date, String command, String size, int threads, MachineInfo machine,
                               double bandwidthBytesPerS, String bandwidthMethod, String llamaCpp, String model) {}
