package org.jdarknet.backend;

/** A backend made of {@link ReferenceFallback} alone passes {@link TrainingOperationsConformance}, bit for bit. */
class HostTrainingOperationsTest extends TrainingOperationsConformance {
    @Override
    protected BackendUnderTest subject() {
        return BackendUnderTest.exact("host", HostBackend::new);
    }
}
