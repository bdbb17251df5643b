package org.sglang4j.engine.session;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sglang4j.engine.cache.TreeNode;
import org.sglang4j.engine.req.Req;

/**
 * One open session: the tree of its requests (SGLang {@code SessionReqNode}s keyed by rid) and the pin that keeps
 * its latest conversation's KV in the radix cache between turns. Owned by the scheduler thread.
 */
public final class Session {
    /** A request of the session and the requests that continued it. */
    static final class ReqNode {
        final Req req;
        final ReqNode parent;
        final List<ReqNode> children = new ArrayList<>();

        ReqNode(Req req, ReqNode parent) {
            this.req = req;
            this.parent = parent;
        }
    }

    final String id;
    final int capacityOfStrLen;
    /** Seconds the KV stays pinned after the last request, or null for the engine's default. */
    final Double timeoutSeconds;
    final Map<String, ReqNode> reqNodes = new LinkedHashMap<>();
    ReqNode latest;

    /** Deepest locked radix node of the pinned conversation, or null when nothing is pinned. */
    TreeNode pinnedNode;
    int pinnedTokens;
    long lastUsedNanos;

    Session(String id, int capacityOfStrLen, Double timeoutSeconds, long now) {
        this.id = id;
        this.capacityOfStrLen = capacityOfStrLen;
        this.timeoutSeconds = timeoutSeconds;
        this.lastUsedNanos = now;
    }

    public String id() {
        return id;
    }

    public TreeNode pinnedNode() {
        return pinnedNode;
    }

    public int pinnedTokens() {
        return pinnedTokens;
    }
}
