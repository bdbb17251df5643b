package org.sglang4j.engine.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.sglang4j.engine.cache.TreeNode;
import org.sglang4j.engine.req.Req;
import org.sglang4j.engine.req.SessionParams;

/**
 * Open sessions and their request trees (SGLang {@code SessionController}, PR #2073), plus the KV pins that make
 * turn n+1 prefill only its new message.
 *
 * <p>Continuation (SGLang semantics): a request with {@code session_params{id, rid}} continues request {@code rid}
 * of the session (the latest one when rid is null), which must have finished; its input becomes the parent's
 * {@code origin_input_ids + output_ids} (only the inputs with {@code drop_previous_output}; cut at {@code offset}
 * when given) followed by the new ids, minus a leading BOS. {@code replace} drops the parent's earlier branches
 * (all nodes when rid is null) before continuing.
 *
 * <p>Pinning (beyond classic SGLang, like its 2026 streaming sessions): when a session request finishes, its whole
 * sequence stays locked in the radix cache until the session's next request, its close, its TTL, or until the cap
 * on pinned tokens (or memory pressure) releases the least recently used session's pin. A released pin leaves the
 * KV cached but evictable, so it is still reused when nothing needed the space.
 *
 * <p>The controller decides; the scheduler does the locking, since it owns the cache. Scheduler thread only.
 */
public final class SessionController {
    /** The request built for a continuation, or why it cannot run. */
    public record Continuation(Session session, Req req, String error) {}

    private final Map<String, Session> sessions = new HashMap<>();
    private final double defaultTtlSeconds;
    private final int pinCapTokens;

    public SessionController(double defaultTtlSeconds, int pinCapTokens) {
        this.defaultTtlSeconds = defaultTtlSeconds;
        this.pinCapTokens = pinCapTokens;
    }

    /** Opens a session; throws {@link IllegalArgumentException} if {@code requestedId} is already open. */
    public String open(String requestedId, int capacityOfStrLen, Double timeoutSeconds, long now) {
        String id = requestedId != null ? requestedId : UUID.randomUUID().toString().replace("-", "");
        if (sessions.containsKey(id)) throw new IllegalArgumentException("session " + id + " is already open");
        if (timeoutSeconds != null && !(timeoutSeconds > 0)) {
            throw new IllegalArgumentException("session timeout must be > 0 seconds, got " + timeoutSeconds);
        }
        sessions.put(id, new Session(id, capacityOfStrLen, timeoutSeconds, now));
        return id;
    }

    /** Removes the session; returns it (so the caller releases its pin) or null if it was not open. */
    public Session close(String id) {
        return sessions.remove(id);
    }

    public boolean isOpen(String id) {
        return sessions.containsKey(id);
    }

    public int size() {
        return sessions.size();
    }

    /**
     * Builds the input of a session request from its parent, creates the request with {@code newReq} and
     * registers it as the session's latest.
     */
    public Continuation resolve(SessionParams params, int[] newIds, int bosId, Function<int[], Req> newReq) {
        Session s = sessions.get(params.id());
        if (s == null) return new Continuation(null, null, "session " + params.id() + " is not open");
        Session.ReqNode parent = params.rid() != null ? s.reqNodes.get(params.rid()) : s.latest;
        if (params.rid() != null && parent == null) {
            return new Continuation(s, null, "request " + params.rid() + " is not part of session " + s.id);
        }
        if (params.replace() && params.rid() == null) parent = null;
        if (parent != null && !parent.req.finished()) {
            return new Continuation(s, null, "Invalid request session id: request " + parent.req.rid()
                    + " of session " + s.id + " has not finished");
        }
        int[] context = new int[0];
        if (parent != null) {
            Req p = parent.req;
            context = params.dropPreviousOutput() ? p.originInputIds() : Arrays.copyOf(p.tokens(), p.seqLen());
            if (params.offset() != null) {
                int off = params.offset();
                if (off < 0 || off > context.length) {
                    return new Continuation(s, null, "session offset " + off + " outside the context of "
                            + context.length + " tokens");
                }
                context = Arrays.copyOf(context, off);
            }
        }
        if (params.replace()) {
            if (parent == null) {
                s.reqNodes.clear();
                s.latest = null;
            } else {
                dropDescendants(s, parent);
            }
        }
        int skip = context.length > 0 && newIds.length > 0 && newIds[0] == bosId ? 1 : 0;
        int[] input = Arrays.copyOf(context, context.length + newIds.length - skip);
        System.arraycopy(newIds, skip, input, context.length, newIds.length - skip);
        Req req = newReq.apply(input);
        Session.ReqNode node = new Session.ReqNode(req, parent);
        if (parent != null) parent.children.add(node);
        s.reqNodes.put(req.rid(), node);
        s.latest = node;
        return new Continuation(s, req, null);
    }

    private static void dropDescendants(Session s, Session.ReqNode node) {
        ArrayDeque<Session.ReqNode> stack = new ArrayDeque<>(node.children);
        node.children.clear();
        while (!stack.isEmpty()) {
            Session.ReqNode n = stack.pop();
            s.reqNodes.remove(n.req.rid());
            stack.addAll(n.children);
        }
    }

    public Session get(String id) {
        return sessions.get(id);
    }

    /** Records a new pin (the caller locked {@code node}); returns the previous pinned node to unlock, or null. */
    public TreeNode pin(Session s, TreeNode node, int tokens, long now) {
        TreeNode old = s.pinnedNode;
        s.pinnedNode = node;
        s.pinnedTokens = tokens;
        s.lastUsedNanos = now;
        return old;
    }

    /** Clears the pin of {@code s}; returns the node to unlock, or null. */
    public TreeNode unpin(Session s) {
        TreeNode old = s.pinnedNode;
        s.pinnedNode = null;
        s.pinnedTokens = 0;
        return old;
    }

    /** Sessions whose pin outlived its TTL, then least recently used ones until the pins fit under the cap. */
    public List<Session> pinsToRelease(long now) {
        List<Session> pinned = pinnedByAge();
        List<Session> release = new ArrayList<>();
        long total = 0;
        for (Session s : pinned) total += s.pinnedTokens;
        for (Session s : pinned) {
            double ttl = s.timeoutSeconds != null ? s.timeoutSeconds : defaultTtlSeconds;
            boolean expired = now - s.lastUsedNanos > (long) (ttl * 1e9);
            if (expired || total > pinCapTokens) {
                release.add(s);
                total -= s.pinnedTokens;
            }
        }
        return release;
    }

    /** The least recently used session holding a pin (released first under memory pressure), or null. */
    public Session lruPinned() {
        List<Session> pinned = pinnedByAge();
        return pinned.isEmpty() ? null : pinned.getFirst();
    }

    public boolean hasPins() {
        for (Session s : sessions.values()) if (s.pinnedNode != null) return true;
        return false;
    }

    public List<Session> all() {
        return List.copyOf(sessions.values());
    }

    private List<Session> pinnedByAge() {
        List<Session> pinned = new ArrayList<>();
        for (Session s : sessions.values()) if (s.pinnedNode != null) pinned.add(s);
        pinned.sort(Comparator.comparingLong(s -> s.lastUsedNanos));
        return pinned;
    }
}
