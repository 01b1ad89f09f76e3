package org.jdarknet.backend;

/** A backend made of {@link ReferenceFallback} alone passes {@link OperationsConformance}, bit for bit. */
class HostOperationsTest extends OperationsConformance {
    @Override
    protected BackendUnderTest subject() {
        return BackendUnderTest.exact("host", HostBackend::new);
    }
}
