package org.sglang4j.core.safetensors;

/**
 * The element types the safetensors format defines, by their header names. Only {@link #F32}, {@link #F16} and
 * {@link #BF16} are readable as floats; the rest are known so that a file containing them still opens and the
 * error names the tensor and type when one of them is actually used.
 */
public enum SafetensorsDtype {
    BOOL(1), U8(1), I8(1), F8_E5M2(1), F8_E4M3(1), I16(2), U16(2), F16(2), BF16(2), I32(4), U32(4), F32(4),
    F64(8), I64(8), U64(8);

    private final int byteSize;

    SafetensorsDtype(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** Whether tensors of this type can be read as floats. */
    public boolean isFloatReadable() {
        return this == F32 || this == F16 || this == BF16;
    }

    /** The dtype with header name {@code name}; an unknown name is an error that names it. */
    public static SafetensorsDtype of(String name) {
        for (SafetensorsDtype d : values()) {
            if (d.name().equals(name)) return d;
        }
        throw new IllegalArgumentException("unknown safetensors dtype \"" + name + "\"");
    }
}
