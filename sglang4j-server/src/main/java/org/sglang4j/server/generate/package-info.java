/** SGLang's native API: {@code /generate} (request mapping, streaming, meta_info) and the ops endpoints. */
package org.sglang4j.server.generate;
