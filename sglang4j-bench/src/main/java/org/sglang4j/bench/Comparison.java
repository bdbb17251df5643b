package org.sglang4j.bench;

/**
 * One figure measured for sglang4j and for the peer (llama.cpp) in the same run, on the same model file and
 * thread count. {@code ratio} is sglang4j / peer for throughputs and peer / sglang4j for latencies, so above 1
 * always means sglang4j is better.
 *
 * @param metric     what is compared, e.g. "decode tok/s, batch 1"
 * @param oursSetup  how sglang4j's figure was measured (the command or case)
 * @param peerSetup  how the peer's figure was measured (e.g. "llama-bench tg128")
 */
public record Comparison(String metric, String unit, double ours, double peer, boolean higherIsBetter,
                         String oursSetup, String peerSetup) {

    public double ratio() {
        if (ours <= 0 || peer <= 0 || Double.isNaN(ours) || Double.isNaN(peer)) return Double.NaN;
        return higherIsBetter ? ours / peer : peer / ours;
    }
}
