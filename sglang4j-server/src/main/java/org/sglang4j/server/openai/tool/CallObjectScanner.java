package org.sglang4j.server.openai.tool;

import org.sglang4j.server.http.Json;
import tools.jackson.core.JacksonException;

/**
 * Reads one tool-call object, {@code {"name": "f", "arguments": {...}}}, a character at a time as the model
 * writes it. It tracks only the top-level keys (strings and nesting are followed so braces inside values don't
 * confuse it), which is enough to know the function name as soon as its string closes and to hand out the
 * arguments text while it is still being written. {@code parameters} is accepted for {@code arguments} (Llama 3
 * and SGLang's forced-call schema use it).
 */
final class CallObjectScanner {

    private enum State { BEFORE, KEY_OR_END, KEY, COLON, VALUE, STRING_VALUE, NESTED_VALUE, LITERAL_VALUE, AFTER_VALUE,
        DONE, INVALID }

    private final StringBuilder raw = new StringBuilder();
    private State state = State.BEFORE;
    private boolean escape;
    private boolean nestedInString;
    private int nestDepth;
    private int keyStart;
    private int valueStart;
    private String key;
    private String name;
    private int argsStart = -1;
    private int argsEnd = -1;

    /**
     * Consumes characters of {@code text} from {@code from}; stops after the object's closing brace, or before a
     * character that cannot continue it (then {@link #invalid()}). Returns the index after the last consumed one.
     */
    int feed(CharSequence text, int from) {
        int i = from;
        while (i < text.length() && state != State.DONE && state != State.INVALID) {
            if (!step(text.charAt(i))) {
                state = State.INVALID;
                break;
            }
            i++;
        }
        return i;
    }

    boolean done() {
        return state == State.DONE;
    }

    boolean invalid() {
        return state == State.INVALID;
    }

    /** The text consumed so far (for giving it back as content when it was no tool call after all). */
    String raw() {
        return raw.toString();
    }

    /** The function name once its string has closed, else null. */
    String name() {
        return name;
    }

    boolean hasArguments() {
        return argsStart >= 0;
    }

    /**
     * The arguments text that is certain so far: an object or array streams as it is written; a string (some
     * models quote the arguments) or a literal only once complete, a string decoded.
     */
    String streamableArguments() {
        if (argsStart < 0) return "";
        char first = raw.charAt(argsStart);
        if (first == '{' || first == '[') return raw.substring(argsStart, argsEnd >= 0 ? argsEnd : raw.length());
        if (argsEnd < 0) return "";
        String value = raw.substring(argsStart, argsEnd);
        return first == '"' ? decodeString(value) : value;
    }

    private boolean step(char c) {
        switch (state) {
            case BEFORE -> {
                if (c == '{') state = State.KEY_OR_END;
                else if (!isSpace(c)) return false;
            }
            case KEY_OR_END -> {
                if (c == '"') {
                    keyStart = raw.length() + 1;
                    state = State.KEY;
                } else if (c == '}') {
                    state = State.DONE;
                } else if (!isSpace(c)) {
                    return false;
                }
            }
            case KEY -> {
                if (escape) escape = false;
                else if (c == '\\') escape = true;
                else if (c == '"') {
                    key = decodeString(raw.substring(keyStart - 1) + '"');
                    state = State.COLON;
                }
            }
            case COLON -> {
                if (c == ':') state = State.VALUE;
                else if (!isSpace(c)) return false;
            }
            case VALUE -> {
                if (isSpace(c)) break;
                valueStart = raw.length();
                if (argsStart < 0 && (key.equals("arguments") || key.equals("parameters"))) argsStart = valueStart;
                if (c == '"') state = State.STRING_VALUE;
                else if (c == '{' || c == '[') {
                    nestDepth = 1;
                    nestedInString = false;
                    state = State.NESTED_VALUE;
                } else if (c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n') {
                    state = State.LITERAL_VALUE;
                } else {
                    return false;
                }
            }
            case STRING_VALUE -> {
                if (escape) escape = false;
                else if (c == '\\') escape = true;
                else if (c == '"') {
                    raw.append(c);
                    valueDone(raw.length());
                    state = State.AFTER_VALUE;
                    return true;
                }
            }
            case NESTED_VALUE -> {
                if (nestedInString) {
                    if (escape) escape = false;
                    else if (c == '\\') escape = true;
                    else if (c == '"') nestedInString = false;
                } else if (c == '"') {
                    nestedInString = true;
                } else if (c == '{' || c == '[') {
                    nestDepth++;
                } else if (c == '}' || c == ']') {
                    if (--nestDepth == 0) {
                        raw.append(c);
                        valueDone(raw.length());
                        state = State.AFTER_VALUE;
                        return true;
                    }
                }
            }
            case LITERAL_VALUE -> {
                if (isSpace(c) || c == ',' || c == '}') {
                    valueDone(raw.length());
                    state = State.AFTER_VALUE;
                    return step(c);
                }
            }
            case AFTER_VALUE -> {
                if (c == ',') state = State.KEY_OR_END;
                else if (c == '}') state = State.DONE;
                else if (!isSpace(c)) return false;
            }
            case DONE, INVALID -> {
                return false;
            }
        }
        raw.append(c);
        return true;
    }

    private void valueDone(int end) {
        if (valueStart == argsStart) argsEnd = end;
        if (key.equals("name") && name == null && raw.charAt(valueStart) == '"') {
            name = decodeString(raw.substring(valueStart, end));
        }
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    private static String decodeString(String quoted) {
        try {
            return Json.MAPPER.readValue(quoted, String.class);
        } catch (JacksonException e) {
            return quoted.substring(1, quoted.length() - 1);
        }
    }
}
