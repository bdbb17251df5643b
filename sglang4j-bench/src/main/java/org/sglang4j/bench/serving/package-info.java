/** {@code bench serving}: online serving benchmark over HTTP streaming APIs, with launched peer servers. */
package org.sglang4j.bench.serving;
