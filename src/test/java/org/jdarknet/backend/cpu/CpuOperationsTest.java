package org.jdarknet.backend.cpu;

import org.jdarknet.backend.BackendUnderTest;
import org.jdarknet.backend.OperationsConformance;

/** The cpu backend, in each activation layout, passes {@link OperationsConformance}. */
class CpuOperationsTest extends OperationsConformance {
    @Override
    protected BackendUnderTest subject() {
        return CpuBackendUnderTest.INSTANCE;
    }
}
