package org.sglang4j.grammar.mask;

import java.util.Arrays;
import org.sglang4j.grammar.fsm.ByteDfa;

/**
 * The vocabulary's token bytes as a trie laid out in depth-first order, so that walking it against a DFA is one
 * linear pass that skips a whole subtree (every token sharing a dead prefix) with one jump. For Qwen2's 151,646
 * text tokens the trie has a few hundred thousand nodes; a walk from a state that allows almost everything (inside
 * a JSON string) visits them all in about a millisecond, and states that allow one byte visit a handful.
 */
final class VocabTrie {
    private final byte[] nodeByte; // [node] byte on the edge into the node
    private final int[] depth; // [node] 1 for children of the (implicit) root
    private final int[] subtreeEnd; // [node] first node after its subtree
    private final int[] firstToken; // [node] a token whose bytes end here, or -1
    private final int[] nextSameBytes; // [token] another token with identical bytes, or -1
    private final int maxDepth;

    private VocabTrie(byte[] nodeByte, int[] depth, int[] subtreeEnd, int[] firstToken, int[] nextSameBytes, int maxDepth) {
        this.nodeByte = nodeByte;
        this.depth = depth;
        this.subtreeEnd = subtreeEnd;
        this.firstToken = firstToken;
        this.nextSameBytes = nextSameBytes;
        this.maxDepth = maxDepth;
    }

    /** Trie of the tokens t with {@code include[t]}; token t's bytes are {@code bytes[offset[t], offset[t+1])}. */
    static VocabTrie build(byte[] bytes, int[] offset, boolean[] include) {
        int vocab = include.length;
        Integer[] order = new Integer[vocab];
        int n = 0;
        for (int t = 0; t < vocab; t++) if (include[t]) order[n++] = t;
        order = Arrays.copyOf(order, n);
        Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(bytes, offset[a], offset[a + 1], bytes, offset[b], offset[b + 1]));

        int cap = 1024;
        byte[] nodeByte = new byte[cap];
        int[] depth = new int[cap], subtreeEnd = new int[cap], firstToken = new int[cap];
        int[] nextSame = new int[vocab];
        Arrays.fill(nextSame, -1);
        int[] path = new int[16]; // path[d] = node at depth d on the current branch
        int nodes = 0, prevLen = 0, prevToken = -1, maxDepth = 0;
        for (int t : order) {
            int start = offset[t], len = offset[t + 1] - start;
            int lcp = 0;
            if (prevToken >= 0) {
                int ps = offset[prevToken];
                while (lcp < len && lcp < prevLen && bytes[ps + lcp] == bytes[start + lcp]) lcp++;
            }
            if (lcp == len && len == prevLen) { // same bytes as the previous token
                int node = path[len];
                nextSame[t] = firstToken[node];
                firstToken[node] = t;
                continue;
            }
            for (int d = prevLen; d > lcp; d--) subtreeEnd[path[d]] = nodes;
            if (len + 1 > path.length) path = Arrays.copyOf(path, Math.max(len + 1, path.length * 2));
            for (int d = lcp + 1; d <= len; d++) {
                if (nodes == cap) {
                    cap *= 2;
                    nodeByte = Arrays.copyOf(nodeByte, cap);
                    depth = Arrays.copyOf(depth, cap);
                    subtreeEnd = Arrays.copyOf(subtreeEnd, cap);
                    firstToken = Arrays.copyOf(firstToken, cap);
                }
                nodeByte[nodes] = bytes[start + d - 1];
                depth[nodes] = d;
                firstToken[nodes] = -1;
                path[d] = nodes++;
            }
            firstToken[path[len]] = t;
            prevLen = len;
            prevToken = t;
            maxDepth = Math.max(maxDepth, len);
        }
        for (int d = prevLen; d > 0; d--) subtreeEnd[path[d]] = nodes;
        return new VocabTrie(Arrays.copyOf(nodeByte, nodes), Arrays.copyOf(depth, nodes), Arrays.copyOf(subtreeEnd, nodes),
                Arrays.copyOf(firstToken, nodes), nextSame, maxDepth);
    }

    int nodeCount() { return nodeByte.length; }

    /**
     * Sets bit t of {@code out} for every token t whose bytes, read from {@code state}, stay on live transitions of
     * {@code dfa}. Returns how many bits it set.
     */
    int allowedTokens(ByteDfa dfa, int state, long[] out) {
        int[] classOf = dfa.classTable(), next = dfa.transitionTable();
        int k = dfa.numClasses();
        int[] stateAt = new int[maxDepth + 1];
        stateAt[0] = state;
        int count = 0;
        int n = nodeByte.length;
        for (int i = 0; i < n; ) {
            int d = depth[i];
            int s = next[stateAt[d - 1] * k + classOf[nodeByte[i] & 0xFF]];
            if (s < 0) {
                i = subtreeEnd[i];
                continue;
            }
            stateAt[d] = s;
            for (int t = firstToken[i]; t >= 0; t = nextSameBytes[t]) {
                out[t >>> 6] |= 1L << t;
                count++;
            }
            i++;
        }
        return count;
    }
}
