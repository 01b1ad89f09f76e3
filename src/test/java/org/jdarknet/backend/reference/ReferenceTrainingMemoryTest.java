package org.jdarknet.backend.reference;

import org.jdarknet.backend.BackendUnderTest;
import org.jdarknet.backend.TrainingMemoryConformance;

/** The reference backend passes {@link TrainingMemoryConformance}. */
class ReferenceTrainingMemoryTest extends TrainingMemoryConformance {
    @Override
    protected BackendUnderTest subject() {
        return BackendUnderTest.exact("reference", ReferenceBackend::new);
    }
}
