/** {@code bin/sglang4j}: picocli commands ({@code serve}), {@code ServerArgs}, logging set-up. */
package org.sglang4j.server.cli;
