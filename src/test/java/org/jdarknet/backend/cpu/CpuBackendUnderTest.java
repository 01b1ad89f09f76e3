package org.jdarknet.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jdarknet.backend.BackendUnderTest;
import org.jdarknet.backend.Shape;
import org.jdarknet.backend.Tensor;
import org.jdarknet.backend.Tolerances;

/**
 * The cpu backend in the conformance kit: one variant per activation layout it can use (it picks
 * one per CPU, so all are tested on any), softmax and the losses exact (they run on the reference
 * backend), and the padding lanes of blocked activation tensors zero after every operation.
 */
final class CpuBackendUnderTest implements BackendUnderTest {
    static final CpuBackendUnderTest INSTANCE = new CpuBackendUnderTest();

    private CpuBackendUnderTest() {
    }

    @Override
    public List<Variant> variants() {
        return Stream.of(Layout.Format.CHANNELS_LAST, Layout.Format.BLOCKED_16, Layout.Format.BLOCKED_8)
                .map(format -> new Variant(format.toString(), () -> new CpuBackend(0, format))).toList();
    }

    @Override
    public Optional<String> unavailableReason() {
        return CpuBackend.unavailableReason();
    }

    /** Skips the calling test class where oneDNN's natives cannot load, and prints why. */
    static void assumeAvailable() {
        Optional<String> problem = CpuBackend.unavailableReason();
        problem.ifPresent(reason -> System.err.println("cpu backend tests skipped: " + reason));
        assumeTrue(problem.isEmpty(), () -> "cpu backend tests skipped: " + problem.orElseThrow());
    }

    @Override
    public Tolerances tolerances() {
        return Tolerances.CONTRACT.withExactSoftmax();
    }

    /** The lanes of a blocked tensor's last channel block beyond its channel count are all zero. */
    @Override
    public void assertInvariants(Tensor tensor, String what) {
        if (!(tensor instanceof ActivationTensor activation)) {
            return;
        }
        Layout layout = activation.layout();
        Shape shape = layout.shape();
        FloatBuffer values = activation.values();
        int points = shape.h() * shape.w();
        for (int n = 0; n < shape.n(); n++) {
            for (int c = shape.c(); c < layout.paddedChannels(); c++) {
                for (int i = 0, index = layout.plane(n, c); i < points; i++, index += layout.pointStride()) {
                    assertEquals(0f, values.get(index), what + ": padding channel " + c + " of item " + n);
                }
            }
        }
    }
}
