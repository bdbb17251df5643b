/** The scheduler thread (SGLang {@code managers/scheduler.py}): queues, prefill admission, decode, retraction, KV ownership. */
package org.sglang4j.engine.scheduler;
