package org.sglang4j.grammar.regex;

/** Inline flags in effect: {@code (?i)}, {@code (?s)}, {@code (?x)}, and {@code (?u)} vs {@code (?a)} classes. */
record RegexFlags(boolean ignoreCase, boolean dotAll, boolean verbose, boolean unicode) {
    static final RegexFlags DEFAULT = new RegexFlags(false, false, false, false);
}
