package org.sglang4j.server.http;

import tools.jackson.databind.node.ObjectNode;

/**
 * A request the server answers with an error status. Rendered in OpenAI's shape,
 * {@code {"error":{"message","type","param","code"}}}, which every OpenAI client library parses, on every endpoint
 * (SGLang's native endpoints included).
 *
 * @param status     HTTP status
 * @param type       OpenAI error type ({@code invalid_request_error}, {@code authentication_error}, …)
 * @param param      the offending request field, or null
 * @param retryAfter seconds for a {@code Retry-After} header (503 while starting or draining), or 0
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String type;
    private final String param;
    private final int retryAfter;

    public ApiException(int status, String type, String param, String message, int retryAfter) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.retryAfter = retryAfter;
    }

    /** 400 for a bad field; {@code param} names it. */
    public static ApiException badRequest(String param, String message) {
        return new ApiException(400, "invalid_request_error", param, message, 0);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found_error", null, message, 0);
    }

    public static ApiException unavailable(String message, int retryAfterSeconds) {
        return new ApiException(503, "service_unavailable", null, message, retryAfterSeconds);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String param() {
        return param;
    }

    public int retryAfter() {
        return retryAfter;
    }

    /** The OpenAI error body; {@code code} repeats the status as OpenAI-compatible servers (vLLM, SGLang) do. */
    public ObjectNode toJson() {
        return errorJson(getMessage(), type, param, status);
    }

    public static ObjectNode errorJson(String message, String type, String param, int code) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", type);
        if (param == null) error.putNull("param");
        else error.put("param", param);
        error.put("code", code);
        return root;
    }
}
