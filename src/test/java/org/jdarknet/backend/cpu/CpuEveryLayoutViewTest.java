package org.jdarknet.backend.cpu;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.BackendUnderTest;
import org.jdarknet.backend.ChannelViewConformance;
import org.jdarknet.backend.Tensor;
import org.jdarknet.backend.Tolerances;

/**
 * The cpu backend's views in every layout, including those it declines on this CPU because
 * oneDNN would convolve them with its reference kernel ({@code nhwc} without AVX-512): a view
 * is made for every slice of whole channel blocks, so that {@link ChannelViewConformance} checks
 * their arithmetic wherever another CPU's kernels take them. The shapes are tiny, so the
 * reference kernels are quick.
 */
class CpuEveryLayoutViewTest extends ChannelViewConformance {
    private static final BackendUnderTest EVERY_SLICE = new BackendUnderTest() {
        @Override
        public List<Variant> variants() {
            return CpuBackendUnderTest.INSTANCE.variants().stream()
                    .map(variant -> new Variant(variant.name() + " (every slice)", () -> everySlice(variant.create().get())))
                    .toList();
        }

        @Override
        public Optional<String> unavailableReason() {
            return CpuBackendUnderTest.INSTANCE.unavailableReason();
        }

        @Override
        public Tolerances tolerances() {
            return CpuBackendUnderTest.INSTANCE.tolerances();
        }

        @Override
        public void assertInvariants(Tensor tensor, String what) {
            CpuBackendUnderTest.INSTANCE.assertInvariants(tensor, what);
        }
    };

    @Override
    protected BackendUnderTest subject() {
        return EVERY_SLICE;
    }

    /** {@code backend}, offering a view of every slice oneDNN can describe (whole channel blocks). */
    private static Backend everySlice(Backend backend) {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("channelSlice")) {
                        ActivationTensor parent = ActivationTensor.of((Tensor) args[0]);
                        int first = (int) args[1];
                        int channels = (int) args[2];
                        int block = parent.layout().block();
                        return first % block == 0 && channels % block == 0
                                ? Optional.of(ActivationTensor.view(parent, first, channels)) : Optional.empty();
                    }
                    try {
                        return method.invoke(backend, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
