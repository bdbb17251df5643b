package org.sglang4j.engine.cache;

import java.util.HashMap;
import java.util.Map;

/**
 * A node of the {@link RadixCache}: the edge into it carries a run of token ids ({@code key}) and the KV slots
 * holding those tokens ({@code value}, same length). Children are keyed by the first token of their edge.
 * Only the scheduler thread touches nodes; a request keeps a reference to its deepest matched node
 * ({@code lastNode}) while it holds a lock on it.
 */
public final class TreeNode {
    final Map<Integer, TreeNode> children = new HashMap<>();
    /** Creation order; breaks ties between leaves accessed at the same logical time, so eviction is deterministic. */
    final long id;
    TreeNode parent;
    int[] key;   // token ids on the edge from parent
    int[] value; // KV slots of those tokens
    /** Number of holders (requests, sessions) that protect this node and its ancestors from eviction. */
    int lockRef;
    /** Logical clock of the last match or insert through this node: eviction takes the least recent leaf. */
    long lastAccessTime;

    TreeNode(long id, TreeNode parent, int[] key, int[] value, long time) {
        this.id = id;
        this.parent = parent;
        this.key = key;
        this.value = value;
        this.lastAccessTime = time;
    }

    boolean isLeaf() {
        return children.isEmpty();
    }

    /** Number of tokens on the edge into this node. */
    public int length() {
        return key.length;
    }

    public int lockRef() {
        return lockRef;
    }

    /** Tokens from the root to the end of this node. */
    public int depth() {
        int d = 0;
        for (TreeNode n = this; n != null; n = n.parent) d += n.key.length;
        return d;
    }

    @Override
    public String toString() {
        return "TreeNode[len=" + key.length + ", lockRef=" + lockRef + ", children=" + children.size() + "]";
    }
}
