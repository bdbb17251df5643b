package org.sglang4j.bench.multiturn;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.sglang4j.core.sampling.SamplingParams;
import org.sglang4j.engine.Engine;
import org.sglang4j.engine.EngineConfig;
import org.sglang4j.engine.req.GenerateOutput;
import org.sglang4j.engine.req.GenerateRequest;

/** Our engine, in process: TTFT is the time until the first output carrying a token reaches the listener. */
final class EngineTarget implements ChatTarget {
    private final String name;
    private final Engine engine;

    EngineTarget(String name, EngineConfig config) {
        this.name = name;
        this.engine = Engine.start(config);
    }

    Engine engine() {
        return engine;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public TurnResult send(String rid, int[] prompt, int maxNew) throws Exception {
        SamplingParams p = SamplingParams.builder().temperature(0).maxNewTokens(maxNew).ignoreEos(true).build();
        long start = System.nanoTime();
        long[] first = {0};
        int[] out = new int[maxNew];
        int[] n = {0};
        CompletableFuture<GenerateOutput> done = new CompletableFuture<>();
        engine.submit(GenerateRequest.of(rid, prompt, p), o -> {
            if (o.newTokenIds().length > 0 && first[0] == 0) first[0] = System.nanoTime();
            for (int t : o.newTokenIds()) if (n[0] < maxNew) out[n[0]++] = t;
            if (o.finished()) done.complete(o);
        });
        GenerateOutput last = done.get();
        long end = System.nanoTime();
        if (n[0] != maxNew) throw new IllegalStateException(rid + " produced " + n[0] + " tokens: " + last.finishReason());
        return new TurnResult((first[0] - start) / 1e9, (end - start) / 1e9, Arrays.copyOf(out, n[0]),
                last.promptTokens(), last.cachedTokens());
    }

    @Override
    public double reportedCacheHitRate() {
        return engine.stats().cacheHitRate();
    }

    @Override
    public void close() {
        engine.close();
    }
}
