package org.sglang4j.engine;

/** What was loaded, for {@code /get_model_info}, {@code /v1/models} and the start-up log. */
public record ModelInfo(String modelPath, String tokenizerPath, String servedModelName, String architecture,
                        String quantization, int contextLength, int vocabSize, long weightBytes,
                        int maxTotalTokens, long kvCacheBytes, int maxRunningRequests, boolean isDemoModel) {}
