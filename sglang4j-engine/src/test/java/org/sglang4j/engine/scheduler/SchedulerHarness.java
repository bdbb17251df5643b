package org.sglang4j.engine.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.sglang4j.core.sampling.SamplingParams;
import org.sglang4j.engine.io.TokenIdOutput;
import org.sglang4j.engine.req.FinishReason;
import org.sglang4j.engine.req.GenerateRequest;
import org.sglang4j.engine.req.Req;
import org.sglang4j.engine.req.ReqState;
import org.sglang4j.engine.req.SessionParams;
import org.sglang4j.engine.runner.ModelRunner;
import org.sglang4j.engine.testing.CharTokenizer;
import org.sglang4j.engine.testing.TokenHashModel;

/** A scheduler on its own thread over a {@link TokenHashModel}, with outputs collected per rid. */
final class SchedulerHarness implements AutoCloseable {
    static final int VOCAB = 64;
    static final int EOS = 2;

    final TokenHashModel model;
    final Scheduler scheduler;
    final LinkedBlockingQueue<SchedulerInput> inbox = new LinkedBlockingQueue<>();
    final Map<String, Result> results = new ConcurrentHashMap<>();
    private final Thread thread;
    private final java.util.concurrent.atomic.AtomicLong finishCounter = new java.util.concurrent.atomic.AtomicLong();

    /** Everything one request produced. */
    static final class Result {
        final List<Integer> tokens = new ArrayList<>();
        final List<TokenIdOutput> outputs = new ArrayList<>();
        final CompletableFuture<TokenIdOutput> done = new CompletableFuture<>();
        volatile long finishSeq;

        int[] tokenArray() {
            return tokens.stream().mapToInt(Integer::intValue).toArray();
        }

        TokenIdOutput last() {
            return done.join();
        }
    }

    SchedulerHarness(SchedulerConfig config) {
        this.model = new TokenHashModel(VOCAB, config.maxTotalTokens());
        Consumer<List<TokenIdOutput>> outbox = batch -> {
            for (TokenIdOutput o : batch) {
                Result r = results.computeIfAbsent(o.rid(), k -> new Result());
                synchronized (r) {
                    if (r.done.isDone()) throw new IllegalStateException("output after finish for " + o.rid());
                    for (int t : o.newTokenIds()) r.tokens.add(t);
                    r.outputs.add(o);
                }
                if (o.finishReason() != null) {
                    r.finishSeq = finishCounter.incrementAndGet();
                    r.done.complete(o);
                }
            }
        };
        this.scheduler = new Scheduler(config, new ModelRunner(model, new int[] {EOS}), new CharTokenizer(VOCAB),
                inbox, outbox);
        scheduler.checkEveryStep = true;
        this.thread = Thread.ofPlatform().name("test-scheduler").start(scheduler);
    }

    static SchedulerConfig config(int poolTokens, int maxRunning) {
        return SchedulerConfig.of(poolTokens, maxRunning, 4096, new int[] {EOS}).withBosId(1);
    }

    static Req req(String rid, int[] prompt, SamplingParams sampling) {
        return req(new GenerateRequest(rid, prompt, sampling, false, -1, 0, null, true));
    }

    static Req req(GenerateRequest g) {
        return new Req(g.rid(), 0, g, g.sampling(), g.inputIds(), new ReqState(o -> {}, g.sampling(), System.nanoTime(), true),
                System.nanoTime());
    }

    static Req sessionReq(String rid, int[] ids, SamplingParams sampling, SessionParams session) {
        return req(new GenerateRequest(rid, ids, sampling, false, -1, 0, session, true));
    }

    static SamplingParams greedy(int maxNew) {
        return SamplingParams.builder().temperature(0).maxNewTokens(maxNew).build();
    }

    Result submit(Req... reqs) {
        for (Req r : reqs) results.putIfAbsent(r.rid(), new Result());
        inbox.add(new SchedulerInput.GenerateReqInput(List.of(reqs), null));
        return results.get(reqs[0].rid());
    }

    Result await(String rid) {
        Result r = results.computeIfAbsent(rid, k -> new Result());
        try {
            r.done.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("request " + rid + " did not finish", e);
        }
        return r;
    }

    /** Runs {@code check} on the scheduler thread and waits for it. */
    void inspect(Consumer<Scheduler> check) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        inbox.add(new SchedulerInput.Inspect(() -> check.accept(scheduler), done));
        done.join();
    }

    /** Waits until nothing is queued or running, then checks the idle invariant: free + evictable == capacity. */
    void awaitIdleAndCheck() {
        awaitIdleAndCheck(0);
    }

    /** As {@link #awaitIdleAndCheck()}, allowing {@code pinned} tokens to stay locked (session pins). */
    void awaitIdleAndCheck(int pinned) {
        for (int i = 0; i < 6000; i++) {
            boolean[] idle = new boolean[1];
            inspect(s -> idle[0] = s.queue.waiting.isEmpty() && s.queue.running.isEmpty() && s.queue.chunkedReq == null);
            if (idle[0]) break;
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        inspect(s -> {
            s.cache.checkIntegrity(List.of());
            if (s.cache.tree.protectedSize() != pinned) {
                throw new AssertionError("idle but " + s.cache.tree.protectedSize() + " tokens locked, expected " + pinned);
            }
        });
    }

    String openSession(String id, Double timeout) {
        CompletableFuture<String> done = new CompletableFuture<>();
        inbox.add(new SchedulerInput.OpenSession(id, 0, timeout, done));
        return done.join();
    }

    boolean closeSession(String id) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        inbox.add(new SchedulerInput.CloseSession(id, done));
        return done.join();
    }

    int protectedTokens() {
        int[] n = new int[1];
        inspect(s -> n[0] = s.cache.tree.protectedSize());
        return n[0];
    }

    boolean flush() {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        inbox.add(new SchedulerInput.FlushCache(done));
        return done.join();
    }

    static boolean isAbort(TokenIdOutput o) {
        return o.finishReason() instanceof FinishReason.Abort;
    }

    @Override
    public void close() {
        inbox.add(new SchedulerInput.Shutdown());
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
