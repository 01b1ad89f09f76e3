package org.jdarknet.backend.cpu;

import java.util.List;

/** Which parameter tensors a value was derived from, and the versions they had then. */
final class Versions {
    private final List<ParameterTensor> tensors;
    private final long[] versions;

    private Versions(List<ParameterTensor> tensors) {
        this.tensors = List.copyOf(tensors);
        this.versions = new long[tensors.size()];
        for (int i = 0; i < versions.length; i++) { // a loop, not a stream: its first use is in a one-image classify's only pass
            versions[i] = tensors.get(i).version();
        }
    }

    /** The current versions of {@code tensors}. */
    static Versions of(List<ParameterTensor> tensors) {
        return new Versions(tensors);
    }

    /** Whether {@code sources} are the same tensors, none of them changed since. */
    boolean current(List<ParameterTensor> sources) {
        if (sources.size() != tensors.size()) {
            return false;
        }
        for (int i = 0; i < versions.length; i++) {
            if (sources.get(i) != tensors.get(i) || tensors.get(i).version() != versions[i]) {
                return false;
            }
        }
        return true;
    }
}
