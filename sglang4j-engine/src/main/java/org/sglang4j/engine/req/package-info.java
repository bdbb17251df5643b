/** Requests: the public request/response records of the Engine API and the scheduler's per-request state {@code Req}. */
package org.sglang4j.engine.req;
