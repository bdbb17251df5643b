/** What one scheduler step runs: {@code ScheduleBatch} (requests, their new-token ranges and KV rows). */
package org.sglang4j.engine.batch;
