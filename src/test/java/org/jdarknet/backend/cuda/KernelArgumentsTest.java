package org.jdarknet.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.jdarknet.backend.Shape;
import org.junit.jupiter.api.Test;

/**
 * The parameter arrays handed to {@code cuLaunchKernel}, read back as the driver reads them:
 * entry i points to memory holding argument i, in the C type the kernel declares.
 */
class KernelArgumentsTest {

    @Test
    void everyEntryPointsAtItsValueInTheDeclaredType() {
        try (BytePointer fakeDevice = new BytePointer(64)) {
            DeviceTensor tensor = new DeviceTensor(new Shape(1, 2, 2, 2), null, fakeDevice);
            try (KernelArguments arguments = KernelArguments.pack(Kernel.EPILOGUE, tensor, 8L, 2, 4, null, null, null, 1,
                    tensor, 11)) {
                PointerPointer<Pointer> array = arguments.array();
                assertEquals(fakeDevice.address(), slot(array, 0).getLong());
                assertEquals(8L, slot(array, 1).getLong());
                assertEquals(2, slot(array, 2).getInt());
                assertEquals(4, slot(array, 3).getInt());
                assertEquals(0L, slot(array, 4).getLong(), "a null optional pointer is NULL");
                assertEquals(1, slot(array, 7).getInt());
                assertEquals(fakeDevice.address(), slot(array, 8).getLong());
                assertEquals(11, slot(array, 9).getInt());
            }
        }
    }

    @Test
    void floatsAndWideCountsKeepTheirBits() {
        try (BytePointer fakeDevice = new BytePointer(16)) {
            DeviceTensor tensor = new DeviceTensor(Shape.vector(4), null, fakeDevice);
            long seed = 0x8000_0000_1234_5678L;
            try (KernelArguments arguments = KernelArguments.pack(Kernel.DROPOUT_FORWARD, tensor, tensor, 3, 0.25f, seed)) {
                PointerPointer<Pointer> array = arguments.array();
                assertEquals(3L, slot(array, 2).getLong(), "an int count widens to the kernel's long long");
                assertEquals(Float.floatToRawIntBits(0.25f), slot(array, 3).getInt());
                assertEquals(0.25f, slot(array, 3).getFloat());
                assertEquals(seed, slot(array, 4).getLong());
            }
        }
    }

    @Test
    void theSlotsAreDistinctAndEightBytesApart() {
        try (KernelArguments arguments = KernelArguments.pack(Kernel.SEGMENT_SUMS, null, null, 1L, 2L)) {
            PointerPointer<Pointer> array = arguments.array();
            for (int i = 1; i < 4; i++) {
                assertEquals(KernelArguments.SLOT_BYTES, array.get(i).address() - array.get(i - 1).address());
            }
        }
    }

    @Test
    void aWrongArgumentIsRefusedNamingTheKernelAndThePosition() {
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class, () -> KernelArguments.pack(Kernel.FILL, null, 1L));
        assertEquals("jd_fill takes 3 arguments, not 2", count.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> KernelArguments.pack(Kernel.FILL, null, 1L, 2.0));
        assertEquals("jd_fill's argument 2 must be a Float, not 2.0", type.getMessage());
    }

    @Test
    void anIncompleteArrayIsNeverHandedOut() {
        try (KernelArguments arguments = new KernelArguments(2)) {
            arguments.integer(1);
            assertThrows(IllegalStateException.class, arguments::array);
            arguments.real(2f);
            assertThrows(IllegalStateException.class, () -> arguments.integer(3));
        }
    }

    private static BytePointer slot(PointerPointer<Pointer> array, int index) {
        return new BytePointer(array.get(index));
    }
}
