package org.jdarknet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Proxy;
import java.lang.reflect.RecordComponent;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jdarknet.backend.Shape;
import org.jdarknet.calibration.Calibration;
import org.junit.jupiter.api.Test;

/**
 * The records whose {@code equals} and {@code hashCode} are written out (to spare the first pass
 * their {@code invokedynamic} bootstrap, see {@code Shape#equals}) must keep the semantics the
 * Java language gives a record: equal exactly when every component is (floats compared as
 * {@link Float#compare} does, so NaN equals NaN), with equal hash codes. Every such record in
 * jdarknet's classes is found and checked, so a component added later and forgotten fails here.
 */
class WrittenOutRecordEqualityTest {

    @Test
    void everyWrittenOutRecordIsEqualExactlyWhenItsComponentsAre() throws Exception {
        List<Class<?>> records = writtenOutRecords();
        assertTrue(records.size() >= 15, "found only " + records);
        for (Class<?> type : records) {
            Samples samples = new Samples();
            Object first = samples.record(type, -1);
            Object same = samples.record(type, -1);
            assertEquals(first, same, type.getName());
            assertEquals(first.hashCode(), same.hashCode(), type.getName());
            assertFalse(first.equals(null), type.getName());
            RecordComponent[] components = type.getRecordComponents();
            for (int varied = 0; varied < components.length; varied++) {
                if (samples.canVary(components[varied].getType())) {
                    assertNotEquals(first, samples.record(type, varied),
                            type.getName() + " ignores its component " + components[varied].getName());
                }
            }
        }
    }

    @Test
    void floatComponentsCompareAsFloatCompareDoes() throws Exception {
        Class<?> step = Class.forName("org.jdarknet.backend.cpu.EltwiseSteps$Step");
        Constructor<?> constructor = canonical(step);
        Object algorithm = step.getRecordComponents()[0].getType().getEnumConstants()[0];
        assertEquals(constructor.newInstance(algorithm, Float.NaN, 0f), constructor.newInstance(algorithm, Float.NaN, 0f));
        assertNotEquals(constructor.newInstance(algorithm, 0f, 0f), constructor.newInstance(algorithm, -0f, 0f));
    }

    /**
     * The records under org.jdarknet whose {@code equals} is written out: a generated one is an
     * {@code invokedynamic} whose call-site descriptor, {@code (LRecord;Ljava/lang/Object;)Z},
     * is in the class file's constant pool. {@link Calibration} is left out: its {@code equals}
     * ignores, on purpose, the file it was read from.
     */
    private static List<Class<?>> writtenOutRecords() throws IOException, URISyntaxException {
        Path classes = Path.of(Shape.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (Stream<Path> files = Files.walk(classes)) {
            return files.filter(file -> file.toString().endsWith(".class"))
                    .filter(file -> !writesEquals(file, classes))
                    .<Class<?>>map(file -> load(className(file, classes)))
                    .filter(type -> type.isRecord() && type != Calibration.class)
                    .toList();
        }
    }

    private static boolean writesEquals(Path classFile, Path classes) {
        String internalName = classes.relativize(classFile).toString().replaceAll("\\.class$", "");
        try {
            String constants = new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1);
            return constants.contains("(L" + internalName + ";Ljava/lang/Object;)Z");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String className(Path classFile, Path classes) {
        return classes.relativize(classFile).toString().replace('/', '.').replaceAll("\\.class$", "");
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, WrittenOutRecordEqualityTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Constructor<?> canonical(Class<?> type) throws NoSuchMethodException {
        Class<?>[] parameters = Stream.of(type.getRecordComponents()).map(RecordComponent::getType)
                .toArray(Class<?>[]::new);
        Constructor<?> constructor = type.getDeclaredConstructor(parameters);
        constructor.setAccessible(true);
        return constructor;
    }

    /**
     * Two distinct values of each component type: variant 0 and variant 1. A record is built
     * afresh each time (so that equality is tested between different instances); anything else
     * (an interface becomes a proxy equal only to itself) is one instance per variant.
     */
    private static final class Samples {
        private final Map<List<Object>, Object> instances = new HashMap<>();

        /** A record of {@code type}, every component variant 0 except component {@code varied}. */
        Object record(Class<?> type, int varied) throws ReflectiveOperationException {
            RecordComponent[] components = type.getRecordComponents();
            Object[] values = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                values[i] = value(components[i].getType(), i == varied ? 1 : 0);
            }
            return canonical(type).newInstance(values);
        }

        private int firstVariable(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            for (int i = 0; i < components.length; i++) {
                if (canVary(components[i].getType())) {
                    return i;
                }
            }
            throw new IllegalArgumentException(type + " has no component to vary");
        }

        boolean canVary(Class<?> type) {
            return type.isPrimitive() || type.isEnum() || type.isRecord() || type.isInterface() || type == String.class;
        }

        private Object value(Class<?> type, int variant) throws ReflectiveOperationException {
            if (type.isRecord()) {
                return record(type, variant == 0 ? -1 : firstVariable(type));
            }
            if (!canVary(type)) {
                return null;
            }
            return instances.computeIfAbsent(List.of(type, variant), key -> plain(type, variant));
        }

        private static Object plain(Class<?> type, int variant) {
            if (type == int.class) {
                return variant + 1;
            } else if (type == long.class) {
                return variant + 1L;
            } else if (type == float.class) {
                return variant + 1f;
            } else if (type == double.class) {
                return variant + 1.0;
            } else if (type == boolean.class) {
                return variant == 1;
            } else if (type == String.class) {
                return "value " + variant;
            } else if (type.isEnum()) {
                return type.getEnumConstants()[variant];
            }
            return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, arguments) ->
                    switch (method.getName()) {
                        case "equals" -> proxy == arguments[0];
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "toString" -> type.getSimpleName() + " " + variant;
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }
    }
}
