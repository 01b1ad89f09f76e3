package org.jdarknet.backend.cpu;

import org.jdarknet.backend.BackendUnderTest;
import org.jdarknet.backend.ZooConformance;

/** The cpu backend, in each activation layout, passes {@link ZooConformance}. */
class CpuZooTest extends ZooConformance {
    @Override
    protected BackendUnderTest subject() {
        return CpuBackendUnderTest.INSTANCE;
    }
}
