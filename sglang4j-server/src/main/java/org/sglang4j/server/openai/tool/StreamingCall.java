package org.sglang4j.server.openai.tool;

import java.util.List;

/**
 * One tool call being read: wraps a {@link CallObjectScanner} and remembers what was already handed out, so each
 * call of {@link #progress} emits only the new pieces — the name once it is known, then argument text. Nothing is
 * emitted before the name, so an object without one can still be given back as plain content.
 */
final class StreamingCall {

    final int index;
    final String id;
    final CallObjectScanner scanner = new CallObjectScanner();
    private boolean nameSent;
    private int argsSent;

    StreamingCall(int index, String id) {
        this.index = index;
        this.id = id;
    }

    boolean nameSent() {
        return nameSent;
    }

    /** Appends the pieces that became certain since the last call. */
    void progress(List<ToolCallDelta> out) {
        if (!nameSent) {
            if (scanner.name() == null) return;
            out.add(new ToolCallDelta(index, id, scanner.name(), ""));
            nameSent = true;
        }
        String args = scanner.streamableArguments();
        if (args.length() > argsSent) {
            out.add(new ToolCallDelta(index, null, null, args.substring(argsSent)));
            argsSent = args.length();
        }
        if (scanner.done() && !scanner.hasArguments() && argsSent == 0) {
            // A call without arguments still needs a JSON object for clients that parse them.
            out.add(new ToolCallDelta(index, null, null, "{}"));
            argsSent = 2;
        }
    }
}
