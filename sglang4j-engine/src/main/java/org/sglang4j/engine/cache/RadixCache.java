package org.sglang4j.engine.cache;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * RadixAttention's prefix cache (SGLang {@code mem_cache/radix_cache.py}, page size 1): a radix tree over token
 * ids whose edges carry the KV slots of their tokens, so a prompt that shares a prefix with an earlier sequence
 * reuses that prefix's KV instead of recomputing it.
 *
 * <p>Accounting: every slot in the tree is either <em>evictable</em> (its node has {@code lockRef == 0}) or
 * <em>protected</em> ({@code lockRef > 0}). Locks cover a whole root path: {@link #incLockRef} walks from a node
 * to the root, so a request that locks its deepest matched node protects its entire prefix. Eviction frees least
 * recently used unlocked <em>leaves</em> only, so a protected path is never cut. Invariant (checked by
 * {@link #checkIntegrity}): {@code allocator.available + evictable + protected + slots held by requests == capacity}.
 *
 * <p>Owned by the scheduler thread; not thread-safe.
 */
public final class RadixCache {
    private static final Comparator<TreeNode> LRU =
            Comparator.<TreeNode>comparingLong(n -> n.lastAccessTime).thenComparingLong(n -> n.id);

    private final TokenToKvPoolAllocator allocator;
    private TreeNode root;
    private long clock;
    private long nextId;
    private int evictableSize;
    private int protectedSize;
    /** Unlocked leaves: the eviction candidates, maintained on every change instead of found by a full walk. */
    private final Set<TreeNode> evictableLeaves = new HashSet<>();

    public RadixCache(TokenToKvPoolAllocator allocator) {
        this.allocator = allocator;
        this.root = newRoot();
    }

    private TreeNode newRoot() {
        TreeNode r = new TreeNode(nextId++, null, new int[0], new int[0], 0);
        r.lockRef = 1; // the root is never evicted
        return r;
    }

    public TreeNode root() {
        return root;
    }

    /**
     * Longest cached prefix of {@code key[0 .. len)}. A match that ends inside an edge splits that node so the
     * returned {@code lastNode} ends exactly at the match; the tree changes shape but no memory is freed. Refreshes
     * the access time of the matched path.
     */
    public MatchResult matchPrefix(int[] key, int len) {
        long now = ++clock;
        TreeNode node = root;
        int[] out = new int[len];
        int pos = 0;
        while (pos < len) {
            TreeNode child = node.children.get(key[pos]);
            if (child == null) break;
            int m = matchLength(child.key, key, pos, len);
            if (m < child.key.length) child = splitNode(child, m); // the unmatched tail keeps its old time
            child.lastAccessTime = now;
            System.arraycopy(child.value, 0, out, pos, m);
            pos += m;
            node = child;
        }
        return new MatchResult(pos == len ? out : Arrays.copyOf(out, pos), node);
    }

    /**
     * Inserts {@code key[0 .. len)} with KV slots {@code value[0 .. len)}. Returns how many leading tokens were
     * already cached: the tree keeps its own slots for those, so the caller must free its duplicates in that range
     * (the ones it computed itself). Slots past that range now belong to the tree.
     */
    public int insert(int[] key, int len, int[] value) {
        long now = ++clock;
        TreeNode node = root;
        int pos = 0;
        while (pos < len) {
            TreeNode child = node.children.get(key[pos]);
            if (child == null) break;
            int m = matchLength(child.key, key, pos, len);
            if (m < child.key.length) child = splitNode(child, m); // the unmatched tail keeps its old time
            child.lastAccessTime = now;
            pos += m;
            node = child;
        }
        if (pos < len) {
            TreeNode leaf = new TreeNode(nextId++, node, Arrays.copyOfRange(key, pos, len),
                    Arrays.copyOfRange(value, pos, len), now);
            node.children.put(key[pos], leaf);
            evictableLeaves.remove(node); // no longer a leaf
            evictableSize += len - pos;
            evictableLeaves.add(leaf);
        }
        return pos;
    }

    /** Protects {@code node} and all its ancestors from eviction. Every call needs one {@link #decLockRef}. */
    public void incLockRef(TreeNode node) {
        for (TreeNode n = node; n != root; n = n.parent) {
            if (n.lockRef == 0) {
                evictableSize -= n.key.length;
                protectedSize += n.key.length;
                evictableLeaves.remove(n);
            }
            n.lockRef++;
        }
    }

    public void decLockRef(TreeNode node) {
        for (TreeNode n = node; n != root; n = n.parent) {
            if (n.lockRef <= 0) throw new IllegalStateException("unlocking a node that is not locked: " + n);
            if (n.lockRef == 1) {
                evictableSize += n.key.length;
                protectedSize -= n.key.length;
                if (n.isLeaf()) evictableLeaves.add(n);
            }
            n.lockRef--;
        }
    }

    /**
     * Frees at least {@code numTokens} slots (fewer if not enough is evictable) by deleting least recently used
     * unlocked leaves; a parent left childless and unlocked becomes a candidate in turn. Returns the slots freed.
     */
    public int evict(int numTokens) {
        if (numTokens <= 0 || evictableLeaves.isEmpty()) return 0;
        PriorityQueue<TreeNode> heap = new PriorityQueue<>(LRU);
        heap.addAll(evictableLeaves);
        int freed = 0;
        while (freed < numTokens && !heap.isEmpty()) {
            TreeNode leaf = heap.poll();
            allocator.free(leaf.value, 0, leaf.value.length);
            freed += leaf.value.length;
            TreeNode parent = leaf.parent;
            deleteLeaf(leaf);
            if (evictableLeaves.contains(parent)) heap.add(parent);
        }
        return freed;
    }

    private void deleteLeaf(TreeNode leaf) {
        TreeNode parent = leaf.parent;
        parent.children.remove(leaf.key[0]);
        evictableSize -= leaf.key.length;
        evictableLeaves.remove(leaf);
        leaf.parent = null;
        if (parent != root && parent.isLeaf() && parent.lockRef == 0) evictableLeaves.add(parent);
    }

    /**
     * Splits {@code child} after its first {@code m} tokens: a new node takes the matched head (and the child's
     * locks, which cover it too), the child keeps the tail. Sizes and leaf status do not change.
     */
    private TreeNode splitNode(TreeNode child, int m) {
        TreeNode head = new TreeNode(nextId++, child.parent, Arrays.copyOfRange(child.key, 0, m),
                Arrays.copyOfRange(child.value, 0, m), child.lastAccessTime);
        head.lockRef = child.lockRef;
        child.parent.children.put(head.key[0], head);
        child.key = Arrays.copyOfRange(child.key, m, child.key.length);
        child.value = Arrays.copyOfRange(child.value, m, child.value.length);
        child.parent = head;
        head.children.put(child.key[0], child);
        return head;
    }

    private static int matchLength(int[] edge, int[] key, int from, int to) {
        int n = Math.min(edge.length, to - from);
        int i = 0;
        while (i < n && edge[i] == key[from + i]) i++;
        return i;
    }

    /** Slots in unlocked nodes: reclaimable by {@link #evict}. */
    public int evictableSize() {
        return evictableSize;
    }

    /** Slots in locked nodes. */
    public int protectedSize() {
        return protectedSize;
    }

    public int totalSize() {
        return evictableSize + protectedSize;
    }

    /** Frees every slot in the tree and starts empty (flush). Refused while any node is locked. */
    public void reset() {
        if (protectedSize != 0) throw new IllegalStateException("cannot reset the radix cache while " + protectedSize + " tokens are locked");
        ArrayDeque<TreeNode> stack = new ArrayDeque<>(root.children.values());
        while (!stack.isEmpty()) {
            TreeNode n = stack.pop();
            allocator.free(n.value, 0, n.value.length);
            stack.addAll(n.children.values());
        }
        root = newRoot();
        evictableLeaves.clear();
        evictableSize = 0;
        protectedSize = 0;
    }

    /** {@link #checkIntegrity(int)} with no slots held outside the tree (the idle check). */
    public void checkIntegrity() {
        checkIntegrity(0);
    }

    /**
     * Walks the whole tree and throws {@link IllegalStateException} on any broken invariant: edge shapes, lock
     * counts, the evictable/protected counters, the evictable-leaf set, slots that are free or appear twice, and
     * {@code available + evictable + protected + slotsHeldOutside == capacity}.
     */
    public void checkIntegrity(int slotsHeldOutside) {
        BitSet seen = new BitSet(allocator.size());
        Set<TreeNode> leaves = new HashSet<>();
        int evictable = 0, locked = 0;
        ArrayDeque<TreeNode> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            TreeNode n = stack.pop();
            int childLocks = 0;
            for (var e : n.children.entrySet()) {
                TreeNode c = e.getValue();
                require(c.parent == n, "child's parent link is broken at " + c);
                require(c.key.length > 0 && c.key[0] == e.getKey(), "child keyed by the wrong token at " + c);
                childLocks += c.lockRef;
                stack.push(c);
            }
            if (n == root) continue;
            require(n.key.length == n.value.length, "key and value lengths differ at " + n);
            require(n.lockRef >= childLocks, "lockRef below the sum of the children's at " + n);
            for (int slot : n.value) {
                require(!allocator.isFree(slot), "slot " + slot + " is in the tree and in the free list");
                require(!seen.get(slot), "slot " + slot + " appears twice in the tree");
                seen.set(slot);
            }
            if (n.lockRef == 0) evictable += n.key.length;
            else locked += n.key.length;
            if (n.isLeaf() && n.lockRef == 0) leaves.add(n);
        }
        require(evictable == evictableSize, "evictable size " + evictableSize + " but the tree holds " + evictable);
        require(locked == protectedSize, "protected size " + protectedSize + " but the tree holds " + locked);
        require(leaves.equals(evictableLeaves), "evictable-leaf set out of date");
        int total = allocator.availableSize() + evictableSize + protectedSize + slotsHeldOutside;
        require(total == allocator.size(), "KV slot leak: available " + allocator.availableSize() + " + evictable "
                + evictableSize + " + protected " + protectedSize + " + held by requests " + slotsHeldOutside
                + " = " + total + ", capacity " + allocator.size());
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalStateException(message);
    }
}
