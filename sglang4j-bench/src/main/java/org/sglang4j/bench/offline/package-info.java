/** {@code bench offline}: in-process engine throughput for a batch of requests. */
package org.sglang4j.bench.offline;
