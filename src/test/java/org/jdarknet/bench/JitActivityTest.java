package org.jdarknet.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The JIT is quiet once it has compiled nothing for half a second, and loud again when it compiles. */
class JitActivityTest {
    private long millis;
    private long nanos;

    private JitActivity watched() {
        return new JitActivity(() -> millis, () -> nanos);
    }

    @Test
    void quietAfterHalfASecondWithoutACompilation() {
        JitActivity jit = watched();
        millis = 40;
        nanos = 100_000_000L;
        assertFalse(jit.quiet(), "it compiled since it was first asked");
        nanos += JitActivity.QUIET_NANOS - 1;
        assertFalse(jit.quiet());
        nanos += 1;
        assertTrue(jit.quiet());
        millis = 41;
        nanos += 1;
        assertFalse(jit.quiet(), "a compilation starts the half second again");
        nanos += JitActivity.QUIET_NANOS;
        assertTrue(jit.quiet());
    }

    @Test
    void aJvmThatDoesNotSayIsQuiet() {
        assertTrue(new JitActivity(() -> -1, () -> 0).quiet());
    }
}
