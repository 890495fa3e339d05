package dev.captioner.app;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;

/**
 * Tells glibc's malloc to keep the memory of large arrays for reuse instead of handing it back to the
 * kernel after each free. Why: libtorch allocates a fresh array for every op, and a beam-search step makes
 * arrays of up to 32 MB ((80, 196, 512) float32). Called from Java threads, those come from glibc arenas
 * that are unmapped or shrunk when they are freed, so the next step page-faults the same memory in again:
 * 20 to 30 % of the CPU time went to the kernel. With these settings the benchmark's beam search of 16
 * images with K = 5 took 540 to 800 ms against 810 to 925 ms without, in interleaved runs. The same
 * settings can be given as the environment variables {@code MALLOC_MMAP_THRESHOLD_}, {@code
 * MALLOC_TRIM_THRESHOLD_} and {@code MALLOC_TOP_PAD_}.
 *
 * <p>Process-wide, so only the command line applies it, once, at start; a program that uses the library
 * may call {@link #apply()} itself. Resident memory then stays at its peak instead of shrinking after it.
 * Off with {@code -Dcaptioner.malloc-tuning=false}; a C library without {@code mallopt} (not glibc) is left
 * as it is.
 */
public final class MallocTuning {
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_TOP_PAD = -2;
    private static final int M_MMAP_THRESHOLD = -3;
    /** The largest threshold glibc accepts on 64-bit: arrays up to 32 MB come from the heap. */
    private static final int MMAP_THRESHOLD = 32 << 20;
    private static final int TRIM_THRESHOLD = 1 << 30;
    private static final int TOP_PAD = 128 << 20;

    private MallocTuning() {}

    /**
     * Applies the settings where glibc is there and the property {@code captioner.malloc-tuning} is not
     * {@code false}.
     *
     * @return whether every setting was accepted
     */
    public static boolean apply() {
        if ("false".equalsIgnoreCase(System.getProperty("captioner.malloc-tuning"))
                || !System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return false;
        }
        try {
            Function mallopt = NativeLibrary.getInstance("c").getFunction("mallopt");
            // mallopt returns 1 on success.
            return mallopt.invokeInt(new Object[] {M_MMAP_THRESHOLD, MMAP_THRESHOLD}) == 1
                    & mallopt.invokeInt(new Object[] {M_TRIM_THRESHOLD, TRIM_THRESHOLD}) == 1
                    & mallopt.invokeInt(new Object[] {M_TOP_PAD, TOP_PAD}) == 1;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false; // no glibc: nothing to tune
        }
    }
}
