/** CPU compute kernels over {@code tensor} weights (Vector API matmul) and the thread pool that runs them. */
package org.sglang4j.core.kernel;
