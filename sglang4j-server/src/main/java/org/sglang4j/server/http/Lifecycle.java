package org.sglang4j.server.http;

import java.time.Duration;

/**
 * The server's state and the requests in flight. Inference requests enter only while {@link State#READY}; a drain
 * flips to {@link State#DRAINING} (health turns 503, new requests are refused with {@code Retry-After}) and waits
 * for the requests already admitted, so a rolling upgrade loses none of them.
 */
public final class Lifecycle {

    public enum State { STARTING, READY, DRAINING, STOPPED }

    private State state = State.STARTING;
    private int inFlight;

    public synchronized State state() {
        return state;
    }

    public synchronized void ready() {
        if (state == State.STARTING) state = State.READY;
    }

    /** Admits one request if the server is ready; every successful call is paired with {@link #exit()}. */
    public synchronized boolean tryEnter() {
        if (state != State.READY) return false;
        inFlight++;
        return true;
    }

    /** Admits a start-up warm-up request, which must run before the server reports ready. */
    public synchronized boolean tryEnterWarmup() {
        if (state != State.STARTING && state != State.READY) return false;
        inFlight++;
        return true;
    }

    public synchronized void exit() {
        if (--inFlight == 0) notifyAll();
    }

    public synchronized int inFlight() {
        return inFlight;
    }

    /**
     * Stops admitting requests and waits up to {@code grace} for those in flight. Returns true when all finished.
     * Safe to call more than once (a second SIGTERM while draining just waits again).
     */
    public synchronized boolean drain(Duration grace) throws InterruptedException {
        if (state == State.STARTING || state == State.READY) state = State.DRAINING;
        long deadline = System.nanoTime() + grace.toNanos();
        while (inFlight > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    public synchronized void stopped() {
        state = State.STOPPED;
        notifyAll();
    }

    public synchronized void awaitStopped() throws InterruptedException {
        while (state != State.STOPPED) wait();
    }
}
