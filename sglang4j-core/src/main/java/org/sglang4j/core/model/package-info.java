/** The transformer forward pass over ragged batches, its config, weights, KV cache and scratch state. */
package org.sglang4j.core.model;
