/** {@code bench grammar}: constrained-decoding compile time and per-token mask time with the Qwen2 vocabulary. */
package org.sglang4j.bench.grammar;
