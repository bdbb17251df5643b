/** Benchmark workloads: random and ShareGPT-like single-turn datasets, the multi-turn customer-service chat. */
package org.sglang4j.bench.workload;
