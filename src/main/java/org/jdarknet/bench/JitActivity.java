package org.jdarknet.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/**
 * Whether the JVM's JIT compiler has gone quiet. On a machine with few cores each compilation
 * takes a core from the backend's threads for a while: the runs timed while the JIT still
 * compiles scatter (tiny's 75th/25th percentile 1.09–1.37 after two seconds of warm-up on a
 * 2-core machine, 1.02–1.04 after eight, docs/benchmarks.md).
 */
final class JitActivity {
    /** How long the JIT must have compiled nothing to count as quiet. */
    static final long QUIET_NANOS = 500_000_000L;

    private final LongSupplier compiledMillis;
    private final LongSupplier nanoClock;
    private long lastMillis = -1;
    private long lastCompiled;

    /**
     * @param compiledMillis the JIT's total compilation time so far, in milliseconds; negative
     *                       when the JVM does not say (then it always counts as quiet)
     * @param nanoClock      the time, in nanoseconds
     */
    JitActivity(LongSupplier compiledMillis, LongSupplier nanoClock) {
        this.compiledMillis = compiledMillis;
        this.nanoClock = nanoClock;
        this.lastCompiled = nanoClock.getAsLong();
    }

    /** This JVM's compiler, watched from now. */
    static JitActivity ofThisJvm() {
        CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
        boolean says = compiler != null && compiler.isCompilationTimeMonitoringSupported();
        return new JitActivity(says ? compiler::getTotalCompilationTime : () -> -1, System::nanoTime);
    }

    /** Whether nothing was compiled in the last {@link #QUIET_NANOS}; asked between runs. */
    boolean quiet() {
        long millis = compiledMillis.getAsLong();
        if (millis < 0) {
            return true;
        }
        long now = nanoClock.getAsLong();
        if (millis != lastMillis) {
            lastMillis = millis;
            lastCompiled = now;
        }
        return now - lastCompiled >= QUIET_NANOS;
    }
}
