package org.sglang4j.bench.server;

/**
 * What {@code bench server-overhead} measured: the same requests straight into the engine, through the server to
 * the engine, and through the server to an engine that costs nothing ({@code serverOnly*}: the server's own
 * capacity and latency; {@code serverOnlySerial} with one client).
 */
public record ServerOverheadResult(String model, int clients, int requests, int promptTokens, int maxNewTokens,
                                   int threads, LatencyStats direct, LatencyStats http, LatencyStats httpStream,
                                   LatencyStats serverOnly, LatencyStats serverOnlyStream, LatencyStats serverOnlySerial,
                                   String commandLine, String date) {}
