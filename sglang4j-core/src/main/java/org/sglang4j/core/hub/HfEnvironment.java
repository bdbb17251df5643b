package org.sglang4j.core.hub;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The Hugging Face settings, with {@code huggingface_hub}'s names and defaults, read once from the environment
 * (or given explicitly, as tests do, so nothing touches the real home directory).
 *
 * @param hubCache the cache root holding {@code models--org--name}: {@code $HF_HUB_CACHE}, else
 *                 {@code $HF_HOME/hub}, else {@code $XDG_CACHE_HOME/huggingface/hub}, else
 *                 {@code ~/.cache/huggingface/hub}
 * @param endpoint {@code $HF_ENDPOINT}, default {@code https://huggingface.co}
 * @param token    {@code $HF_TOKEN}, else the token file {@code huggingface-cli login} wrote
 *                 ({@code $HF_HOME/token}); null when there is none
 * @param offline  {@code $HF_HUB_OFFLINE} set to 1/true/yes/on: use only the cache
 */
public record HfEnvironment(Path hubCache, URI endpoint, String token, boolean offline) {
    public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");

    public HfEnvironment {
        if (hubCache == null) throw new IllegalArgumentException("hub cache directory must be set");
        if (endpoint == null) endpoint = DEFAULT_ENDPOINT;
        String e = endpoint.toString();
        if (e.endsWith("/")) endpoint = URI.create(e.substring(0, e.length() - 1));
        if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())) {
            throw new IllegalArgumentException("HF_ENDPOINT must be an http(s) URL, got " + e);
        }
        if (token != null && token.isBlank()) token = null;
    }

    /** From this process's environment variables and home directory. */
    public static HfEnvironment fromSystem() {
        return from(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** From the given variables, with {@code home} standing for the user's home directory. */
    public static HfEnvironment from(Map<String, String> env, Path home) {
        Path hfHome;
        if (set(env, "HF_HOME")) hfHome = Path.of(env.get("HF_HOME"));
        else if (set(env, "XDG_CACHE_HOME")) hfHome = Path.of(env.get("XDG_CACHE_HOME"), "huggingface");
        else hfHome = home.resolve(".cache").resolve("huggingface");
        Path hubCache = set(env, "HF_HUB_CACHE") ? Path.of(env.get("HF_HUB_CACHE")) : hfHome.resolve("hub");
        URI endpoint = set(env, "HF_ENDPOINT") ? URI.create(env.get("HF_ENDPOINT").trim()) : DEFAULT_ENDPOINT;
        String token = set(env, "HF_TOKEN") ? env.get("HF_TOKEN").trim() : tokenFile(hfHome.resolve("token"));
        return new HfEnvironment(hubCache, endpoint, token, truthy(env.get("HF_HUB_OFFLINE")));
    }

    private static boolean set(Map<String, String> env, String name) {
        String v = env.get(name);
        return v != null && !v.isBlank();
    }

    private static boolean truthy(String v) {
        return v != null && switch (v.trim().toUpperCase(Locale.ROOT)) {
            case "1", "ON", "YES", "TRUE" -> true;
            default -> false;
        };
    }

    private static String tokenFile(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file).trim() : null;
        } catch (IOException e) {
            return null; // an unreadable token file means no token, as in huggingface_hub
        }
    }

    public HfEnvironment withOffline(boolean offline) {
        return new HfEnvironment(hubCache, endpoint, token, offline);
    }
}
