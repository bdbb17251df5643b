package org.sglang4j.engine.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Random operation sequences on {@link RadixCache} + {@link TokenToKvPoolAllocator}, checked after every step
 * against a naive reference: a map from every cached prefix (as a token list) to the KV slot of its last token,
 * with per-prefix access times and a list of locked sequences. Small alphabets and short keys make prefixes
 * overlap, so splits, duplicate inserts and cascading evictions happen all the time.
 */
class RadixCachePropertyTest {
    static final int KEYS = 10;

    sealed interface Op {}
    /** Request lifecycle: match, lock, allocate the rest (evicting if short), insert, unlock. */
    record Compute(int key) implements Op {}
    /** Insert with freshly computed slots for the whole key; the cached part comes back as duplicates. */
    record InsertFresh(int key) implements Op {}
    record Match(int key) implements Op {}
    record Lock(int key) implements Op {}
    record Unlock(int which) implements Op {}
    record Evict(int n) implements Op {}
    /** Slots held outside the tree, like a running request's decode tokens. */
    record Hold(int n) implements Op {}
    record Release(int which) implements Op {}

    @Provide
    Arbitrary<List<int[]>> keys() {
        return Arbitraries.integers().between(0, 2).array(int[].class).ofMinSize(1).ofMaxSize(10).list().ofSize(KEYS);
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Integer> key = Arbitraries.integers().between(0, KEYS - 1);
        Arbitrary<Integer> small = Arbitraries.integers().between(0, 20);
        Arbitrary<Op> op = Arbitraries.oneOf(
                key.map(Compute::new), key.map(InsertFresh::new), key.map(Match::new), key.map(Lock::new),
                small.map(Unlock::new), small.map(n -> new Evict(n + 1)),
                Arbitraries.integers().between(1, 8).map(Hold::new), small.map(Release::new));
        return op.list().ofMinSize(1).ofMaxSize(120);
    }

    @Property(tries = 400)
    void randomOperationsKeepTheInvariantAndAgreeWithTheReference(
            @ForAll("keys") List<int[]> keys, @ForAll("ops") List<Op> ops, @ForAll @IntRange(min = 6, max = 48) int capacity) {
        new Run(capacity).execute(keys, ops);
    }

    /** One run: the system under test plus the reference model. */
    static final class Run {
        final TokenToKvPoolAllocator allocator;
        final RadixCache cache;
        final Map<List<Integer>, Integer> refSlot = new HashMap<>();
        final Map<List<Integer>, Long> refTime = new HashMap<>();
        final List<List<Integer>> lockedSeqs = new ArrayList<>();
        final List<TreeNode> lockedNodes = new ArrayList<>();
        final List<int[]> held = new ArrayList<>();
        long clock;

        Run(int capacity) {
            allocator = new TokenToKvPoolAllocator(capacity, 1);
            cache = new RadixCache(allocator);
        }

        void execute(List<int[]> keys, List<Op> ops) {
            for (Op op : ops) {
                switch (op) {
                    case Compute c -> compute(keys.get(c.key()));
                    case InsertFresh i -> insertFresh(keys.get(i.key()));
                    case Match m -> match(keys.get(m.key()));
                    case Lock l -> {
                        int[] key = keys.get(l.key());
                        MatchResult r = match(key);
                        cache.incLockRef(r.lastNode());
                        lockedNodes.add(r.lastNode());
                        lockedSeqs.add(prefix(key, r.length()));
                    }
                    case Unlock u -> {
                        if (!lockedNodes.isEmpty()) {
                            int i = u.which() % lockedNodes.size();
                            cache.decLockRef(lockedNodes.remove(i));
                            lockedSeqs.remove(i);
                        }
                    }
                    case Evict e -> evict(e.n());
                    case Hold h -> {
                        int[] slots = allocate(h.n());
                        if (slots != null) held.add(slots);
                    }
                    case Release r -> {
                        if (!held.isEmpty()) {
                            int[] slots = held.remove(r.which() % held.size());
                            allocator.free(slots, 0, slots.length);
                        }
                    }
                }
                checkAgainstReference();
            }
            while (!lockedNodes.isEmpty()) cache.decLockRef(lockedNodes.removeLast());
            for (int[] slots : held) allocator.free(slots, 0, slots.length);
            held.clear();
            lockedSeqs.clear();
            evict(Integer.MAX_VALUE);
            assertThat(allocator.availableSize()).as("pool back to full capacity").isEqualTo(allocator.size());
            checkAgainstReference();
        }

        void compute(int[] key) {
            MatchResult m = match(key);
            int p = m.length();
            cache.incLockRef(m.lastNode());
            lockedSeqs.add(prefix(key, p));
            int[] fresh = allocate(key.length - p);
            cache.decLockRef(m.lastNode());
            lockedSeqs.removeLast();
            if (fresh == null) return;
            int[] value = new int[key.length];
            System.arraycopy(m.deviceIndices(), 0, value, 0, p);
            System.arraycopy(fresh, 0, value, p, fresh.length);
            int r = insert(key, value);
            assertThat(r).as("a locked match survives allocation").isEqualTo(p);
        }

        void insertFresh(int[] key) {
            int[] value = allocate(key.length);
            if (value == null) return;
            int r = insert(key, value);
            allocator.free(value, 0, r); // duplicates of what the tree already holds
        }

        int insert(int[] key, int[] value) {
            int expected = refMatchLength(key);
            int r = cache.insert(key, key.length, value);
            assertThat(r).as("insert returns the already-cached prefix length").isEqualTo(expected);
            long t = ++clock;
            for (int j = 1; j <= key.length; j++) {
                List<Integer> p = prefix(key, j);
                refSlot.putIfAbsent(p, value[j - 1]);
                refTime.put(p, t);
            }
            return r;
        }

        MatchResult match(int[] key) {
            int n = refMatchLength(key);
            MatchResult m = cache.matchPrefix(key, key.length);
            assertThat(m.length()).as("match length").isEqualTo(n);
            long t = ++clock;
            for (int j = 1; j <= n; j++) {
                List<Integer> p = prefix(key, j);
                assertThat(m.deviceIndices()[j - 1]).as("slot of prefix %s", p).isEqualTo(refSlot.get(p));
                refTime.put(p, t);
            }
            assertThat(m.lastNode().depth()).isEqualTo(n);
            return m;
        }

        /** Allocates {@code n} slots, evicting first if short; null when even eviction cannot make room. */
        int[] allocate(int n) {
            if (!allocator.canAllocate(n)) evict(n - allocator.availableSize());
            if (!allocator.canAllocate(n)) return null;
            int[] slots = new int[n];
            allocator.alloc(n, slots, 0);
            BitSet inUse = slotsInUse();
            BitSet fresh = new BitSet();
            for (int s : slots) {
                assertThat(inUse.get(s)).as("slot %d handed out while in use", s).isFalse();
                assertThat(fresh.get(s)).as("slot %d handed out twice in one call", s).isFalse();
                fresh.set(s);
            }
            return slots;
        }

        void evict(int n) {
            int evictableBefore = cache.evictableSize();
            int freed = cache.evict(n);
            List<List<Integer>> removed = new ArrayList<>();
            for (var e : refSlot.entrySet()) if (allocator.isFree(e.getValue())) removed.add(e.getKey());
            assertThat(freed).as("freed slot count").isEqualTo(removed.size());
            assertThat(freed).as("frees what was asked, or everything evictable")
                    .isGreaterThanOrEqualTo(Math.min(n, evictableBefore));
            long newestRemoved = Long.MIN_VALUE;
            for (List<Integer> p : removed) {
                assertThat(isLocked(p)).as("evicted a locked prefix %s", p).isFalse();
                newestRemoved = Math.max(newestRemoved, refTime.get(p));
            }
            for (List<Integer> p : removed) {
                refSlot.remove(p);
                refTime.remove(p);
            }
            for (List<Integer> p : refSlot.keySet()) {
                if (p.size() > 1) {
                    assertThat(refSlot).as("a cached prefix lost its parent").containsKey(p.subList(0, p.size() - 1));
                }
                if (!isLocked(p) && isTokenLeaf(p)) {
                    assertThat(refTime.get(p)).as("LRU: kept leaf %s is older than an evicted one", p)
                            .isGreaterThanOrEqualTo(newestRemoved);
                }
            }
        }

        void checkAgainstReference() {
            int held = this.held.stream().mapToInt(h -> h.length).sum();
            cache.checkIntegrity(held);
            int locked = 0;
            for (List<Integer> p : refSlot.keySet()) if (isLocked(p)) locked++;
            assertThat(cache.totalSize()).isEqualTo(refSlot.size());
            assertThat(cache.protectedSize()).isEqualTo(locked);
            assertThat(cache.evictableSize()).isEqualTo(refSlot.size() - locked);
            BitSet inUse = slotsInUse();
            for (int s = 0; s < allocator.size(); s++) {
                assertThat(allocator.isFree(s)).as("slot %d free iff unused", s).isEqualTo(!inUse.get(s));
            }
        }

        BitSet slotsInUse() {
            BitSet inUse = new BitSet();
            for (int s : refSlot.values()) {
                assertThat(inUse.get(s)).as("slot %d cached twice", s).isFalse();
                inUse.set(s);
            }
            for (int[] h : held) {
                for (int s : h) {
                    assertThat(inUse.get(s)).as("held slot %d also in use", s).isFalse();
                    inUse.set(s);
                }
            }
            return inUse;
        }

        int refMatchLength(int[] key) {
            int n = 0;
            while (n < key.length && refSlot.containsKey(prefix(key, n + 1))) n++;
            return n;
        }

        boolean isLocked(List<Integer> p) {
            for (List<Integer> s : lockedSeqs) if (s.size() >= p.size() && s.subList(0, p.size()).equals(p)) return true;
            return false;
        }

        boolean isTokenLeaf(List<Integer> p) {
            for (int t = 0; t <= 2; t++) {
                List<Integer> ext = new ArrayList<>(p);
                ext.add(t);
                if (refSlot.containsKey(ext)) return false;
            }
            return true;
        }

        static List<Integer> prefix(int[] key, int n) {
            List<Integer> p = new ArrayList<>(n);
            for (int i = 0; i < n; i++) p.add(key[i]);
            return p;
        }
    }
}
