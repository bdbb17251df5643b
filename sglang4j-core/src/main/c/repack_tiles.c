/*
 * Load-time repacking of GGUF Q4_0 and Q8_0 matrices into the tiled layouts of Q4_0TiledTensor and
 * Q8_0TiledTensor (byte for byte what their Java repack would write; layouts described there). In Java the first
 * load runs this before the JIT has compiled it, which made loading a 500 MB Q8_0 file take 0.6-0.8 s; compiled
 * C copies at memory speed. Used where the native library is (VnniKernels); plain C, any x86-64.
 */
#include <stdint.h>
#include <string.h>

#define TILE 16

static uint64_t load64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static uint32_t load32(const uint8_t *p) {
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static void store32(uint8_t *p, uint32_t v) {
    memcpy(p, &v, 4);
}

/* The low nibbles of the 8 bytes of x, each XOR 8 ((q - 8) mod 16), packed into one int (byte j -> bits 4j). */
static uint32_t nibbles(uint64_t x) {
    x = (x ^ 0x0808080808080808ULL) & 0x0F0F0F0F0F0F0F0FULL;
    x = (x | (x >> 4)) & 0x00FF00FF00FF00FFULL;
    x = (x | (x >> 8)) & 0x0000FFFF0000FFFFULL;
    return (uint32_t) (x | (x >> 16));
}

/* Tiles [tile0, tile1) of a Q4_0 matrix with `blocks` blocks of 32 per row; scales go from byte scaleBase. */
void sg_q4_0_repack(const uint8_t *src, uint8_t *dst, int32_t blocks, int32_t tile0, int32_t tile1,
                    int64_t scaleBase) {
    for (int64_t tile = tile0; tile < tile1; tile++) {
        for (int r = 0; r < TILE; r++) {
            const uint8_t *row = src + (tile * TILE + r) * blocks * 18;
            for (int64_t b = 0; b < blocks; b++) {
                const uint8_t *s = row + b * 18;
                uint64_t lo = load64(s + 2), hi = load64(s + 10);
                int64_t tb = tile * blocks + b;
                uint8_t *at = dst + tb * 16 * TILE + 4 * r;
                /* Byte i holds values i (low nibble) and i + 16 (high): chunks 0, 1 are the low nibbles of bytes
                 * 0-7 and 8-15, chunks 2, 3 their high nibbles. */
                store32(at, nibbles(lo));
                store32(at + 4 * TILE, nibbles(hi));
                store32(at + 8 * TILE, nibbles(lo >> 4));
                store32(at + 12 * TILE, nibbles(hi >> 4));
                memcpy(dst + scaleBase + (tb * TILE + r) * 2, s, 2);
            }
        }
    }
}

/* Tiles [tile0, tile1) of a Q8_0 matrix: values as q + 128 (XOR 0x80 per byte), four per int lane. */
void sg_q8_0_repack(const uint8_t *src, uint8_t *dst, int32_t blocks, int32_t tile0, int32_t tile1,
                    int64_t scaleBase) {
    for (int64_t tile = tile0; tile < tile1; tile++) {
        for (int r = 0; r < TILE; r++) {
            const uint8_t *row = src + (tile * TILE + r) * blocks * 34;
            for (int64_t b = 0; b < blocks; b++) {
                const uint8_t *s = row + b * 34;
                int64_t tb = tile * blocks + b;
                for (int c = 0; c < 8; c++) store32(dst + (tb * 8 + c) * 4 * TILE + 4 * r, load32(s + 2 + 4 * c) ^ 0x80808080u);
                memcpy(dst + scaleBase + (tb * TILE + r) * 2, s, 2);
            }
        }
    }
}
