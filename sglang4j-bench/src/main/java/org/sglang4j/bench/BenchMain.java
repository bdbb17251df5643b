package org.sglang4j.bench;

/** {@code bin/sglang4j bench} entry point. TODO(issue 8): serving, offline, one-batch, report. */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) {
        System.out.println("usage: sglang4j bench serving|offline|one-batch|report ...");
    }
}
