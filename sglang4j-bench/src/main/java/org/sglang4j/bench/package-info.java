/** The {@code bench} command line, locating shared data and the peer, and the progress bar. */
package org.sglang4j.bench;
