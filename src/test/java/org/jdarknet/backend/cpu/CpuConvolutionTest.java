package org.jdarknet.backend.cpu;

import org.jdarknet.backend.BackendUnderTest;
import org.jdarknet.backend.ConvolutionConformance;

/** The cpu backend, in each activation layout, passes {@link ConvolutionConformance}. */
class CpuConvolutionTest extends ConvolutionConformance {
    @Override
    protected BackendUnderTest subject() {
        return CpuBackendUnderTest.INSTANCE;
    }
}
