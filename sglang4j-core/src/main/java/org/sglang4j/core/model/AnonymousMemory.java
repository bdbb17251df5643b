package org.sglang4j.core.model;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;

/**
 * Private anonymous memory from {@code mmap(MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE)}: address space whose
 * pages the kernel backs (with zeros) only when they are first written, so a large KV pool costs only the slots
 * that were ever used. {@link Arena#allocate} would zero, and so touch, every page at once. The mapping is
 * unmapped when the arena it is bound to closes. Where mmap is not available (not Linux or macOS on x86-64 or
 * arm64), memory comes from the arena, zero-filled and resident at once.
 */
final class AnonymousMemory {
    private AnonymousMemory() {}

    // The scratch for a call's errno and mincore's vector comes from a shared arena, never Arena.ofConfined(): the
    // first confined arena in the process loads a second kind of memory session, after which every off-heap access
    // of the weight kernels checks its session through a polymorphic call. Measured: decode steps 12-15% slower.

    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int MAP_PRIVATE = 2;

    /** The platform's flag values, or null where this class does not know them. */
    private record Flags(int anonymous, int noReserve, int pageSizeName) {}

    private static final Flags FLAGS = flags(System.getProperty("os.name"), System.getProperty("os.arch"));

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle MMAP;
    private static final MethodHandle MUNMAP;
    private static final MethodHandle MINCORE;
    private static final long PAGE_SIZE;

    static {
        MethodHandle mmap = null, munmap = null, mincore = null;
        long page = 4096;
        if (FLAGS != null) {
            SymbolLookup libc = LINKER.defaultLookup();
            Linker.Option errno = Linker.Option.captureCallState("errno");
            mmap = LINKER.downcallHandle(libc.findOrThrow("mmap"), FunctionDescriptor.of(ValueLayout.ADDRESS,
                    ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG), errno);
            munmap = LINKER.downcallHandle(libc.findOrThrow("munmap"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
            mincore = LINKER.downcallHandle(libc.findOrThrow("mincore"), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
            MethodHandle sysconf = LINKER.downcallHandle(libc.findOrThrow("sysconf"),
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
            try {
                page = (long) sysconf.invokeExact(FLAGS.pageSizeName());
            } catch (Throwable e) {
                throw new ExceptionInInitializerError(e);
            }
        }
        MMAP = mmap;
        MUNMAP = munmap;
        MINCORE = mincore;
        PAGE_SIZE = page;
    }

    static Flags flags(String os, String arch) {
        String a = arch == null ? "" : arch.toLowerCase(Locale.ROOT);
        if (!(a.equals("amd64") || a.equals("x86_64") || a.equals("aarch64") || a.equals("arm64"))) return null;
        String o = os == null ? "" : os.toLowerCase(Locale.ROOT);
        if (o.startsWith("linux")) return new Flags(0x20, 0x4000, 30); // _SC_PAGESIZE = 30
        if (o.startsWith("mac")) return new Flags(0x1000, 0x40, 29);
        return null;
    }

    /** True when {@link #map} reserves address space lazily (mmap) rather than allocating from the arena. */
    static boolean lazy() {
        return MMAP != null;
    }

    /**
     * {@code bytes} of zeroed memory, page-aligned, valid until {@code arena} closes (which unmaps it).
     *
     * @throws IllegalArgumentException when the system refuses the mapping (errno in the message)
     */
    static MemorySegment map(long bytes, Arena arena) {
        if (bytes < 1) throw new IllegalArgumentException("cannot map " + bytes + " bytes");
        if (MMAP == null) return arena.allocate(bytes, 64);
        try (Arena call = Arena.ofShared()) {
            MemorySegment state = call.allocate(CALL_STATE);
            MemorySegment addr = (MemorySegment) MMAP.invokeExact(state, MemorySegment.NULL, bytes,
                    PROT_READ | PROT_WRITE, MAP_PRIVATE | FLAGS.anonymous() | FLAGS.noReserve(), -1, 0L);
            if (addr.address() == -1L) {
                int errno = (int) ERRNO.get(state, 0L);
                throw new IllegalArgumentException("mmap of " + bytes + " bytes failed, errno " + errno
                        + (errno == 12 ? " (ENOMEM: not enough address space or memory)" : ""));
            }
            return addr.reinterpret(bytes, arena, s -> unmap(s.address(), bytes));
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("mmap of " + bytes + " bytes failed", e);
        }
    }

    private static void unmap(long address, long bytes) {
        try {
            int rc = (int) MUNMAP.invokeExact(MemorySegment.ofAddress(address), bytes);
            if (rc != 0) throw new IllegalStateException("munmap of " + bytes + " bytes at " + address + " failed");
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("munmap failed", e);
        }
    }

    /**
     * Bytes of {@code segment} (from {@link #map}) that are resident now, in whole pages ({@code mincore}); its whole
     * size where memory came from the arena.
     */
    static long residentBytes(MemorySegment segment) {
        if (MINCORE == null) return segment.byteSize();
        long pages = (segment.byteSize() + PAGE_SIZE - 1) / PAGE_SIZE;
        // One status byte per page; in chunks so a huge pool needs no huge vector.
        long chunkPages = 1 << 20;
        long resident = 0;
        try (Arena call = Arena.ofShared()) {
            MemorySegment vec = call.allocate(Math.min(pages, chunkPages));
            for (long p0 = 0; p0 < pages; p0 += chunkPages) {
                long n = Math.min(chunkPages, pages - p0);
                long len = Math.min(n * PAGE_SIZE, segment.byteSize() - p0 * PAGE_SIZE);
                int rc = (int) MINCORE.invokeExact(MemorySegment.ofAddress(segment.address() + p0 * PAGE_SIZE), len,
                        vec);
                if (rc != 0) return -1;
                for (long i = 0; i < n; i++) if ((vec.get(ValueLayout.JAVA_BYTE, i) & 1) != 0) resident++;
            }
        } catch (Throwable e) {
            return -1;
        }
        return Math.min(resident * PAGE_SIZE, segment.byteSize());
    }
}
