/** The sglang4j HTTP server: wires the engine to the SGLang-native and OpenAI-compatible APIs. */
package org.sglang4j.server;
