package org.jdarknet.backend.cpu;

import org.jdarknet.backend.BackendUnderTest;
import org.jdarknet.backend.ChannelViewConformance;

/** The cpu backend, in each activation layout, passes {@link ChannelViewConformance} where it offers views. */
class CpuChannelViewTest extends ChannelViewConformance {
    @Override
    protected BackendUnderTest subject() {
        return CpuBackendUnderTest.INSTANCE;
    }
}
