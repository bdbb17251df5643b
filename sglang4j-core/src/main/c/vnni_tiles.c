/*
 * Optional native kernels: Q4_0 and Q8_0 weights in the tiled layouts of Q4_0TiledTensor and Q8_0TiledTensor
 * times activations quantized by ActivationQ8, with AVX-512 VNNI (vpdpbusd: 64 byte products summed into 16 int
 * lanes per instruction). The Java Vector API has no integer dot-product operation, so its kernels multiply in
 * 16-bit lanes at a quarter of this rate; the JVM loads this library only where the CPU has VNNI and otherwise
 * runs the Java kernels.
 *
 * Q4_0 results are bit for bit those of the Java kernel (Q4_0TileKernels): per block the same exact integer sum,
 * the same f16-scale decoding, the same float multiply and fused multiply-add, in the same block order. Q8_0
 * follows the same steps (it has no Java integer kernel to match).
 *
 * Layouts (see Q4_0TiledTensor, Q8_0TiledTensor and ActivationQ8):
 *   Q4_0:    [tile][block][chunk 0..3][16 int lanes]; lane r holds values 8c+j (j = 0..7) of row r as
 *            (q - 8) mod 16 in bits 4j..4j+3.
 *            act: per token, block and chunk two dwords: bytes a[8c+0,2,4,6] and a[8c+1,3,5,7] (signed).
 *            corr: per token and block, -8 * (sum of the block's 32 activation values).
 *   Q8_0:    [tile][block][chunk 0..7][16 int lanes]; lane r holds values 4c..4c+3 of row r as q + 128 (unsigned).
 *            act: per token, block and chunk one dword: bytes a[4c..4c+3]. corr: -128 * (sum of the block's a).
 *   Both:    f16 row scales [tile][block][16] from byte offset scaleBase; xs: per token and block, the
 *            activation scale.
 */
#include <immintrin.h>
#include <stdint.h>

#define TILE 16
#define MAX_TOKENS 8
#define VNNI __attribute__((target("avx512f,avx512bw,avx512vnni")))

int sg_vnni_supported(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
        && __builtin_cpu_supports("avx512vnni");
}

/*
 * One tile (16 rows) times N tokens of format Q8 (0: Q4_0, 1: Q8_0); N and Q8 are constants in every inlined copy,
 * so the arrays live in registers.
 */
static inline __attribute__((always_inline)) VNNI void tile_tokens(
        const int Q8, const int N, const uint8_t *nib, const uint16_t *scales, int blocks,
        const int32_t *act, const int32_t *corr, const float *xs, float *out, int64_t stride) {
    const __m512i low4 = _mm512_set1_epi8(0x0F), bias = _mm512_set1_epi8(0x08);
    const __m512i halfMask = _mm512_set1_epi32((int32_t) 0x8FFFE000);
    const int64_t actStride = (int64_t) blocks * 8;
    const int64_t blockBytes = Q8 ? 8 * 4 * TILE : 4 * 4 * TILE;
    /*
     * K partial sums per token (integer, so their order does not matter): with one or two tokens a single chain
     * of dependent vpdpbusd would bound the speed by its latency, not by memory.
     */
    const int K = N == 1 ? 4 : N <= 3 ? 2 : 1;
    __m512 f[MAX_TOKENS];
    __m512i a[4][MAX_TOKENS];
    _Pragma("GCC unroll 8")
    for (int t = 0; t < N; t++) f[t] = _mm512_setzero_ps();
    for (int b = 0; b < blocks; b++) {
        _Pragma("GCC unroll 8")
        for (int t = 0; t < N; t++) {
            a[0][t] = _mm512_set1_epi32(corr[t * (int64_t) blocks + b]);
            _Pragma("GCC unroll 4")
            for (int k = 1; k < K; k++) a[k][t] = _mm512_setzero_si512();
        }
        if (Q8) {
            _Pragma("GCC unroll 8")
            for (int c = 0; c < 8; c++) {
                __m512i w = _mm512_loadu_si512((const void *) (nib + (int64_t) b * blockBytes + c * 4 * TILE));
                const int32_t *at = act + (int64_t) b * 8 + c;
                _Pragma("GCC unroll 8")
                for (int t = 0; t < N; t++) {
                    a[c % K][t] = _mm512_dpbusd_epi32(a[c % K][t], w, _mm512_set1_epi32(at[t * actStride]));
                }
            }
        } else {
            _Pragma("GCC unroll 4")
            for (int c = 0; c < 4; c++) {
                __m512i v = _mm512_loadu_si512((const void *) (nib + (int64_t) b * blockBytes + c * 4 * TILE));
                /* Stored nibbles are q ^ 8: flip bit 3 back to get q in 0..15, unsigned as vpdpbusd wants. */
                __m512i lo = _mm512_and_si512(_mm512_xor_si512(v, bias), low4);
                __m512i hi = _mm512_and_si512(_mm512_xor_si512(_mm512_srli_epi32(v, 4), bias), low4);
                const int32_t *at = act + ((int64_t) b * 4 + c) * 2;
                _Pragma("GCC unroll 8")
                for (int t = 0; t < N; t++) {
                    int k0 = (2 * c) % K, k1 = (2 * c + 1) % K;
                    a[k0][t] = _mm512_dpbusd_epi32(a[k0][t], lo, _mm512_set1_epi32(at[t * actStride]));
                    a[k1][t] = _mm512_dpbusd_epi32(a[k1][t], hi, _mm512_set1_epi32(at[t * actStride + 1]));
                }
            }
        }
        _Pragma("GCC unroll 8")
        for (int t = 0; t < N; t++) {
            _Pragma("GCC unroll 4")
            for (int k = 1; k < K; k++) a[0][t] = _mm512_add_epi32(a[0][t], a[k][t]);
        }
        /* f16 scales moved into float position (times 2^-112), as Q4_0TileKernels.scales does. */
        __m512i h = _mm512_cvtepi16_epi32(_mm256_loadu_si256((const __m256i *) (scales + (int64_t) b * TILE)));
        __m512 d = _mm512_castsi512_ps(_mm512_and_si512(_mm512_slli_epi32(h, 13), halfMask));
        _Pragma("GCC unroll 8")
        for (int t = 0; t < N; t++) {
            __m512 s = _mm512_mul_ps(d, _mm512_set1_ps(xs[t * (int64_t) blocks + b] * 0x1p112f));
            f[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(a[0][t]), s, f[t]);
        }
    }
    _Pragma("GCC unroll 8")
    for (int t = 0; t < N; t++) _mm512_storeu_ps(out + t * stride, f[t]);
}

/*
 * One token over S tiles at once (memory-bound decode): S sequential streams per thread, which the hardware
 * prefetchers serve faster than one. Same integer sums (two partial sums, exact) and float steps per tile as
 * tile_tokens.
 */
static inline __attribute__((always_inline)) VNNI void one_token_streams(
        const int Q8, const int S, const uint8_t *const *nib, const uint16_t *const *scales, int blocks,
        const int32_t *act, const int32_t *corr, const float *xs, float *const *out) {
    const __m512i low4 = _mm512_set1_epi8(0x0F), bias = _mm512_set1_epi8(0x08);
    const __m512i halfMask = _mm512_set1_epi32((int32_t) 0x8FFFE000);
    const int64_t blockBytes = Q8 ? 8 * 4 * TILE : 4 * 4 * TILE;
    __m512 f[4];
    __m512i a[4][2];
    _Pragma("GCC unroll 4")
    for (int s = 0; s < S; s++) f[s] = _mm512_setzero_ps();
    for (int b = 0; b < blocks; b++) {
        _Pragma("GCC unroll 4")
        for (int s = 0; s < S; s++) {
            a[s][0] = _mm512_set1_epi32(corr[b]);
            a[s][1] = _mm512_setzero_si512();
        }
        if (Q8) {
            _Pragma("GCC unroll 8")
            for (int c = 0; c < 8; c++) {
                __m512i x = _mm512_set1_epi32(act[(int64_t) b * 8 + c]);
                _Pragma("GCC unroll 4")
                for (int s = 0; s < S; s++) {
                    __m512i w = _mm512_loadu_si512((const void *) (nib[s] + (int64_t) b * blockBytes + c * 4 * TILE));
                    a[s][c % 2] = _mm512_dpbusd_epi32(a[s][c % 2], w, x);
                }
            }
        } else {
            _Pragma("GCC unroll 4")
            for (int c = 0; c < 4; c++) {
                __m512i x0 = _mm512_set1_epi32(act[((int64_t) b * 4 + c) * 2]);
                __m512i x1 = _mm512_set1_epi32(act[((int64_t) b * 4 + c) * 2 + 1]);
                _Pragma("GCC unroll 4")
                for (int s = 0; s < S; s++) {
                    __m512i v = _mm512_loadu_si512((const void *) (nib[s] + (int64_t) b * blockBytes + c * 4 * TILE));
                    __m512i lo = _mm512_and_si512(_mm512_xor_si512(v, bias), low4);
                    __m512i hi = _mm512_and_si512(_mm512_xor_si512(_mm512_srli_epi32(v, 4), bias), low4);
                    a[s][0] = _mm512_dpbusd_epi32(a[s][0], lo, x0);
                    a[s][1] = _mm512_dpbusd_epi32(a[s][1], hi, x1);
                }
            }
        }
        __m512 m = _mm512_set1_ps(xs[b] * 0x1p112f);
        _Pragma("GCC unroll 4")
        for (int s = 0; s < S; s++) {
            __m512i h = _mm512_cvtepi16_epi32(_mm256_loadu_si256((const __m256i *) (scales[s] + (int64_t) b * TILE)));
            __m512 d = _mm512_castsi512_ps(_mm512_and_si512(_mm512_slli_epi32(h, 13), halfMask));
            f[s] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(_mm512_add_epi32(a[s][0], a[s][1])), _mm512_mul_ps(d, m), f[s]);
        }
    }
    _Pragma("GCC unroll 4")
    for (int s = 0; s < S; s++) _mm512_storeu_ps(out[s], f[s]);
}

/* Tiles [tile0, tile1) of format Q8 in passes of up to eight tokens. */
static inline __attribute__((always_inline)) VNNI void tiles(
        const int Q8, const uint8_t *data, int64_t scaleBase, int32_t blocks, int32_t tile0, int32_t tile1,
        const int32_t *act, const int32_t *corr, const float *xs, int32_t nTokens, float *out, int32_t outOff,
        int32_t stride) {
    const int64_t tileBytes = (int64_t) blocks * (Q8 ? 32 : 16) * TILE;
    int32_t first = tile0;
    /*
     * One token: up to four tiles from evenly spaced points of what is left at a time, so the thread reads four
     * sequential streams (a whole decode step's Q8_0 matrices: 7% faster than one stream per thread, 2 cores).
     */
    while (nTokens == 1 && first < tile1) {
        int32_t left = tile1 - first;
        int streams = left >= 4 ? 4 : left;
        int32_t per = left / streams;
        for (int32_t i = 0; i < per; i++) {
            const uint8_t *nib[4];
            const uint16_t *sc[4];
            float *o[4];
            for (int s = 0; s < streams; s++) {
                int32_t tile = first + s * per + i;
                nib[s] = data + tile * tileBytes;
                sc[s] = (const uint16_t *) (data + scaleBase + (int64_t) tile * blocks * 2 * TILE);
                o[s] = out + outOff + (int64_t) (tile - tile0) * TILE;
            }
            switch (streams) {
                case 4: one_token_streams(Q8, 4, nib, sc, blocks, act, corr, xs, o); break;
                case 3: one_token_streams(Q8, 3, nib, sc, blocks, act, corr, xs, o); break;
                case 2: one_token_streams(Q8, 2, nib, sc, blocks, act, corr, xs, o); break;
                default: one_token_streams(Q8, 1, nib, sc, blocks, act, corr, xs, o); break;
            }
        }
        first += streams * per;
    }
    for (int32_t tile = first; tile < tile1; tile++) {
        const uint8_t *nib = data + tile * tileBytes;
        const uint16_t *sc = (const uint16_t *) (data + scaleBase + (int64_t) tile * blocks * 2 * TILE);
        float *o = out + outOff + (int64_t) (tile - tile0) * TILE;
        for (int32_t t0 = 0; t0 < nTokens; t0 += MAX_TOKENS) {
            int n = nTokens - t0 < MAX_TOKENS ? nTokens - t0 : MAX_TOKENS;
            const int32_t *a = act + (int64_t) t0 * blocks * 8;
            const int32_t *cr = corr + (int64_t) t0 * blocks;
            const float *x = xs + (int64_t) t0 * blocks;
            float *ot = o + (int64_t) t0 * stride;
            switch (n) {
                case 1: tile_tokens(Q8, 1, nib, sc, blocks, a, cr, x, ot, stride); break;
                case 2: tile_tokens(Q8, 2, nib, sc, blocks, a, cr, x, ot, stride); break;
                case 3: tile_tokens(Q8, 3, nib, sc, blocks, a, cr, x, ot, stride); break;
                case 4: tile_tokens(Q8, 4, nib, sc, blocks, a, cr, x, ot, stride); break;
                case 5: tile_tokens(Q8, 5, nib, sc, blocks, a, cr, x, ot, stride); break;
                case 6: tile_tokens(Q8, 6, nib, sc, blocks, a, cr, x, ot, stride); break;
                case 7: tile_tokens(Q8, 7, nib, sc, blocks, a, cr, x, ot, stride); break;
                default: tile_tokens(Q8, 8, nib, sc, blocks, a, cr, x, ot, stride); break;
            }
        }
    }
}

/*
 * Tiles [tile0, tile1) times nTokens tokens: token t's result for row 16*tile + r goes to
 * out[outOff + t*stride + 16*(tile - tile0) + r]. Token t's act, corr and xs start at t * blocks * 8, t * blocks
 * and t * blocks.
 */
VNNI void sg_q4_0_tiles(const uint8_t *data, int64_t scaleBase, int32_t blocks, int32_t tile0, int32_t tile1,
                        const int32_t *act, const int32_t *corr, const float *xs, int32_t nTokens,
                        float *out, int32_t outOff, int32_t stride) {
    tiles(0, data, scaleBase, blocks, tile0, tile1, act, corr, xs, nTokens, out, outOff, stride);
}

VNNI void sg_q8_0_tiles(const uint8_t *data, int64_t scaleBase, int32_t blocks, int32_t tile0, int32_t tile1,
                        const int32_t *act, const int32_t *corr, const float *xs, int32_t nTokens,
                        float *out, int32_t outOff, int32_t stride) {
    tiles(1, data, scaleBase, blocks, tile0, tile1, act, corr, xs, nTokens, out, outOff, stride);
}
