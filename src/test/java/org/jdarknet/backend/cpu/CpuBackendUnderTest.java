package org.jdarknet.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Optional;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.memory;
import org.jdarknet.backend.BackendUnderTest;
import org.jdarknet.backend.Shape;
import org.jdarknet.backend.Tensor;
import org.jdarknet.backend.Tolerances;

/**
 * The cpu backend in the conformance kit: one variant per activation layout it can use (it picks
 * one per CPU, so all are tested on any), within the contract's tolerances (softmax on oneDNN
 * included), and the padding lanes of blocked activation tensors zero after every operation.
 */
final class CpuBackendUnderTest implements BackendUnderTest {
    static final CpuBackendUnderTest INSTANCE = new CpuBackendUnderTest();
    private static final List<Layout.Format> FORMATS = List.of(Layout.Format.CHANNELS_LAST, Layout.Format.BLOCKED_16,
            Layout.Format.BLOCKED_8);

    private CpuBackendUnderTest() {
    }

    @Override
    public List<Variant> variants() {
        return variantsOf(FORMATS);
    }

    /**
     * The layouts whose convolutions oneDNN runs with real kernels on this CPU: without AVX-512
     * it has none for {@code nChw16c} and falls back to its reference loops, which take hours
     * over the zoo. Such a layout is left out of whole networks, saying so, and still checked op
     * by op.
     */
    @Override
    public List<Variant> wholeNetworkVariants() {
        return variantsOf(FORMATS.stream().filter(format -> {
            boolean fast = hasRealConvolutionKernel(format);
            if (!fast) {
                System.err.println("zoo on the cpu backend: " + format + " left out, oneDNN has only its reference"
                        + " convolution for it on this CPU");
            }
            return fast;
        }).toList());
    }

    private static List<Variant> variantsOf(List<Layout.Format> formats) {
        return formats.stream().map(format -> new Variant(format.toString(), () -> new CpuBackend(0, format))).toList();
    }

    private static boolean hasRealConvolutionKernel(Layout.Format format) {
        long[] strides = {1, 1};
        long[] padding = {1, 1};
        Shape typical = new Shape(1, 64, 32, 32);
        try (engine cpu = new engine(engine.kind.cpu, 0);
             memory.desc activations = Descriptors.of(typical, format.tag());
             memory.desc weights = Descriptors.any(typical.c(), typical.c(), 3, 3);
             convolution_forward.primitive_desc convolution = new convolution_forward.primitive_desc(cpu,
                     prop_kind.forward_inference, algorithm.convolution_direct, activations, weights, activations,
                     strides, padding, padding)) {
            return !convolution.impl_info_str().getString().startsWith("ref");
        }
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
        return Tolerances.CONTRACT;
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
