package org.jdarknet.backend.cpu;

import org.bytedeco.javacpp.BytePointer;

/**
 * The settings of libgomp, the OpenMP runtime oneDNN runs its threads on.
 *
 * <p>By default its idle threads spin for milliseconds before sleeping. On a machine with as few
 * cores as threads that is a disaster when anything else runs: a thread spinning at a barrier
 * holds the core that the thread it waits for needs, and every primitive can lose a scheduler
 * time slice. Sleeping at once (passive waiting) avoids that, but costs a wake-up per primitive,
 * which makes small networks slow and erratic. A thousand spins bridge the gap between two
 * primitives of a pass and are then given up. The measurements behind this choice are in
 * docs/benchmarks.md ("OpenMP waiting").
 */
final class OpenMp {
    /** Kept alive for the whole process: {@code putenv} keeps the pointer, not a copy. */
    private static BytePointer spinCount;

    /** What this thread last asked for; OpenMP keeps the setting per calling thread. */
    private static final ThreadLocal<Integer> THREADS = new ThreadLocal<>();

    private final NativeFunction setNumThreads;

    private OpenMp(NativeFunction setNumThreads) {
        this.setNumThreads = setNumThreads;
    }

    /**
     * Makes idle OpenMP threads sleep after a thousand spins, unless the user chose how they wait
     * ({@code OMP_WAIT_POLICY} or {@code GOMP_SPINCOUNT}). Must run before libgomp is loaded: it
     * reads its environment only then.
     */
    static synchronized void limitSpinning() throws ReflectiveOperationException {
        boolean userChose = System.getenv("OMP_WAIT_POLICY") != null || System.getenv("GOMP_SPINCOUNT") != null;
        if (!userChose && spinCount == null) {
            spinCount = new BytePointer("GOMP_SPINCOUNT=1000");
            NativeFunction.find("putenv").call(spinCount.address());
        }
    }

    /** The thread-count setter; libgomp must be loaded. */
    static OpenMp find() throws ReflectiveOperationException {
        return new OpenMp(NativeFunction.find("omp_set_num_threads"));
    }

    /** Makes primitives run from the calling thread use {@code threads} threads. */
    void useThreads(int threads) {
        Integer current = THREADS.get();
        if (current == null || current != threads) {
            setNumThreads.call(threads);
            THREADS.set(threads);
        }
    }
}
