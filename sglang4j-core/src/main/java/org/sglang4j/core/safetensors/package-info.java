/** The safetensors file format: memory-mapped single files and sharded model directories. */
package org.sglang4j.core.safetensors;
