/** Tool calling: streaming-safe parsers for model tool-call output and JSON schemas that force a call. */
package org.sglang4j.server.openai.tool;
