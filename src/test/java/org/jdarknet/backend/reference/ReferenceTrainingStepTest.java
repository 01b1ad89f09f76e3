package org.jdarknet.backend.reference;

import org.jdarknet.backend.BackendUnderTest;
import org.jdarknet.backend.TrainingStepConformance;

/** The reference backend passes {@link TrainingStepConformance} against itself, bit for bit. */
class ReferenceTrainingStepTest extends TrainingStepConformance {
    @Override
    protected BackendUnderTest subject() {
        return BackendUnderTest.exact("reference", ReferenceBackend::new);
    }
}
