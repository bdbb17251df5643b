package org.sglang4j.engine.scheduler;

import java.util.BitSet;
import org.sglang4j.engine.cache.MatchResult;
import org.sglang4j.engine.cache.RadixCache;
import org.sglang4j.engine.cache.ReqToTokenPool;
import org.sglang4j.engine.cache.TokenToKvPoolAllocator;
import org.sglang4j.engine.cache.TreeNode;
import org.sglang4j.engine.req.Req;

/**
 * Owns the KV memory of the engine: request rows, the slot allocator and the radix tree, and moves a request's KV
 * between them (SGLang's {@code cache_finished_req} / {@code cache_unfinished_req} / {@code release_kv_cache},
 * mini-sglang's {@code CacheManager}). See {@link Req} for the row layout. With {@code --disable-radix-cache} the
 * tree stays empty: nothing is matched, a chunked request keeps its earlier chunks privately, and a finished
 * request's KV is freed.
 */
final class CacheManager {
    final TokenToKvPoolAllocator allocator;
    final ReqToTokenPool reqToTokenPool;
    final RadixCache tree;
    final boolean disableRadixCache;

    CacheManager(int maxTotalTokens, int maxRunningRequests, int contextLength, boolean disableRadixCache) {
        this.allocator = new TokenToKvPoolAllocator(maxTotalTokens, 1);
        this.reqToTokenPool = new ReqToTokenPool(maxRunningRequests, contextLength);
        this.tree = new RadixCache(allocator);
        this.disableRadixCache = disableRadixCache;
    }

    /** Longest cached prefix usable by {@code req} this round (see {@link Req#maxPrefixLen()}). */
    MatchResult matchPrefix(Req req) {
        if (disableRadixCache) return new MatchResult(new int[0], tree.root());
        return tree.matchPrefix(req.tokens(), req.maxPrefixLen());
    }

    /** Slots that could be handed out now, counting what eviction would free. */
    int availableAndEvictable() {
        return allocator.availableSize() + tree.evictableSize();
    }

    void lock(TreeNode node) {
        tree.incLockRef(node);
    }

    void unlock(TreeNode node) {
        tree.decLockRef(node);
    }

    /** Makes {@code n} slots free, evicting LRU leaves if needed; false if even that is not enough. */
    boolean ensureFree(int n) {
        if (!allocator.canAllocate(n)) tree.evict(n - allocator.availableSize());
        return allocator.canAllocate(n);
    }

    /**
     * Admits a waiting request whose prefix match is already locked: takes a request row, writes the prefix
     * slots into it and allocates {@code extendLen} new slots after them. False (nothing changed) if a row or
     * the slots are not available.
     */
    boolean admit(Req req, MatchResult prefix, int extendLen) {
        if (reqToTokenPool.availableSize() == 0 || !ensureFree(extendLen)) return false;
        int idx = reqToTokenPool.alloc();
        int prefixLen = prefix.length();
        req.setReqPoolIdx(idx);
        req.setLastNode(prefix.lastNode());
        req.setCacheProtectedLen(prefixLen);
        req.setKvLen(prefixLen);
        reqToTokenPool.write(idx, 0, prefix.deviceIndices(), 0, prefixLen);
        int[] row = reqToTokenPool.row(idx, prefixLen + extendLen);
        allocator.alloc(extendLen, row, prefixLen);
        return true;
    }

    /**
     * Allocates slots for positions {@code [kvLen, kvLen + n)} of a request that already holds a row (a later
     * prefill chunk, or a decode token). Returns the row, or null if the pool cannot supply {@code n} slots.
     */
    int[] allocExtend(Req req, int n) {
        if (!ensureFree(n)) return null;
        int[] row = reqToTokenPool.row(req.reqPoolIdx(), req.kvLen() + n);
        allocator.alloc(n, row, req.kvLen());
        return row;
    }

    int[] row(Req req) {
        return reqToTokenPool.row(req.reqPoolIdx());
    }

    /**
     * After a prefill (chunk) of a request that goes on: inserts its computed tokens so later requests can share
     * them, frees the slots it computed for a range another request had inserted meanwhile, re-reads the
     * canonical slots into its row and moves its lock to the new deepest node.
     */
    void cacheUnfinishedReq(Req req) {
        if (disableRadixCache) return;
        int len = req.kvLen();
        int[] row = row(req);
        int protectedLen = req.cacheProtectedLen();
        int newPrefixLen = tree.insert(req.tokens(), len, row);
        if (newPrefixLen > protectedLen) allocator.free(row, protectedLen, newPrefixLen);
        MatchResult m = tree.matchPrefix(req.tokens(), len);
        if (m.length() != len) throw new IllegalStateException("just-inserted prefix of " + req + " matched only " + m.length());
        System.arraycopy(m.deviceIndices(), protectedLen, row, protectedLen, len - protectedLen);
        tree.incLockRef(m.lastNode());
        tree.decLockRef(req.lastNode());
        req.setLastNode(m.lastNode());
        req.setCacheProtectedLen(len);
    }

    /**
     * A request is done (finished or aborted): its computed tokens (prompt + output, minus the last sampled token,
     * which has no KV) go into the tree, duplicates are freed, its lock and row are released.
     */
    void cacheFinishedReq(Req req) {
        if (req.reqPoolIdx() < 0) return;
        int[] row = row(req);
        int len = req.kvLen();
        if (disableRadixCache) {
            allocator.free(row, 0, len);
        } else {
            int newPrefixLen = tree.insert(req.tokens(), len, row);
            if (newPrefixLen > req.cacheProtectedLen()) allocator.free(row, req.cacheProtectedLen(), newPrefixLen);
            tree.decLockRef(req.lastNode());
        }
        reqToTokenPool.free(req.reqPoolIdx());
        req.setReqPoolIdx(-1);
        req.setLastNode(null);
    }

    /** Retraction: frees the request's private KV without inserting it and releases its lock and row. */
    void releaseForRetract(Req req) {
        if (req.reqPoolIdx() >= 0) {
            allocator.free(row(req), req.cacheProtectedLen(), req.kvLen());
            if (!disableRadixCache) tree.decLockRef(req.lastNode());
            reqToTokenPool.free(req.reqPoolIdx());
        }
        req.resetForRetract();
    }

    /** Locks the cached path of {@code tokens[0 .. len)} for a session; returns the node to unlock later. */
    TreeNode pin(int[] tokens, int len) {
        if (disableRadixCache) return tree.root();
        MatchResult m = tree.matchPrefix(tokens, len);
        tree.incLockRef(m.lastNode());
        return m.lastNode();
    }

    /** Empties the tree; only when no request holds KV. */
    void flush() {
        if (reqToTokenPool.availableSize() != reqToTokenPool.size()) {
            throw new IllegalStateException("flush while requests hold KV");
        }
        tree.reset();
        reqToTokenPool.clear();
    }

    /**
     * Checks {@code free + evictable + protected + private == capacity}, the tree's own structure, and that the
     * private slots of the given holders are in use and distinct.
     */
    void checkIntegrity(Iterable<Req> holders) {
        int held = 0, rows = 0;
        BitSet seen = new BitSet(allocator.size());
        for (Req r : holders) {
            if (r.reqPoolIdx() < 0) continue;
            rows++;
            held += r.privateKvLen();
            int[] row = row(r);
            for (int p = r.cacheProtectedLen(); p < r.kvLen(); p++) {
                int slot = row[p];
                if (allocator.isFree(slot)) throw new IllegalStateException(r + " holds free slot " + slot + " at " + p);
                if (seen.get(slot)) throw new IllegalStateException("slot " + slot + " held twice (" + r + ")");
                seen.set(slot);
            }
        }
        tree.checkIntegrity(held);
        if (reqToTokenPool.availableSize() + rows != reqToTokenPool.size()) {
            throw new IllegalStateException("request-slot leak: " + reqToTokenPool.availableSize() + " free + " + rows
                    + " held != " + reqToTokenPool.size());
        }
    }

    int capacity() {
        return allocator.size();
    }

    /** Slots in use by requests or protected in the tree (SGLang {@code num_used_tokens}). */
    int usedTokens() {
        return allocator.size() - availableAndEvictable();
    }
}
