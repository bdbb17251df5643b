/** Weight tensors in ggml storage formats (F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q4_K, Q5_K, Q6_K) over mapped memory. */
package org.sglang4j.core.tensor;
