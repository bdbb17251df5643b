/** Random-weight benchmark models: the Qwen2.5-0.5B shape, its generator and the on-disk cache. */
package org.sglang4j.bench.model;
