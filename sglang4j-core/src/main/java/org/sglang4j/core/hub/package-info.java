/** Hugging Face Hub: repo ids as model paths, resolved in the standard HF cache and downloaded when missing. */
package org.sglang4j.core.hub;
