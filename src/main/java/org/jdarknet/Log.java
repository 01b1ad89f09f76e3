package org.jdarknet;

import java.io.PrintStream;

/**
 * Diagnostics go to stderr so that stdout carries only results and can be piped, as darknet does
 * with its predictions. {@link #setVerbose} turns on detail meant for debugging.
 */
public final class Log {
    private static volatile boolean verbose;
    private static volatile boolean quiet;
    private static final PrintStream ERR = System.err;
    /** Set while work is done a second time (a network measured before it is built), whose warnings were said once. */
    private static final ThreadLocal<Boolean> MUTED = ThreadLocal.withInitial(() -> false);

    private Log() {
    }

    public static void setVerbose(boolean on) {
        verbose = on;
    }

    public static boolean verbose() {
        return verbose;
    }

    /** Silences info and warnings (errors still print); used by tests and machine-readable output. */
    public static void setQuiet(boolean on) {
        quiet = on;
    }

    public static void info(String message) {
        if (!quiet) {
            ERR.println(message);
        }
    }

    public static void detail(String message) {
        if (verbose && !quiet) {
            ERR.println(message);
        }
    }

    /** Runs {@code work} without the warnings it would print on this thread. */
    public static void withoutWarnings(Runnable work) {
        MUTED.set(true);
        try {
            work.run();
        } finally {
            MUTED.set(false);
        }
    }

    public static void warn(String message) {
        if (!quiet && !MUTED.get()) {
            ERR.println("warning: " + message);
        }
    }

    public static void error(String message) {
        ERR.println("error: " + message);
    }

    /** The stack trace of an error reported with {@link #error}, on the same stream. */
    public static void stackTrace(Throwable problem) {
        problem.printStackTrace(ERR);
    }
}
