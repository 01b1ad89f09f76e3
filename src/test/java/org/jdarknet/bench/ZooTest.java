package org.jdarknet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jdarknet.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZooTest {

    @Test
    void listsCfgFilesOnlyFamiliesInOrderOfSize(@TempDir Path zoo) throws IOException {
        for (String name : List.of("resnet152.cfg", "resnet50.cfg", "darknet53.cfg", "darknet.cfg", "tiny.cfg",
                "resnet101.cfg", "darknet19.cfg", "imagenet1k.data")) {
            Files.writeString(zoo.resolve(name), "");
        }
        List<String> names = Zoo.cfgs(zoo).stream().map(p -> p.getFileName().toString()).toList();
        assertEquals(List.of("darknet.cfg", "darknet19.cfg", "darknet53.cfg", "resnet50.cfg", "resnet101.cfg",
                "resnet152.cfg", "tiny.cfg"), names);
    }

    @Test
    void theProjectZooHasTheTenImageNetModelsAndFashionMnist() {
        List<String> names = Zoo.cfgs(Path.of("cfg")).stream().map(p -> p.getFileName().toString()).sorted().toList();
        assertEquals(List.of("cspdarknet53.cfg", "darknet.cfg", "darknet19.cfg", "darknet53.cfg", "densenet121.cfg",
                "densenet201.cfg", "fashion-mnist.cfg", "resnet101.cfg", "resnet152.cfg", "resnet50.cfg", "tiny.cfg"), names);
    }

    @Test
    void aMissingOrEmptyZooSaysSo(@TempDir Path empty) {
        assertThrows(UsageException.class, () -> Zoo.cfgs(empty.resolve("nowhere")));
        assertThrows(UsageException.class, () -> Zoo.cfgs(empty));
    }
}
