/** The built-in demo model: deterministic random weights and a small byte-level BPE vocabulary, generated in code. */
package org.sglang4j.core.demo;
