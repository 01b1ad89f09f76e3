package org.jdarknet.backend;

/** A backend made of {@link ReferenceFallback} alone passes {@link TrainingStepConformance}, bit for bit. */
class HostTrainingStepTest extends TrainingStepConformance {
    @Override
    protected BackendUnderTest subject() {
        return BackendUnderTest.exact("host", HostBackend::new);
    }
}
