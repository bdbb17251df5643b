package org.sglang4j.bench.onebatch;

import java.util.List;
import org.sglang4j.bench.Comparison;
import org.sglang4j.bench.peer.LlamaBench;

/**
 * What {@code bench one-batch --output-file} writes: sglang4j's timings, llama-bench's (null with
 * {@code --no-peer}) and the ratios between them.
 *
 * @param loadSeconds   time to load (memory-map) the model
 * @param residentBytes the process's resident memory after the runs (mapped weights + KV + heap)
 * @param kernels       which of our kernels ran ({@link org.sglang4j.core.tensor.VnniKernels#describe})
 */
public record OneBatchReport(String command, String date, String model, String quantization, long weightBytes,
                             int threads, String kvCacheDtype, double loadSeconds, long residentBytes,
                             List<OneBatchResult> results, LlamaBench.Run peer, List<Comparison> comparisons,
                             String kernels) {}
