/** Output stage: token-id outputs from the scheduler, incremental detokenization, delivery to listeners. */
package org.sglang4j.engine.io;
