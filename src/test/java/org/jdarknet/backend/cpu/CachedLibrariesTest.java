package org.jdarknet.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The remembered list of oneDNN's libraries is used only for the bindings it was written for, and only whole. */
class CachedLibrariesTest {
    @TempDir
    Path dir;
    private final Map<String, String> loaded = new LinkedHashMap<>();

    @BeforeEach
    void libraries() throws IOException {
        for (String name : List.of("jniOpenCL", "jnidnnl", "dnnl@.3", "gomp@.1", "OpenCL@.1", "jnijavacpp")) {
            loaded.put(name, Files.createFile(dir.resolve("lib" + name.replace("@", "") + ".so")).toString());
        }
    }

    @Test
    void whatIsRememberedIsReadBackInLoadOrderWithoutWhatIsNotNeeded() {
        CachedLibraries cached = CachedLibraries.in(dir, "dnnl.jar javacpp.jar");
        assertTrue(cached.remember(loaded));
        List<Path> libraries = cached.read().orElseThrow();
        assertEquals(CachedLibraries.NEEDED.stream().map(name -> Path.of(loaded.get(name))).toList(), libraries);
        assertEquals(Path.of(loaded.get("gomp@.1")), CachedLibraries.openMp(libraries));
    }

    @Test
    void otherBindingsHaveAListOfTheirOwn() {
        assertTrue(CachedLibraries.in(dir, "dnnl.jar javacpp.jar").remember(loaded));
        assertEquals(Optional.empty(), CachedLibraries.in(dir, "dnnl-3.12.jar javacpp-1.5.14.jar").read());
        Path file = dir.resolve("list.txt");
        assertTrue(new CachedLibraries(file, "dnnl.jar javacpp.jar").remember(loaded));
        assertEquals(Optional.empty(), new CachedLibraries(file, "dnnl-3.12.jar javacpp.jar").read(),
                "a list written for other jars, found under this name");
    }

    @Test
    void aListWithALibraryGoneIsNotUsed() throws IOException {
        CachedLibraries cached = CachedLibraries.in(dir, "dnnl.jar javacpp.jar");
        assertTrue(cached.remember(loaded));
        Files.delete(Path.of(loaded.get("dnnl@.3")));
        assertEquals(Optional.empty(), cached.read());
    }

    @Test
    void nothingIsRememberedWithoutEveryLibraryNeeded() {
        loaded.remove("OpenCL@.1");
        CachedLibraries cached = CachedLibraries.in(dir, "dnnl.jar javacpp.jar");
        assertFalse(cached.remember(loaded));
        assertEquals(Optional.empty(), cached.read());
    }

    @Test
    void aGarbledOrForgottenListIsNotUsed() throws IOException {
        Path file = dir.resolve("list.txt");
        CachedLibraries cached = new CachedLibraries(file, "dnnl.jar javacpp.jar");
        assertTrue(cached.remember(loaded));
        List<String> lines = Files.readAllLines(file);
        Files.write(file, lines.subList(0, lines.size() - 1));
        assertEquals(Optional.empty(), cached.read(), "a line short");
        Files.write(file, new byte[] {(byte) 0xff, 0, 1});
        assertEquals(Optional.empty(), cached.read(), "not text");
        assertTrue(cached.remember(loaded));
        cached.forget();
        assertFalse(Files.exists(file));
        assertEquals(Optional.empty(), cached.read());
    }
}
