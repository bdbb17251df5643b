package org.sglang4j.engine.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RadixCacheTest {
    private final TokenToKvPoolAllocator allocator = new TokenToKvPoolAllocator(64, 1);
    private final RadixCache cache = new RadixCache(allocator);

    /** Allocates fresh slots for {@code key} and inserts it, freeing the duplicates as a request would. */
    private int[] cacheSequence(int... key) {
        int[] value = new int[key.length];
        allocator.alloc(key.length, value, 0);
        int prefixLen = cache.insert(key, key.length, value);
        allocator.free(value, 0, prefixLen);
        return value;
    }

    @Test
    void matchReturnsTheSlotsOfTheLongestCachedPrefix() {
        int[] slots = cacheSequence(1, 2, 3, 4);
        MatchResult m = cache.matchPrefix(new int[] {1, 2, 3, 9}, 4);
        assertThat(m.deviceIndices()).containsExactly(slots[0], slots[1], slots[2]);
        assertThat(m.lastNode().depth()).isEqualTo(3);
        cache.checkIntegrity();
    }

    @Test
    void partialMatchSplitsTheNodeWithoutFreeingAnything() {
        cacheSequence(1, 2, 3, 4);
        int free = allocator.availableSize();
        MatchResult m = cache.matchPrefix(new int[] {1, 2}, 2);
        assertThat(m.lastNode().length()).isEqualTo(2);
        assertThat(m.lastNode().children).hasSize(1);
        assertThat(allocator.availableSize()).isEqualTo(free);
        assertThat(cache.evictableSize()).isEqualTo(4);
        cache.checkIntegrity();
    }

    @Test
    void insertReturnsTheAlreadyCachedPrefixLengthSoTheCallerFreesItsDuplicates() {
        int[] first = cacheSequence(5, 6, 7);
        int[] value = new int[5];
        allocator.alloc(5, value, 0);
        int prefixLen = cache.insert(new int[] {5, 6, 7, 8, 9}, 5, value);
        assertThat(prefixLen).isEqualTo(3);
        allocator.free(value, 0, prefixLen);
        assertThat(cache.matchPrefix(new int[] {5, 6, 7, 8, 9}, 5).deviceIndices())
                .containsExactly(first[0], first[1], first[2], value[3], value[4]);
        cache.checkIntegrity();
    }

    @Test
    void lockedPathIsProtectedAndNeverEvicted() {
        cacheSequence(1, 2, 3);
        cacheSequence(4, 5);
        MatchResult m = cache.matchPrefix(new int[] {1, 2, 3}, 3);
        cache.incLockRef(m.lastNode());
        assertThat(cache.protectedSize()).isEqualTo(3);
        assertThat(cache.evictableSize()).isEqualTo(2);
        assertThat(cache.evict(100)).isEqualTo(2);
        assertThat(cache.matchPrefix(new int[] {1, 2, 3}, 3).length()).isEqualTo(3);
        cache.checkIntegrity();
        cache.decLockRef(m.lastNode());
        assertThat(cache.evict(100)).isEqualTo(3);
        assertThat(allocator.availableSize()).isEqualTo(64);
        cache.checkIntegrity();
    }

    @Test
    void evictTakesLeastRecentlyUsedLeavesFirst() {
        cacheSequence(1, 1);
        cacheSequence(2, 2);
        cacheSequence(3, 3);
        cache.matchPrefix(new int[] {1, 1}, 2); // 2,2 is now the oldest
        assertThat(cache.evict(1)).isEqualTo(2);
        assertThat(cache.matchPrefix(new int[] {2, 2}, 2).length()).isZero();
        assertThat(cache.matchPrefix(new int[] {1, 1}, 2).length()).isEqualTo(2);
        assertThat(cache.matchPrefix(new int[] {3, 3}, 2).length()).isEqualTo(2);
        cache.checkIntegrity();
    }

    @Test
    void evictionCanEatIntoAParentOnceItsLastChildIsGone() {
        cacheSequence(1, 2, 3);
        cacheSequence(1, 2, 4);
        assertThat(cache.evict(5)).isEqualTo(4);
        assertThat(cache.totalSize()).isZero();
        cache.checkIntegrity();
    }

    @Test
    void unlockingTwiceIsABug() {
        cacheSequence(1, 2);
        MatchResult m = cache.matchPrefix(new int[] {1, 2}, 2);
        cache.incLockRef(m.lastNode());
        cache.decLockRef(m.lastNode());
        assertThatThrownBy(() -> cache.decLockRef(m.lastNode())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void resetReturnsEverySlotAndIsRefusedWhileLocked() {
        cacheSequence(1, 2, 3);
        cacheSequence(1, 5);
        MatchResult m = cache.matchPrefix(new int[] {1, 5}, 2);
        cache.incLockRef(m.lastNode());
        assertThatThrownBy(cache::reset).isInstanceOf(IllegalStateException.class);
        cache.decLockRef(m.lastNode());
        cache.reset();
        assertThat(allocator.availableSize()).isEqualTo(64);
        assertThat(cache.matchPrefix(new int[] {1, 2, 3}, 3).length()).isZero();
        cache.checkIntegrity();
    }

    @Test
    void integrityCheckCatchesALeak() {
        int[] held = new int[3];
        allocator.alloc(3, held, 0);
        assertThatThrownBy(cache::checkIntegrity).isInstanceOf(IllegalStateException.class).hasMessageContaining("leak");
        cache.checkIntegrity(3);
    }

    @Test
    void allocatorRejectsDoubleFree() {
        int[] s = new int[2];
        allocator.alloc(2, s, 0);
        allocator.free(s, 0, 2);
        assertThatThrownBy(() -> allocator.free(s, 0, 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("double free");
    }
}
