/** {@code bench server-overhead}: what the HTTP server adds on top of the in-process engine. */
package org.sglang4j.bench.server;
