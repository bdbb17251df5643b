package org.sglang4j.core.model;

/**
 * Context-extension scaling of rotary frequencies, as in HF {@code rope_scaling}.
 * <ul>
 *   <li>{@link Type#LINEAR}: every frequency divided by {@code factor} (position interpolation);</li>
 *   <li>{@link Type#LLAMA3}: Llama 3.1's piecewise rule — wavelengths shorter than
 *       {@code originalContextLength / highFreqFactor} unchanged, longer than
 *       {@code originalContextLength / lowFreqFactor} divided by {@code factor}, smooth blend in between.</li>
 * </ul>
 * GGUF files of Llama 3.1 carry the Llama 3 rule precomputed as the {@code rope_freqs.weight} tensor instead.
 */
public record RopeScaling(Type type, float factor, float lowFreqFactor, float highFreqFactor,
                          int originalContextLength) {
    public enum Type { LINEAR, LLAMA3 }

    public RopeScaling {
        if (!(factor > 0)) throw new IllegalArgumentException("rope scaling factor must be > 0, got " + factor);
        if (type == Type.LLAMA3 && !(highFreqFactor > lowFreqFactor && lowFreqFactor > 0 && originalContextLength > 0)) {
            throw new IllegalArgumentException("llama3 rope scaling needs high_freq_factor > low_freq_factor > 0 and "
                    + "original_max_position_embeddings > 0, got " + highFreqFactor + ", " + lowFreqFactor + ", "
                    + originalContextLength);
        }
    }

    public static RopeScaling linear(float factor) {
        return new RopeScaling(Type.LINEAR, factor, 0f, 0f, 0);
    }

    public static RopeScaling llama3(float factor, float lowFreqFactor, float highFreqFactor,
                                     int originalContextLength) {
        return new RopeScaling(Type.LLAMA3, factor, lowFreqFactor, highFreqFactor, originalContextLength);
    }

    /** The scaled inverse frequency of one rotary pair. */
    public float apply(float invFreq) {
        return switch (type) {
            case LINEAR -> invFreq / factor;
            case LLAMA3 -> {
                double wavelen = 2 * Math.PI / invFreq;
                double highFreqWavelen = originalContextLength / highFreqFactor;
                double lowFreqWavelen = originalContextLength / lowFreqFactor;
                if (wavelen < highFreqWavelen) yield invFreq;
                if (wavelen > lowFreqWavelen) yield invFreq / factor;
                double smooth = (originalContextLength / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
                yield (float) ((1 - smooth) * invFreq / factor + smooth * invFreq);
            }
        };
    }
}
