/** Supported model architecture families and their distinguishing features. */
package org.sglang4j.core.arch;
