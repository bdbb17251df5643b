package org.sglang4j.bench.peer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs {@code llama-bench -m M -t T -p P1,P2 -n N -r R -ctk K -ctv K -o json} and parses its JSON. llama-bench runs
 * each prompt size as one forward of P tokens from an empty context ("ppP": prefill throughput, and for small P the
 * "P tokens per forward" figure that batched decode is compared with) and each generation size as N single-token
 * forwards from an empty context ("tgN": single-stream decode), repeating every test R times after a warm-up.
 */
public final class LlamaBench {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One llama-bench test: {@code nPrompt} > 0 for ppP, {@code nGen} > 0 for tgN; tokens/s per repetition. */
    public record Test(int nPrompt, int nGen, int threads, String typeK, double avgTokPerS, double stddevTokPerS,
                       double[] samplesTokPerS, String cpuInfo, String modelType) {

        public String label() {
            return nGen == 0 ? "pp" + nPrompt : nPrompt == 0 ? "tg" + nGen : "pp" + nPrompt + "+tg" + nGen;
        }

        /** Median over the repetitions: steadier than the mean on a shared machine. */
        public double medianTokPerS() {
            double[] s = samplesTokPerS.clone();
            if (s.length == 0) return avgTokPerS;
            Arrays.sort(s);
            return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        }
    }

    /** The results and the exact command line that produced them. */
    public record Run(String command, List<Test> tests) {

        public Test find(int nPrompt, int nGen) {
            return tests.stream().filter(t -> t.nPrompt() == nPrompt && t.nGen() == nGen).findFirst()
                    .orElseThrow(() -> new IllegalStateException("llama-bench produced no test with n_prompt="
                            + nPrompt + " n_gen=" + nGen + " (" + command + ")"));
        }
    }

    private LlamaBench() {}

    /**
     * Several runs of the same tests as one: each test's samples concatenated (mean and standard deviation over
     * all of them), the command prefixed with the number of rounds.
     */
    public static Run merge(List<Run> rounds) {
        if (rounds.size() == 1) return rounds.getFirst();
        List<Test> tests = new ArrayList<>();
        for (Test first : rounds.getFirst().tests()) {
            double[] all = rounds.stream().flatMapToDouble(r -> Arrays.stream(
                    r.find(first.nPrompt(), first.nGen()).samplesTokPerS())).toArray();
            double mean = Arrays.stream(all).average().orElse(first.avgTokPerS());
            double var = all.length < 2 ? 0 : Arrays.stream(all).map(x -> (x - mean) * (x - mean)).sum() / (all.length - 1);
            tests.add(new Test(first.nPrompt(), first.nGen(), first.threads(), first.typeK(), mean, Math.sqrt(var), all,
                    first.cpuInfo(), first.modelType()));
        }
        return new Run(rounds.size() + " rounds of " + rounds.getFirst().command(), tests);
    }

    /** The command line; {@code prompts} or {@code gens} may be empty (then {@code 0} is passed, meaning none). */
    public static List<String> command(LlamaCpp llama, Path model, int threads, List<Integer> prompts,
                                       List<Integer> gens, int repetitions, String kvType) {
        if (repetitions < 1) throw new IllegalArgumentException("repetitions must be >= 1, got " + repetitions);
        kvType = benchKvType(kvType);
        return List.of(llama.tool("llama-bench").toString(), "-m", model.toString(), "-t", Integer.toString(threads),
                "-p", join(prompts), "-n", join(gens), "-r", Integer.toString(repetitions), "-ctk", kvType, "-ctv",
                kvType, "-o", "json");
    }

    public static Run run(LlamaCpp llama, Path model, int threads, List<Integer> prompts, List<Integer> gens,
                          int repetitions, String kvType) throws IOException, InterruptedException {
        List<String> cmd = command(llama, model, threads, prompts, gens, repetitions, kvType);
        ProcessOutput out = ProcessOutput.run(cmd, 7200);
        return new Run(String.join(" ", cmd.subList(1, cmd.size())).transform(args -> "llama-bench " + args),
                parse(out.stdout()));
    }

    /**
     * The KV type llama-bench is given for ours: llama-bench (unlike llama-server) rejects {@code -ctk f32}, so an
     * f32 comparison runs the peer with f16, which is what it would pick by default, and says so.
     */
    static String benchKvType(String ours) {
        if (!ours.equalsIgnoreCase("f32")) return ours;
        System.out.println("note: llama-bench does not accept an f32 KV cache (-ctk f32); the peer runs with f16");
        return "f16";
    }

    /** Parses llama-bench's {@code -o json} output (an array of test objects). */
    public static List<Test> parse(String json) {
        JsonNode root = JSON.readTree(json);
        if (!root.isArray()) throw new IllegalArgumentException("llama-bench JSON is not an array: " + abbreviate(json));
        List<Test> tests = new ArrayList<>();
        for (JsonNode t : root) {
            JsonNode samples = t.path("samples_ts");
            double[] s = new double[samples.size()];
            for (int i = 0; i < s.length; i++) s[i] = samples.get(i).asDouble();
            tests.add(new Test(t.path("n_prompt").asInt(), t.path("n_gen").asInt(), t.path("n_threads").asInt(),
                    t.path("type_k").asString(""), t.path("avg_ts").asDouble(), t.path("stddev_ts").asDouble(), s,
                    t.path("cpu_info").asString(""), t.path("model_type").asString("")));
        }
        return tests;
    }

    private static String join(List<Integer> values) {
        return values.isEmpty() ? "0" : values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
