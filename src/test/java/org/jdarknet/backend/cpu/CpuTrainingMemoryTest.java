package org.jdarknet.backend.cpu;

import org.jdarknet.backend.BackendUnderTest;
import org.jdarknet.backend.TrainingMemoryConformance;

/** The cpu backend, in each activation layout, passes {@link TrainingMemoryConformance}. */
class CpuTrainingMemoryTest extends TrainingMemoryConformance {
    @Override
    protected BackendUnderTest subject() {
        return CpuBackendUnderTest.INSTANCE;
    }
}
