package org.jdarknet.backend;

/** A backend made of {@link ReferenceFallback} alone passes {@link ConvolutionConformance}, bit for bit. */
class HostConvolutionTest extends ConvolutionConformance {
    @Override
    protected BackendUnderTest subject() {
        return BackendUnderTest.exact("host", HostBackend::new);
    }
}
