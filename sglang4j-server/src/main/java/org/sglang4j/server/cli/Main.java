package org.sglang4j.server.cli;

/** {@code bin/sglang4j} entry point. TODO(issue 6): picocli commands {@code serve}, … */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("usage: sglang4j serve [--model-path PATH] [--port 30000] ...");
    }
}
