/** Chat templates: rendering a model's own Jinja template (or a built-in one) into the prompt string. */
package org.sglang4j.core.chat;
