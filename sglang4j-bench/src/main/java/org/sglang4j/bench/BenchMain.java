package org.sglang4j.bench;

import org.sglang4j.bench.grammar.GrammarCommand;
import org.sglang4j.bench.model.GenerateModelCommand;
import org.sglang4j.bench.multiturn.MultiTurnCommand;
import org.sglang4j.bench.offline.OfflineCommand;
import org.sglang4j.bench.onebatch.OneBatchCommand;
import org.sglang4j.bench.report.ReportCommand;
import org.sglang4j.bench.server.ServerOverheadCommand;
import org.sglang4j.bench.serving.ServingCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bin/sglang4j bench …}: the benchmark commands. Each benchmark is a picocli subcommand registered in the
 * list below (explicitly: no scanning); another module's benchmark plugs in by adding its command class here.
 */
@Command(name = "sglang4j bench", mixinStandardHelpOptions = true,
        description = "Benchmarks: one-batch forward latency, offline engine throughput, online serving, report; "
                + "each compared with llama.cpp on the same model file and thread count.",
        subcommands = {OneBatchCommand.class, OfflineCommand.class, ServingCommand.class, ReportCommand.class,
                GenerateModelCommand.class, ServerOverheadCommand.class, GrammarCommand.class, MultiTurnCommand.class})
public final class BenchMain implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code without exiting (tests call this). */
    public static int run(String... args) {
        return new CommandLine(new BenchMain()).execute(args);
    }

    /** As {@link #run(String...)}, with picocli's usage and error output going to {@code out} and {@code err}. */
    public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        return new CommandLine(new BenchMain()).setOut(out).setErr(err).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
