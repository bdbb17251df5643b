/** Sessions (SGLang {@code session_controller}): multi-turn continuation with the conversation's KV pinned between turns. */
package org.sglang4j.engine.session;
