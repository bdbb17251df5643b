package org.sglang4j.server;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The rids of requests submitted to the engine and not yet finished: duplicate checks and {@code abort_all}. */
public final class RequestRegistry {

    private final Set<String> rids = ConcurrentHashMap.newKeySet();

    /** False if {@code rid} is already running. */
    boolean register(String rid) {
        return rids.add(rid);
    }

    void unregister(String rid) {
        rids.remove(rid);
    }

    public List<String> snapshot() {
        return List.copyOf(rids);
    }

    public int size() {
        return rids.size();
    }
}
