package org.sglang4j.core.chat;

/**
 * Rewrites the few Jinja2 constructs jinjava parses differently, before compiling a template:
 * <ul>
 *   <li>{@code seq[::-1]} (Qwen3 walks messages backwards) → {@code seq|reverse}: a filter binds to the same
 *       postfix expression the subscript did;</li>
 *   <li>{@code namespace(k=a|length - 1)}: Jinja2 reads the value as {@code (a|length) - 1}, jinjava applies the
 *       filter to the whole named argument → each named argument value gets parentheses.</li>
 * </ul>
 */
final class JinjaCompat {
    private JinjaCompat() {}

    static String rewrite(String source) {
        String s = source.replace("[::-1]", "|reverse");
        StringBuilder out = new StringBuilder(s.length() + 16);
        int i = 0;
        while (true) {
            int at = s.indexOf("namespace(", i);
            if (at < 0) break;
            int open = at + "namespace".length(); // the '('
            if (at > 0 && Character.isJavaIdentifierPart(s.charAt(at - 1))) { // e.g. my_namespace(
                out.append(s, i, open + 1);
                i = open + 1;
                continue;
            }
            int close = matchingParen(s, open);
            if (close < 0) break; // unbalanced: leave it for the parser to report
            out.append(s, i, open + 1).append(parenthesizeNamedArgs(s.substring(open + 1, close))).append(')');
            i = close + 1;
        }
        return out.append(s.substring(i)).toString();
    }

    private static String parenthesizeNamedArgs(String args) {
        StringBuilder out = new StringBuilder();
        int start = 0, depth = 0;
        char quote = 0;
        for (int i = 0; i <= args.length(); i++) {
            char c = i < args.length() ? args.charAt(i) : ',';
            if (quote != 0) {
                if (c == '\\') i++;
                else if (c == quote) quote = 0;
                continue;
            }
            if (c == '\'' || c == '"') quote = c;
            else if (c == '(' || c == '[' || c == '{') depth++;
            else if (c == ')' || c == ']' || c == '}') depth--;
            else if (c == ',' && depth == 0) {
                if (start > 0) out.append(',');
                out.append(namedArg(args.substring(start, Math.min(i, args.length()))));
                start = i + 1;
            }
        }
        return out.toString();
    }

    private static String namedArg(String arg) {
        int eq = arg.indexOf('=');
        if (eq <= 0 || eq + 1 >= arg.length() || arg.charAt(eq + 1) == '=') return arg;
        String name = arg.substring(0, eq).strip();
        if (!name.chars().allMatch(Character::isJavaIdentifierPart)) return arg;
        return arg.substring(0, eq + 1) + "(" + arg.substring(eq + 1) + ")";
    }

    private static int matchingParen(String s, int open) {
        int depth = 0;
        char quote = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\') i++;
                else if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }
}
