package org.jdarknet.backend.cuda;

import org.jdarknet.backend.BackendUnderTest;
import org.jdarknet.backend.TrainingOperationsConformance;

/** The cuda backend passes {@link TrainingOperationsConformance} on a GPU; skipped, saying why, without one. */
class CudaTrainingOperationsTest extends TrainingOperationsConformance {
    @Override
    protected BackendUnderTest subject() {
        return CudaBackendUnderTest.INSTANCE;
    }
}
