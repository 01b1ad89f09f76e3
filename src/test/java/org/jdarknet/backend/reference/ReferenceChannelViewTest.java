package org.jdarknet.backend.reference;

import org.jdarknet.backend.BackendUnderTest;
import org.jdarknet.backend.ChannelViewConformance;

/** The reference backend's views pass {@link ChannelViewConformance}, against its own dense operations. */
class ReferenceChannelViewTest extends ChannelViewConformance {
    @Override
    protected BackendUnderTest subject() {
        return BackendUnderTest.exact("reference", ReferenceBackend::new);
    }
}
