package org.sglang4j.engine.cache;

/**
 * Result of {@link RadixCache#matchPrefix}: the KV slots of the longest cached prefix and the deepest node of the
 * match. The slots stay valid only while {@code lastNode} is locked (or until the next eviction).
 */
public record MatchResult(int[] deviceIndices, TreeNode lastNode) {
    public int length() {
        return deviceIndices.length;
    }
}
