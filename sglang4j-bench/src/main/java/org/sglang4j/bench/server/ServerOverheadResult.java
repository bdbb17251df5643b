package org.sglang4j.bench.server;

/**
 * What {@code bench server-overhead} measured: the same requests at the same concurrency, once straight into the
 * engine and once through the HTTP server (non-streaming and streaming). The added latency is the HTTP
 * percentile minus the in-process one.
 */
public record ServerOverheadResult(String model, int clients, int requests, int promptTokens, int maxNewTokens,
                                   int threads, LatencyStats direct, LatencyStats http, LatencyStats httpStream,
                                   double addedP50Ms, double addedP99Ms, double addedStreamP50Ms,
                                   double addedStreamP99Ms, String commandLine, String date) {}
