/** JDK HttpServer on virtual threads: routing, body limits, auth, CORS, SSE, OpenAI-shaped errors, drain. */
package org.sglang4j.server.http;
