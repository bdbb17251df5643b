package org.sglang4j.server.http;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The server's one JSON mapper (Jackson 3, thread-safe) and request-body parsing that fails as a 400. */
public final class Json {

    public static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {}

    /** Parses a request body; malformed JSON is the client's error and says where it broke. */
    public static JsonNode parse(byte[] body) {
        if (body.length == 0) throw ApiException.badRequest(null, "request body is empty; expected a JSON object");
        try {
            return MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw ApiException.badRequest(null, "request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    public static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }
}
