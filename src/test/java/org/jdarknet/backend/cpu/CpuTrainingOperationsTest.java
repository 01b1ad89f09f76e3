package org.jdarknet.backend.cpu;

import org.jdarknet.backend.BackendUnderTest;
import org.jdarknet.backend.TrainingOperationsConformance;

/** The cpu backend, in each activation layout, passes {@link TrainingOperationsConformance}. */
class CpuTrainingOperationsTest extends TrainingOperationsConformance {
    @Override
    protected BackendUnderTest subject() {
        return CpuBackendUnderTest.INSTANCE;
    }
}
