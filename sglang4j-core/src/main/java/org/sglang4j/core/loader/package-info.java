/** Builds a {@link org.sglang4j.core.model.Model} from GGUF files, Hugging Face directories and llama2.c checkpoints. */
package org.sglang4j.core.loader;
