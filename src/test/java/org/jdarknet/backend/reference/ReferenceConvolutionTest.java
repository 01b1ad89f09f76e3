package org.jdarknet.backend.reference;

import org.jdarknet.backend.BackendUnderTest;
import org.jdarknet.backend.ConvolutionConformance;

/** The reference backend passes {@link ConvolutionConformance} against itself, bit for bit. */
class ReferenceConvolutionTest extends ConvolutionConformance {
    @Override
    protected BackendUnderTest subject() {
        return BackendUnderTest.exact("reference", ReferenceBackend::new);
    }
}
