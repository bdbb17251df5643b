/** KV slot allocator, request-to-token table and the RadixCache prefix tree (SGLang {@code mem_cache/}). */
package org.sglang4j.engine.cache;
