package org.sglang4j.engine.testing;

import java.util.ArrayList;
import java.util.List;
import org.sglang4j.core.model.ForwardBatch;
import org.sglang4j.engine.runner.ForwardModel;

/**
 * A stand-in model for scheduler tests that makes KV bookkeeping errors visible. Its "KV cache" stores, per slot,
 * the token and position written there. The logits of a token are pseudo-random numbers seeded by a hash of the
 * whole sequence it <em>gathers through its KV slots</em>, checking on the way that slot {@code j} holds position
 * {@code j}. A wrong, stale or shared-by-mistake slot therefore changes the output (or throws), while a correct
 * engine produces exactly {@link #referenceLogits} of the plain token sequence — an independent reference that
 * involves no cache at all.
 */
public final class TokenHashModel implements ForwardModel {
    private final int vocab;
    private final int[] slotToken;
    private final int[] slotPos;
    public volatile int forwardCalls;
    public volatile int maxTokensPerForward;

    public TokenHashModel(int vocab, int capacity) {
        this.vocab = vocab;
        this.slotToken = new int[capacity];
        this.slotPos = new int[capacity];
        java.util.Arrays.fill(slotPos, -1);
    }

    @Override
    public int vocabSize() {
        return vocab;
    }

    @Override
    public void forward(ForwardBatch batch, float[] logits) {
        forwardCalls++;
        maxTokensPerForward = Math.max(maxTokensPerForward, batch.numTokens());
        for (int t = 0; t < batch.numTokens(); t++) {
            slotToken[batch.outCacheLoc()[t]] = batch.tokenIds()[t];
            slotPos[batch.outCacheLoc()[t]] = batch.positions()[t];
        }
        int[] logitTokens = batch.logitTokens();
        int s = 0;
        for (int r = 0; r < logitTokens.length; r++) {
            int t = logitTokens[r];
            while (batch.seqStarts()[s + 1] <= t) s++;
            int[] slots = batch.kvSlots()[s];
            long h = SEED;
            for (int j = 0; j <= batch.positions()[t]; j++) {
                int slot = slots[j];
                if (slotPos[slot] != j) {
                    throw new IllegalStateException("KV slot " + slot + " holds position " + slotPos[slot] + ", expected " + j);
                }
                h = mix(h, slotToken[slot]);
            }
            fill(h, logits, r * vocab, vocab);
        }
    }

    private static final long SEED = 0x9E3779B97F4A7C15L;

    static long mix(long h, int token) {
        h ^= token + 0x632BE59BD9B4E019L;
        h *= 0xBF58476D1CE4E5B9L;
        return h ^ (h >>> 29);
    }

    private static void fill(long h, float[] logits, int off, int vocab) {
        long x = h;
        for (int i = 0; i < vocab; i++) {
            x += 0x9E3779B97F4A7C15L;
            long z = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z ^= z >>> 31;
            logits[off + i] = (z >>> 40) / (float) (1 << 24) * 8f;
        }
    }

    /** Logits after the token sequence {@code seq[0 .. len)} — computed directly, no KV involved. */
    public float[] referenceLogits(int[] seq, int len) {
        long h = SEED;
        for (int j = 0; j < len; j++) h = mix(h, seq[j]);
        float[] out = new float[vocab];
        fill(h, out, 0, vocab);
        return out;
    }

    /**
     * The greedy continuation of {@code prompt} as a correct engine must produce it: argmax (lowest id on ties),
     * stop/EOS tokens masked before {@code minNew}, stop at EOS/stop ids (unless ignoreEos) or after maxNew.
     */
    public int[] referenceGreedy(int[] prompt, int maxNew, int minNew, int[] stopIds, boolean ignoreEos) {
        List<Integer> seq = new ArrayList<>();
        for (int t : prompt) seq.add(t);
        List<Integer> out = new ArrayList<>();
        while (out.size() < maxNew) {
            int[] arr = seq.stream().mapToInt(Integer::intValue).toArray();
            float[] l = referenceLogits(arr, arr.length);
            int best = -1;
            for (int i = 0; i < vocab; i++) {
                boolean masked = out.size() < minNew && contains(stopIds, i);
                if (!masked && (best < 0 || l[i] > l[best])) best = i;
            }
            seq.add(best);
            out.add(best);
            if (!ignoreEos && out.size() >= minNew && contains(stopIds, best)) break;
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) if (x == v) return true;
        return false;
    }
}
