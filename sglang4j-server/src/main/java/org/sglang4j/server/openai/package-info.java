/** OpenAI-compatible API: {@code /v1/models}, {@code /v1/completions}, {@code /v1/chat/completions}. */
package org.sglang4j.server.openai;
