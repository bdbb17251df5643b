package org.sglang4j.engine.scheduler;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.sglang4j.engine.req.Req;

/** Messages into the scheduler thread (SGLang's ZMQ inputs to {@code process_input_requests}). */
public sealed interface SchedulerInput {

    /**
     * New requests. With {@code prefillFirst} set (parallel sampling, {@code n > 1}), that prefill-only request
     * runs first so the prompt's KV is cached once, then {@code reqs} (the n samples) are queued and hit it.
     */
    record GenerateReqInput(List<Req> reqs, Req prefillFirst) implements SchedulerInput {}

    /** Aborts every queued or running request whose rid (or parent rid) is {@code rid}. */
    record AbortReq(String rid) implements SchedulerInput {}

    /** Empties the radix cache; completes false (refused) while requests are queued or running. */
    record FlushCache(CompletableFuture<Boolean> done) implements SchedulerInput {}

    record OpenSession(String sessionId, int capacityOfStrLen, Double timeoutSeconds,
                       CompletableFuture<String> done) implements SchedulerInput {}

    record CloseSession(String sessionId, CompletableFuture<Boolean> done) implements SchedulerInput {}

    /** Runs {@code check} on the scheduler thread (tests and idle checks: state is only readable there). */
    record Inspect(Runnable check, CompletableFuture<Void> done) implements SchedulerInput {}

    record Shutdown() implements SchedulerInput {}
}
