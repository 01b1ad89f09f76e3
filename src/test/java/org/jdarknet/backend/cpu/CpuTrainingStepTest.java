package org.jdarknet.backend.cpu;

import org.jdarknet.backend.BackendUnderTest;
import org.jdarknet.backend.TrainingStepConformance;

/** The cpu backend, in each activation layout, passes {@link TrainingStepConformance}. */
class CpuTrainingStepTest extends TrainingStepConformance {
    @Override
    protected BackendUnderTest subject() {
        return CpuBackendUnderTest.INSTANCE;
    }
}
