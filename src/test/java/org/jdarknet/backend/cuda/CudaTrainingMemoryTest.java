package org.jdarknet.backend.cuda;

import org.jdarknet.backend.BackendUnderTest;
import org.jdarknet.backend.TrainingMemoryConformance;

/** The cuda backend passes {@link TrainingMemoryConformance} on a GPU; skipped, saying why, without one. */
class CudaTrainingMemoryTest extends TrainingMemoryConformance {
    @Override
    protected BackendUnderTest subject() {
        return CudaBackendUnderTest.INSTANCE;
    }
}
