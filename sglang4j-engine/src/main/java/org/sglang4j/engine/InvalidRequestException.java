package org.sglang4j.engine;

/** A request the engine refuses before running it; {@code status} is the HTTP status to answer with. */
public final class InvalidRequestException extends RuntimeException {
    private final int status;
    private final String param;

    public InvalidRequestException(int status, String param, String message) {
        super(message);
        this.status = status;
        this.param = param;
    }

    public InvalidRequestException(String message) {
        this(400, null, message);
    }

    public int status() {
        return status;
    }

    /** The offending request field, or null. */
    public String param() {
        return param;
    }
}
