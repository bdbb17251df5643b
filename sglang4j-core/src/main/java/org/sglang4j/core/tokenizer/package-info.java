/** Text ↔ token ids: byte-level BPE, SentencePiece BPE, llama2.c and WordPiece vocabularies, incremental detokenization. */
package org.sglang4j.core.tokenizer;
