/** {@code bench one-batch}: in-process forward latency of a static batch against llama-bench. */
package org.sglang4j.bench.onebatch;
