package org.sglang4j.core.hub;

import java.io.IOException;

/** A model could not be resolved or downloaded from the Hugging Face Hub; the message says why and what to do. */
public class HfHubException extends IOException {
    public HfHubException(String message) {
        super(message);
    }

    public HfHubException(String message, Throwable cause) {
        super(message, cause);
    }
}
