package org.jdarknet.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.jdarknet.net.Network;
import org.jdarknet.weights.SmallNet.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightsWriterTest {
    @TempDir
    Path dir;

    /** The writer lays the values out as darknet does, byte for byte, after a 0.2.0 header. */
    @Test
    void writesDarknetsLayoutAndReadsItBack() throws IOException {
        Path file = dir.resolve("random.weights");
        Map<Tensor, float[]> values = new LinkedHashMap<>();
        try (Network network = SmallNet.build()) {
            RandomWeights.fill(network, 11);
            network.setSeen(5_000_000_000L);
            WeightsWriter.save(network, file);
            for (Tensor tensor : SmallNet.LAYOUT) {
                values.put(tensor, SmallNet.loaded(network, tensor));
            }
        }
        byte[] expected = SmallNet.append(WeightsFile.header64(0, 2, 0, 5_000_000_000L), values).toBytes();
        assertArrayEquals(expected, Files.readAllBytes(file));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (Network network = SmallNet.build()) {
            WeightsReader.load(network, file);
            assertEquals(5_000_000_000L, network.seen());
            for (Tensor tensor : SmallNet.LAYOUT) {
                assertArrayEquals(values.get(tensor), SmallNet.loaded(network, tensor), tensor.toString());
            }
        }
    }

    /** {@code save_weights_upto}: layers 0..cutoff-1 only, e.g. up to the [batchnorm] layer. */
    @Test
    void savesTheFirstLayersOnly() throws IOException {
        Path file = dir.resolve("first.weights");
        try (Network network = SmallNet.build()) {
            WeightsReader.load(network, SmallNet.append(WeightsFile.header64(0, 2, 0, 77), SmallNet.sequential())
                    .write(dir.resolve("all.weights")));
            WeightsWriter.save(network, file, 3, 0);
        }
        Map<Tensor, float[]> first = new LinkedHashMap<>(SmallNet.sequential());
        first.keySet().removeIf(tensor -> tensor.layer() >= 3);
        assertArrayEquals(SmallNet.append(WeightsFile.header64(0, 2, 0, 0), first).toBytes(), Files.readAllBytes(file));
    }

    @Test
    void dontsaveLeavesTheLayerOut() throws IOException {
        Path cfg = Files.writeString(dir.resolve("dontsave.cfg"),
                Files.readString(SmallNet.CFG).replace("[batchnorm]\n", "[batchnorm]\ndontsave=1\n"));
        Path file = dir.resolve("dontsave.weights");
        try (Network network = SmallNet.build(cfg)) {
            WeightsReader.load(network, SmallNet.append(WeightsFile.header64(0, 2, 0, 0), SmallNet.sequential())
                    .write(dir.resolve("all.weights")));
            WeightsWriter.save(network, file);
        }
        Map<Tensor, float[]> kept = new LinkedHashMap<>(SmallNet.sequential());
        kept.keySet().removeIf(tensor -> tensor.layer() == 3);
        assertArrayEquals(SmallNet.append(WeightsFile.header64(0, 2, 0, 0), kept).toBytes(), Files.readAllBytes(file));
    }

    /**
     * The file is written under a temporary name and renamed: when writing fails half way, the
     * previous file is untouched and nothing else is left in the directory.
     */
    @Test
    void aFailedWriteKeepsThePreviousFileAndLeavesNoPartialFile() throws IOException {
        Path file = Files.writeString(dir.resolve("model.weights"), "previous contents");
        AtomicInteger downloadsLeft = new AtomicInteger(Integer.MAX_VALUE);
        try (Network network = Network.build(SmallNet.CFG, failingAfter(downloadsLeft), 1)) {
            downloadsLeft.set(3);
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> WeightsWriter.save(network, file));
            assertEquals("device lost", e.getCause().getMessage());
        }
        assertEquals("previous contents", Files.readString(file));
        assertEquals(List.of(file), list(dir));
    }

    @Test
    void aSuccessfulWriteReplacesTheFileAndLeavesNothingElse() throws IOException {
        Path file = Files.writeString(dir.resolve("model.weights"), "previous contents");
        try (Network network = SmallNet.build()) {
            WeightsWriter.save(network, file);
        }
        assertEquals(SmallNet.FILE_SIZE, Files.size(file));
        assertEquals(List.of(file), list(dir));
    }

    @Test
    void aDirectoryIsNotReplaced() throws IOException {
        Path target = Files.createDirectory(dir.resolve("empty-dir"));
        try (Network network = SmallNet.build()) {
            WeightsException e = assertThrows(WeightsException.class, () -> WeightsWriter.save(network, target));
            assertEquals(target + ": is a directory; give the weights file's name", e.getMessage());
        }
        assertTrue(Files.isDirectory(target));
        assertEquals(List.of(target), list(dir));
    }

    /** A reference backend whose downloads fail once {@code downloadsLeft} reaches zero. */
    private static Backend failingAfter(AtomicInteger downloadsLeft) {
        ReferenceBackend backend = new ReferenceBackend();
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("download") && downloadsLeft.getAndDecrement() <= 0) {
                        throw new UncheckedIOException(new IOException("device lost"));
                    }
                    try {
                        return method.invoke(backend, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static List<Path> list(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().toList();
        }
    }
}
