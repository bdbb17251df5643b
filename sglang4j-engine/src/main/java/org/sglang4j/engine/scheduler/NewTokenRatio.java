package org.sglang4j.engine.scheduler;

/**
 * SGLang's estimate of how much of its remaining {@code max_new_tokens} a running request will really generate
 * (most stop early), used to admit more requests than a worst-case reservation would. Starts at
 * {@code 0.7 × conservativeness}, decays linearly to 14% of that over 600 decode steps, resets when idle, and is
 * raised after a retraction to what the remaining requests provably need.
 */
final class NewTokenRatio {
    static final double INIT = Double.parseDouble(System.getProperty("sglang4j.initNewTokenRatio", "0.7"));
    static final double MIN_FACTOR = Double.parseDouble(System.getProperty("sglang4j.minNewTokenRatioFactor", "0.14"));
    static final int DECAY_STEPS = Integer.getInteger("sglang4j.newTokenRatioDecaySteps", 600);
    /** Decode steps of headroom a retraction must leave for every remaining request. */
    static final int RETRACT_DECODE_STEPS = Integer.getInteger("sglang4j.retractDecodeSteps", 20);

    final double init;
    final double min;
    final double decay;
    double value;

    NewTokenRatio(double conservativeness) {
        this.init = Math.min(INIT * conservativeness, 1.0);
        this.min = init * MIN_FACTOR;
        this.decay = (init - min) / DECAY_STEPS;
        this.value = init;
    }

    void decayStep() {
        value = Math.max(value - decay, min);
    }

    void reset() {
        value = init;
    }

    /** After a retraction: {@code min(1, (generated + 20 × remaining) / Σ max_new_tokens)} of the survivors. */
    void afterRetract(long generated, int remaining, long maxNewTotal) {
        value = maxNewTotal == 0 ? 1.0 : Math.min(1.0, (generated + (double) RETRACT_DECODE_STEPS * remaining) / maxNewTotal);
    }
}
