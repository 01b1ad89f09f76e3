package org.jdarknet.backend.cpu;

import org.bytedeco.javacpp.BytePointer;

/**
 * The settings of libgomp, the OpenMP runtime oneDNN runs its threads on.
 *
 * <p>By default its idle threads spin for a while before sleeping. On a machine with as few
 * cores as threads that is a disaster when anything else runs: a thread spinning at a barrier
 * holds the core that the thread it waits for needs, and every primitive can lose a scheduler
 * time slice (measured here: darknet53 9× slower while another process used one core). Passive
 * waiting costs a wake-up per primitive instead.
 */
final class OpenMp {
    /** Kept alive for the whole process: {@code putenv} keeps the pointer, not a copy. */
    private static BytePointer waitPolicy;

    /** What this thread last asked for; OpenMP keeps the setting per calling thread. */
    private static final ThreadLocal<Integer> THREADS = new ThreadLocal<>();

    private final NativeFunction setNumThreads;

    private OpenMp(NativeFunction setNumThreads) {
        this.setNumThreads = setNumThreads;
    }

    /**
     * Makes idle OpenMP threads sleep at once, unless the user chose {@code OMP_WAIT_POLICY}.
     * Must run before libgomp is loaded: it reads its environment only then.
     */
    static synchronized void preferPassiveWaiting() throws ReflectiveOperationException {
        if (System.getenv("OMP_WAIT_POLICY") == null && waitPolicy == null) {
            waitPolicy = new BytePointer("OMP_WAIT_POLICY=passive");
            NativeFunction.find("putenv").call(waitPolicy.address());
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
