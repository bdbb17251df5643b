package org.sglang4j.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sglang4j.core.demo.DemoModel;
import org.sglang4j.core.gguf.GgufFile;
import org.sglang4j.core.hub.HfHub;
import org.sglang4j.core.kernel.ComputePool;
import org.sglang4j.core.loader.GgufModelLoader;
import org.sglang4j.core.model.ForwardState;
import org.sglang4j.core.model.KvCache;
import org.sglang4j.core.model.KvDtype;
import org.sglang4j.core.model.Model;
import org.sglang4j.core.model.ModelConfig;
import org.sglang4j.core.model.ModelLoader;
import org.sglang4j.core.tokenizer.Llama2cTokenizer;
import org.sglang4j.core.tokenizer.Tokenizer;
import org.sglang4j.core.tokenizer.Tokenizers;
import org.sglang4j.engine.runner.LoadedModel;
import org.sglang4j.engine.runner.ModelForward;

/**
 * Turns {@code --model-path} / {@code --tokenizer-path} into a {@link LoadedModel}: a GGUF file (tokenizer from
 * its metadata), a Hugging Face model directory ({@code tokenizer.json} in it), a Hugging Face repo id (resolved in
 * the HF cache, downloaded when missing — see {@link HfHub}), a llama2.c checkpoint (tokenizer from
 * {@code --tokenizer-path}, else {@code tokenizer.bin} or {@code tok<vocab>.bin} beside it), or nothing at all for
 * the built-in demo model.
 */
final class ModelFiles {
    private static final System.Logger LOG = System.getLogger("sglang4j.engine");

    private ModelFiles() {}

    static LoadedModel load(EngineConfig config) {
        Path path;
        if (config.modelPath() == null) {
            LOG.log(Level.WARNING, DemoModel.WARNING);
            path = DemoModel.file();
        } else {
            path = resolve(config.modelPath());
        }
        KvDtype dtype = kvDtype(config.kvCacheDtype());
        Model model;
        Tokenizer tokenizer;
        if (config.tokenizerPath() == null && isGguf(path)) {
            // Model and tokenizer from one parse of the file: its metadata (vocabulary, merges: 18 MB for Qwen2)
            // is read once, and is garbage once both are built.
            GgufFile file = open(path);
            try {
                tokenizer = Tokenizers.fromGguf(file);
                model = GgufModelLoader.load(file);
            } catch (RuntimeException e) {
                file.close();
                throw e;
            }
        } else {
            model = ModelLoader.load(path);
            tokenizer = tokenizer(path, config.tokenizerPath(), model.config().vocabSize());
        }
        ModelConfig c = model.config();
        if (tokenizer.vocabSize() > c.vocabSize()) {
            throw new IllegalArgumentException("tokenizer has " + tokenizer.vocabSize() + " tokens but the model's"
                    + " vocabulary is " + c.vocabSize() + ": wrong --tokenizer-path?");
        }
        return new LoadedModel(c.architecture(), model.quantization(), c.contextLength(), c.vocabSize(),
                model.weightBytes(), KvCache.bytesPerToken(c, dtype), tokenizer,
                (slots, maxTokens, threads) -> new ModelForward(model, new KvCache(c, slots, dtype),
                        new ForwardState(c, Math.min(maxTokens, ModelForward.PASS_TOKENS),
                                Math.min(maxTokens, ModelForward.PASS_TOKENS)), new ComputePool(threads)));
    }

    private static boolean isGguf(Path path) {
        try {
            return GgufFile.isGguf(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    private static GgufFile open(Path path) {
        try {
            return GgufFile.open(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load model " + path, e);
        }
    }

    /** A local path as is; a Hugging Face repo id from the HF cache, downloaded with progress when missing. */
    private static Path resolve(String modelPath) {
        try {
            return HfHub.resolve(modelPath);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--model-path: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("--model-path " + modelPath + ": " + e.getMessage(), e);
        }
    }

    static KvDtype kvDtype(String name) {
        return switch (name == null ? "auto" : name) {
            case "auto", "f32", "float32" -> KvDtype.F32;
            case "f16", "float16", "fp16" -> KvDtype.F16;
            case "bf16", "bfloat16" -> KvDtype.BF16;
            default -> throw new IllegalArgumentException("--kv-cache-dtype " + name + " is not supported; use auto, "
                    + "f32, f16 or bf16");
        };
    }

    private static Tokenizer tokenizer(Path model, String tokenizerPath, int vocab) {
        try {
            if (tokenizerPath != null) {
                Path t = Path.of(tokenizerPath);
                if (Files.isDirectory(t)) return Tokenizers.fromHfDirectory(t);
                if (!Files.isRegularFile(t)) throw new IllegalArgumentException("--tokenizer-path " + t + " not found");
                return GgufFile.isGguf(t) ? fromGguf(t) : Llama2cTokenizer.load(t, vocab);
            }
            if (Files.isDirectory(model)) return Tokenizers.fromHfDirectory(model);
            if (GgufFile.isGguf(model)) return fromGguf(model);
            Path dir = model.toAbsolutePath().getParent();
            for (Path t : new Path[] {dir.resolve("tokenizer.bin"), dir.resolve("tok" + vocab + ".bin")}) {
                if (Files.isRegularFile(t)) return Llama2cTokenizer.load(t, vocab);
            }
            throw new IllegalArgumentException("no tokenizer for llama2.c checkpoint " + model + ": put tokenizer.bin or"
                    + " tok" + vocab + ".bin beside it or pass --tokenizer-path");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the tokenizer", e);
        }
    }

    private static Tokenizer fromGguf(Path path) throws IOException {
        try (GgufFile f = GgufFile.open(path)) {
            return Tokenizers.fromGguf(f);
        }
    }
}
