/** {@code bench report}: the benchmark suite, BENCHMARKS.md, its plots and the README table. */
package org.sglang4j.bench.report;
