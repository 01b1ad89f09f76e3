package org.jdarknet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

class CommandLinePeekTest {

    private static CommandLinePeek peek(String... args) {
        return new CommandLinePeek(args);
    }

    @Test
    void theSubcommandIsTheFirstArgumentThatIsNotAnOption() {
        assertEquals(Optional.of("classify"), peek("classify", "cfg/tiny.cfg", "w", "dog.jpg").subcommand());
        assertEquals(Optional.of("classifier"), peek("-v", "classifier", "predict").subcommand());
        assertEquals(Optional.empty(), peek("--version").subcommand());
        assertEquals(Optional.empty(), peek().subcommand());
    }

    @Test
    void theBackendIsReadInEverySpellingAndIsAutoOtherwise() {
        assertEquals("reference", peek("classify", "--backend", "reference", "c", "w").backend());
        assertEquals("cpu", peek("benchmark", "--backend=cpu").backend());
        assertEquals("cuda", peek("classifier", "train", "d", "c", "-gpu", "0").backend());
        assertEquals("auto", peek("classify", "c", "w", "i").backend());
        assertEquals("auto", peek("classify", "--backend").backend());
    }

    @Test
    void anyMentionOfAGpuOrCudaCountsWhereverItIs() {
        assertTrue(peek("classifier", "train", "d", "c", "-gpus", "0,1").mentionsGpu());
        assertTrue(peek("classify", "--backend=CUDA", "c", "w").mentionsGpu());
        assertTrue(peek("train", "runs/gpu-test/data", "c").mentionsGpu());
        assertFalse(peek("classify", "--backend", "cpu", "cfg/tiny.cfg", "tiny.weights", "dog.jpg").mentionsGpu());
        assertFalse(peek("classify", "c", "w").mentionsGpu());
    }

    @Test
    void picocliIsGivenOnlyTheSubcommandNamedOrAllWhenNoneIs() {
        assertEquals(List.of(ClassifyCommand.class), Main.subcommandsFor(peek("-v", "classify", "c", "w")));
        List<String> every = List.of("classify", "classifier", "train", "valid", "partial", "benchmark", "calibrate",
                "export", "completion");
        assertEquals(every, names(Main.subcommandsFor(peek("--help"))));
        assertEquals(every, names(Main.subcommandsFor(peek("clasify", "c", "w"))));
    }

    private static List<String> names(List<Class<?>> commands) {
        return commands.stream().map(command -> command.getAnnotation(Command.class).name()).toList();
    }
}
