/** The llama.cpp peer: locating a build, running llama-quantize, llama-bench and llama-server. */
package org.sglang4j.bench.peer;
