/** ModelRunner: turns a ScheduleBatch into one ragged forward pass over the KV pool and samples each row. */
package org.sglang4j.engine.runner;
