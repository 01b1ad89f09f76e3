package org.jdarknet.backend.cuda;

import org.jdarknet.backend.BackendUnderTest;
import org.jdarknet.backend.TrainingStepConformance;

/** The cuda backend passes {@link TrainingStepConformance} on a GPU; skipped, saying why, without one. */
class CudaTrainingStepTest extends TrainingStepConformance {
    @Override
    protected BackendUnderTest subject() {
        return CudaBackendUnderTest.INSTANCE;
    }
}
