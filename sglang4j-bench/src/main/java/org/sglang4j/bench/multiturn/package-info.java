/** {@code bench multi-turn}: the customer-service conversation workload (radix cache on vs off, vs llama.cpp's server). */
package org.sglang4j.bench.multiturn;
