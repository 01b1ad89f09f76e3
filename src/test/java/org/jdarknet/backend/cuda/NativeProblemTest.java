package org.jdarknet.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The one line made from what JavaCPP throws when a CUDA library does not load. */
class NativeProblemTest {

    @Test
    void theDriverIsNamedFromTheRootCause() {
        UnsatisfiedLinkError link = new UnsatisfiedLinkError("no jnicudart in java.library.path: /usr/java/packages/lib");
        link.initCause(new UnsatisfiedLinkError("/root/.javacpp/cache/x/libjnicudart.so: libcuda.so.1: cannot open shared object file"));
        assertEquals("no GPU: the NVIDIA driver's libcuda.so.1 is not installed", NativeProblem.describe(link));
    }

    @Test
    void anotherMissingLibraryIsNamedWithWhereToLook() {
        UnsatisfiedLinkError link = new UnsatisfiedLinkError("libjnicudnn.so: libcudnn_cnn.so.9: cannot open shared object file");
        assertEquals("no usable GPU: the CUDA library libcudnn_cnn.so.9 is not found (is it on LD_LIBRARY_PATH?)",
                NativeProblem.describe(link));
    }

    @Test
    void aFailureNamingNoLibraryIsQuoted() {
        NoClassDefFoundError later = new NoClassDefFoundError("Could not initialize class org.bytedeco.cuda.global.cudart");
        assertEquals("no usable GPU: the CUDA libraries do not load (NoClassDefFoundError: Could not initialize class "
                + "org.bytedeco.cuda.global.cudart)", NativeProblem.describe(later));
    }
}
