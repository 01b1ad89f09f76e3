package org.jdarknet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Darknet's {@code -gpus 0,1,2} and the one-line errors for what is not such a list. */
class GpuListTest {

    @Test
    void parsesDarknetsCommaSeparatedList() {
        assertEquals(List.of(0, 1, 3), GpuList.parse("0,1,3").devices());
        assertEquals(List.of(2), GpuList.parse("2").devices());
        assertEquals(List.of(1, 0), GpuList.parse("1, 0").devices());
    }

    @Test
    void malformedListsAreOneLineErrors() {
        assertEquals("-gpus 0,x: expected GPU numbers separated by commas, such as -gpus 0,1; 'x' is not one",
                assertThrows(IllegalArgumentException.class, () -> GpuList.parse("0,x")).getMessage());
        for (String bad : new String[] {"", "0,", ",1", "-1", "0;1", "1.5", "99999999999"}) {
            assertThrows(IllegalArgumentException.class, () -> GpuList.parse(bad), bad);
        }
        assertEquals("-gpus 0,1,0: GPU 0 is named twice",
                assertThrows(IllegalArgumentException.class, () -> GpuList.parse("0,1,0")).getMessage());
    }
}
