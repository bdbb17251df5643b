package org.sglang4j.bench.serving;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.sglang4j.bench.ProgressBar;
import org.sglang4j.bench.workload.Conversation;
import org.sglang4j.bench.workload.Turn;
import org.sglang4j.core.tokenizer.Tokenizer;

/**
 * Drives a workload against one endpoint as SGLang's bench_serving does: conversations arrive as a Poisson process
 * of {@code requestRate} per second (all at once when infinite), at most {@code maxConcurrency} are served at a
 * time, and a conversation's turns go one after another, each carrying the answers received so far. Each
 * conversation runs on its own virtual thread (they only wait on sockets).
 *
 * @param ignoreEos   generate exactly the requested lengths
 * @param jsonSchema  constrain every output to this schema (null = free text)
 * @param cachePrompt false to ask llama.cpp not to reuse its prompt cache
 */
public record ServingRunner(ServingClient client, Tokenizer tokenizer, double requestRate, int maxConcurrency,
                            long seed, boolean ignoreEos, String jsonSchema, boolean cachePrompt) {

    public ServingRunner {
        if (!(requestRate > 0)) throw new IllegalArgumentException("--request-rate must be > 0 (or inf), got " + requestRate);
        if (maxConcurrency < 0) throw new IllegalArgumentException("--max-concurrency must be >= 1, got " + maxConcurrency);
    }

    /** The outcome of a run: every request sent (failed ones included) and the wall time. */
    public record Outcome(List<RequestResult> results, double durationS, int skipped) {}

    /** One untimed request that must succeed before the run (as bench_serving's initial test run). */
    public RequestResult warmup(int outputLen) {
        GenerationRequest r = GenerationRequest.ofPrompt("Warm-up request: say hello.", outputLen, true, null, true);
        RequestResult res = client.send(r, -1, 0, 8, System.nanoTime());
        if (!res.success()) {
            throw new IllegalStateException("warm-up request failed, is the server up and is --backend right? "
                    + res.error());
        }
        return res;
    }

    public Outcome run(List<Conversation> conversations, String label) throws InterruptedException {
        int total = conversations.stream().mapToInt(c -> c.turns().size()).sum();
        List<RequestResult> results = Collections.synchronizedList(new ArrayList<>(total));
        Semaphore slots = new Semaphore(maxConcurrency > 0 ? maxConcurrency : Integer.MAX_VALUE);
        double[] arrivals = arrivals(conversations.size());
        int[] skipped = new int[1];
        long origin = System.nanoTime();
        try (ProgressBar progress = new ProgressBar(label, total);
             ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < conversations.size(); i++) {
                Conversation c = conversations.get(i);
                long at = origin + (long) (arrivals[i] * 1e9);
                exec.submit(() -> {
                    sleepUntil(at);
                    slots.acquire();
                    try {
                        List<String> answers = new ArrayList<>();
                        for (int k = 0; k < c.turns().size(); k++) {
                            RequestResult r = sendTurn(c, k, answers, origin);
                            results.add(r);
                            progress.step(1);
                            if (!r.success()) {
                                int rest = c.turns().size() - k - 1;
                                synchronized (skipped) {
                                    skipped[0] += rest;
                                }
                                progress.step(rest);
                                break;
                            }
                            answers.add(r.text());
                        }
                    } finally {
                        slots.release();
                    }
                    return null;
                });
            }
            exec.shutdown();
            if (!exec.awaitTermination(7, TimeUnit.DAYS)) throw new IllegalStateException("serving run did not end");
        }
        double duration = results.stream().mapToDouble(r -> r.startS() + r.latencyS()).max().orElse(0)
                - results.stream().mapToDouble(RequestResult::startS).min().orElse(0);
        List<RequestResult> sorted = new ArrayList<>(results);
        sorted.sort((a, b) -> Double.compare(a.startS(), b.startS()));
        return new Outcome(List.copyOf(sorted), duration, skipped[0]);
    }

    private RequestResult sendTurn(Conversation c, int k, List<String> answers, long origin) {
        Turn t = c.turns().get(k);
        boolean eos = ignoreEos && jsonSchema == null;
        GenerationRequest r;
        int ourPrompt;
        if (c.chat()) {
            r = GenerationRequest.ofChat(c.messages(k, answers), t.outputLen(), eos, jsonSchema, cachePrompt);
            ourPrompt = tokenizer.encode(r.text(), false, true).length;
        } else {
            r = GenerationRequest.ofPrompt(t.text(), t.outputLen(), eos, jsonSchema, cachePrompt);
            ourPrompt = t.inputTokens();
        }
        return client.send(r, c.id(), k, ourPrompt, origin);
    }

    /** Start offsets in seconds: exponential gaps of mean 1 / rate (a Poisson process), all 0 for rate inf. */
    double[] arrivals(int n) {
        double[] at = new double[n];
        if (Double.isInfinite(requestRate)) return at;
        SplittableRandom rnd = new SplittableRandom(seed);
        double t = 0;
        for (int i = 0; i < n; i++) {
            at[i] = t;
            t += -Math.log(1 - rnd.nextDouble()) / requestRate;
        }
        return at;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
    }
}
