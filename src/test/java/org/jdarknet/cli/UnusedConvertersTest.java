package org.jdarknet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@link Main} has picocli skip the converters of {@link Main#UNUSED_CONVERTERS}: no option of any
 * command may need one, or it would fail to parse.
 */
class UnusedConvertersTest {

    @Test
    void noOptionOfAnyCommandHasATypeWhoseConverterIsSkipped() {
        CommandLine tree = new CommandLine(new Main());
        Main.subcommandsFor(new CommandLinePeek(new String[0])).forEach(tree::addSubcommand);
        List<String> checked = new ArrayList<>();
        commands(tree.getCommandSpec()).forEach(command -> command.args().forEach(arg -> {
            for (Class<?> type : types(arg)) {
                checked.add(command.qualifiedName() + " " + arg.paramLabel() + ": " + type.getName());
                assertFalse(type.getName().matches(Main.UNUSED_CONVERTERS),
                        command.qualifiedName() + " " + arg + " is a " + type.getName()
                                + ", whose converter Main has picocli skip");
            }
        }));
        assertTrue(checked.stream().anyMatch(line -> line.startsWith("jdarknet classify CFG: " + Path.class.getName())),
                "the walk reached classify's CFG: " + checked);
    }

    @Test
    void theSkippedConvertersAreThoseOfJavaTimeAndJavaSql() {
        assertTrue(Duration.class.getName().matches(Main.UNUSED_CONVERTERS));
        assertTrue("java.sql.Timestamp".matches(Main.UNUSED_CONVERTERS));
        assertEquals(List.of(), Stream.of(Path.class, Integer.class, Long.class, String.class)
                .map(Class::getName).filter(name -> name.matches(Main.UNUSED_CONVERTERS)).toList());
    }

    private static Stream<CommandSpec> commands(CommandSpec command) {
        return Stream.concat(Stream.of(command),
                command.subcommands().values().stream().flatMap(sub -> commands(sub.getCommandSpec())));
    }

    /** The option's own type and, for collections and maps, the types of their elements. */
    private static List<Class<?>> types(ArgSpec arg) {
        List<Class<?>> types = new ArrayList<>(List.of(arg.type()));
        types.addAll(List.of(arg.auxiliaryTypes()));
        return types;
    }
}
