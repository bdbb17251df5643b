package org.sglang4j.server.cli;

import java.io.PrintWriter;
import org.sglang4j.server.SglangServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/sglang4j}: the command-line entry point. With no arguments it prints usage. */
@Command(name = "sglang4j", mixinStandardHelpOptions = true, version = "sglang4j " + SglangServer.VERSION,
        description = "A fast LLM serving engine for the JVM (SGLang-compatible APIs).",
        subcommands = {ServeCommand.class, AotTrainCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the CLI and returns its exit code (0 ok, 2 usage error) without exiting; tests call this. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return new CommandLine(new Main()).setOut(out).setErr(err).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
