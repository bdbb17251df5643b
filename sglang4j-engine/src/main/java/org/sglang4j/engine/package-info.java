/** The in-process engine API ({@code Engine}): model loading, request validation, and the threads behind it. */
package org.sglang4j.engine;
