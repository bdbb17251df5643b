package org.sglang4j.core.tensor;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The optional native kernels (AVX-512 VNNI, {@code src/main/c/vnni_tiles.c}) for {@link Q4_0TiledTensor} and
 * {@link Q8_0TiledTensor}: the
 * Vector API has no integer dot-product operation, so the Java kernels multiply 4-bit weights in 16-bit lanes at a
 * quarter of what {@code vpdpbusd} does per instruction, and batched decode was compute-bound on that. The build
 * compiles the library into the core jar when a C compiler is present; it is used when it loads, the CPU has
 * VNNI, the vectors are 512 bits (the tile layout's 16 rows) and {@code -Dsglang4j.native=false} is not set.
 * Otherwise every kernel is Java. For Q4_0 both give the same results bit for bit (same integer sums, same float
 * operations in the same order), which the tests check; Q8_0 is tiled only for the native kernel, which quantizes
 * the activations to 8 bits as llama.cpp does. The library also repacks both formats at load time.
 */
public final class VnniKernels {
    private VnniKernels() {}

    private static final String RESOURCE = "/native/linux-x86_64/libsglang4j.so";
    private static final MethodHandle Q4_0_TILES;
    private static final MethodHandle Q8_0_TILES;
    private static final MethodHandle Q4_0_REPACK;
    private static final MethodHandle Q8_0_REPACK;
    /** Why the native kernel is not used, or {@code null} when it is. */
    private static final String UNAVAILABLE;

    static {
        MethodHandle h = null, h8 = null, r4 = null, r8 = null;
        String why;
        try {
            why = load();
            if (why == null) {
                Linker linker = Linker.nativeLinker();
                SymbolLookup lib = SymbolLookup.libraryLookup(extract(), Arena.global());
                MethodHandle supported = linker.downcallHandle(lib.findOrThrow("sg_vnni_supported"),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT));
                if ((int) supported.invokeExact() == 0) {
                    why = "the CPU lacks AVX-512 VNNI";
                } else {
                    ValueLayout a = ValueLayout.ADDRESS, i = ValueLayout.JAVA_INT;
                    // Critical: no safepoint during a call (microseconds in decode, milliseconds in a long prefill),
                    // so heap arrays go in directly and nothing is allocated per call.
                    FunctionDescriptor tiles = FunctionDescriptor.ofVoid(a, ValueLayout.JAVA_LONG, i, i, i, a, a, a,
                            i, a, i, i);
                    h = linker.downcallHandle(lib.findOrThrow("sg_q4_0_tiles"), tiles, Linker.Option.critical(true));
                    h8 = linker.downcallHandle(lib.findOrThrow("sg_q8_0_tiles"), tiles, Linker.Option.critical(true));
                    // Critical too, so heap-backed tensors (tests) go in: a call copies at most REPACK_TILES tiles.
                    FunctionDescriptor repack = FunctionDescriptor.ofVoid(a, a, i, i, i, ValueLayout.JAVA_LONG);
                    r4 = linker.downcallHandle(lib.findOrThrow("sg_q4_0_repack"), repack, Linker.Option.critical(true));
                    r8 = linker.downcallHandle(lib.findOrThrow("sg_q8_0_repack"), repack, Linker.Option.critical(true));
                }
            }
        } catch (Throwable e) {
            why = "the native library did not load: " + e;
        }
        Q4_0_TILES = h;
        Q8_0_TILES = h8;
        Q4_0_REPACK = r4;
        Q8_0_REPACK = r8;
        UNAVAILABLE = h8 == null ? why : null;
    }

    /** Whether {@link #tiles} runs (else callers use the Java kernels). */
    public static boolean available() {
        return Q8_0_TILES != null;
    }

    /** One line for start-up logs: which kernels run and, for Java, why not the native one. */
    public static String describe() {
        return available() ? "native AVX-512 VNNI (Q4_0, Q8_0) + Java Vector API" : "Java Vector API (" + UNAVAILABLE + ")";
    }

    /** Null when the library may be used, else the reason it is not. */
    private static String load() {
        if (!Boolean.parseBoolean(System.getProperty("sglang4j.native", "true"))) return "-Dsglang4j.native=false";
        if (Q4_0TiledTensor.TILE != 16) return "vectors are not 512 bits";
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) return "not Linux x86-64";
        if (VnniKernels.class.getResource(RESOURCE) == null) return "the build had no C compiler";
        return null;
    }

    /** The library copied out of the jar (or classes directory) into a temporary file the loader can open. */
    private static Path extract() throws IOException {
        Path file = Files.createTempFile("libsglang4j", ".so");
        file.toFile().deleteOnExit();
        try (InputStream in = VnniKernels.class.getResourceAsStream(RESOURCE)) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    /**
     * Tiles {@code [tile0, tile1)} of a tiled Q8_0 ({@code q8}) or Q4_0 matrix ({@code data}, scales from byte
     * {@code scaleBase}, {@code blocks} blocks per row) times {@code nTokens} tokens in the layout of
     * {@link ActivationQ8#quantizeBytes} or {@link ActivationQ8#vnniBytes} ({@code act}, {@code corr}) with their
     * scales {@code xs} ({@code blocks} per token); token t's result for row {@code 16·tile + r} goes to
     * {@code out[outOff + t·stride + 16·(tile − tile0) + r]}.
     */
    static void tiles(boolean q8, MemorySegment data, long scaleBase, int blocks, int tile0, int tile1,
                      MemorySegment act, MemorySegment corr, MemorySegment xs, int nTokens, MemorySegment out,
                      int outOff, int stride) {
        try {
            (q8 ? Q8_0_TILES : Q4_0_TILES).invokeExact(data, scaleBase, blocks, tile0, tile1, act, corr, xs, nTokens,
                    out, outOff, stride);
        } catch (Throwable e) {
            throw new IllegalStateException("native " + (q8 ? "Q8_0" : "Q4_0") + " kernel failed", e);
        }
    }

    /** Tiles per repacking call: the calls of one matrix spread over the cores. */
    private static final int REPACK_TILES = 64;

    /**
     * Writes the GGUF Q8_0 ({@code q8}) or Q4_0 matrix {@code src} ({@code tiles} tiles of 16 rows, {@code blocks}
     * blocks per row) into {@code dst} in the tiled layout of {@link Q8_0TiledTensor} or {@link Q4_0TiledTensor},
     * scales from byte {@code scaleBase}: the bytes their Java repacking writes, on every core.
     */
    static void repack(boolean q8, MemorySegment src, MemorySegment dst, int blocks, int tiles, long scaleBase) {
        MethodHandle h = q8 ? Q8_0_REPACK : Q4_0_REPACK;
        IntStream.range(0, (tiles + REPACK_TILES - 1) / REPACK_TILES).parallel().forEach(chunk -> {
            int t0 = chunk * REPACK_TILES, t1 = Math.min(tiles, t0 + REPACK_TILES);
            try {
                h.invokeExact(src, dst, blocks, t0, t1, scaleBase);
            } catch (Throwable e) {
                throw new IllegalStateException("native repacking failed", e);
            }
        });
    }
}
