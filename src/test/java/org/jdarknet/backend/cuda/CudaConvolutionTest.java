package org.jdarknet.backend.cuda;

import org.jdarknet.backend.BackendUnderTest;
import org.jdarknet.backend.ConvolutionConformance;

/** The cuda backend passes {@link ConvolutionConformance} on a GPU; skipped, saying why, without one. */
class CudaConvolutionTest extends ConvolutionConformance {
    @Override
    protected BackendUnderTest subject() {
        return CudaBackendUnderTest.INSTANCE;
    }
}
