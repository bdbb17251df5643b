package org.sglang4j.server;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.sglang4j.core.sampling.SamplingParams;
import org.sglang4j.engine.InvalidRequestException;
import org.sglang4j.engine.req.GenerateOutput;
import org.sglang4j.engine.req.GenerateRequest;
import org.sglang4j.server.http.ApiException;

/**
 * The engine requests of one HTTP request. Engine output threads only append to a queue (listeners must not
 * block); the handler's virtual thread takes events in order. {@link #close()} aborts whatever has not finished,
 * which is how a client that disconnects mid-stream frees its KV at once.
 */
public final class Submission implements AutoCloseable {

    /** One output of the request submitted {@code index}-th. */
    public record Event(int index, GenerateOutput output) {}

    private final EngineClient engine;
    private final RequestRegistry registry;
    private final BlockingQueue<GenerateOutput> queue = new LinkedBlockingQueue<>();
    private final Map<String, Integer> indexOf = new HashMap<>();
    private final Set<String> unfinished = new LinkedHashSet<>();

    public Submission(EngineClient engine, RequestRegistry registry) {
        this.engine = engine;
        this.registry = registry;
    }

    /** Submits the next request (its index is the number submitted before it). */
    public void submit(GenerateRequest request) {
        String rid = request.rid();
        if (!registry.register(rid)) {
            throw ApiException.badRequest("rid", "rid '" + rid + "' is already in use by a running request");
        }
        try {
            engine.submit(request, queue::add);
        } catch (InvalidRequestException e) {
            registry.unregister(rid);
            throw new ApiException(e.status(), e.status() == 400 ? "invalid_request_error" : "server_error",
                    e.param(), e.getMessage(), e.status() == 503 ? 1 : 0);
        } catch (IllegalArgumentException e) {
            registry.unregister(rid);
            throw ApiException.badRequest(null, e.getMessage());
        }
        indexOf.put(rid, indexOf.size());
        unfinished.add(rid);
    }

    public int submitted() {
        return indexOf.size();
    }

    /** True once every submitted request has delivered its last output. */
    public boolean done() {
        return unfinished.isEmpty();
    }

    /** The next output of any of the requests; blocks until one arrives. */
    public Event next() throws InterruptedException {
        return accept(queue.take());
    }

    /** Like {@link #next()} but gives up after {@code millis}; null on timeout. */
    public Event poll(long millis) throws InterruptedException {
        GenerateOutput o = queue.poll(millis, TimeUnit.MILLISECONDS);
        return o == null ? null : accept(o);
    }

    private Event accept(GenerateOutput o) {
        Integer index = indexOf.get(o.rid());
        if (index == null) throw new IllegalStateException("engine output for unknown rid " + o.rid());
        if (o.finished()) {
            unfinished.remove(o.rid());
            registry.unregister(o.rid());
        }
        return new Event(index, o);
    }

    /**
     * Sends each prompt once with {@code max_new_tokens = 0} and waits, so it is in the radix cache before n > 1
     * samples fan out and all hit it (SGLang's "cache the common prefix for parallel sampling").
     */
    public static void cachePrompts(EngineClient engine, RequestRegistry registry, List<int[]> prompts)
            throws InterruptedException {
        SamplingParams prefillOnly = SamplingParams.builder().maxNewTokens(0).build();
        try (Submission warm = new Submission(engine, registry)) {
            for (int[] ids : prompts) {
                warm.submit(new GenerateRequest(UUID.randomUUID().toString().replace("-", ""), ids, prefillOnly,
                        false, -1, 0, null, false));
            }
            while (!warm.done()) warm.next();
        }
    }

    /** Aborts the requests still running (client gone, error, or timeout); a no-op once all finished. */
    @Override
    public void close() {
        for (String rid : unfinished) {
            engine.abort(rid);
            registry.unregister(rid);
        }
        unfinished.clear();
    }
}
