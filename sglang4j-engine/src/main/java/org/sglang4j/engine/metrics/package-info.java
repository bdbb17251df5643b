/** Prometheus metrics with SGLang's names ({@code sglang:...}): scheduler gauges, latency histograms, token counters. */
package org.sglang4j.engine.metrics;
