package org.jdarknet.cli;

import java.util.List;
import java.util.Set;
import org.jdarknet.Log;
import org.jdarknet.backend.Backends;
import org.jdarknet.cfg.CfgException;
import org.jdarknet.image.ImageException;
import org.jdarknet.weights.WeightsException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code jdarknet} command line: darknet's commands, spelled as darknet spells them. */
@Command(name = "jdarknet", mixinStandardHelpOptions = true, version = "jdarknet 0.1.0",
        description = "Darknet's classifiers in Java: the same .cfg and .weights files.")
public final class Main {
    private static final List<Class<?>> SUBCOMMANDS = List.of(ClassifyCommand.class, ClassifierCommand.class,
            TrainCommand.class, ValidCommand.class, PartialCommand.class, BenchmarkCommand.class, CompletionCommand.class);
    private static final Set<String> COMPUTING = Set.of("classify", "classifier", "train", "benchmark");

    @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "Print details (layer table, backend, preprocessing) and stack traces on errors.")
    void setVerbose(boolean verbose) {
        Log.setVerbose(verbose);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code: 0 success, 1 failure, 2 usage error. */
    public static int run(String... args) {
        CommandLinePeek peek = new CommandLinePeek(args);
        startLoadingBackend(peek);
        CommandLine commandLine = new CommandLine(new Main());
        subcommandsFor(peek).forEach(commandLine::addSubcommand);
        commandLine.setExecutionExceptionHandler(Main::reportFailure);
        commandLine.setParameterExceptionHandler(Main::reportUsageError);
        return commandLine.execute(args);
    }

    /**
     * The subcommand the command line names, or all of them when it names none or names one
     * that does not exist (picocli then answers with the choices). Picocli reflects over every
     * subcommand it is given, which would cost a single-image {@code classify} a tenth of its run.
     */
    static List<Class<?>> subcommandsFor(CommandLinePeek peek) {
        return peek.subcommand()
                .flatMap(name -> SUBCOMMANDS.stream().filter(c -> c.getAnnotation(Command.class).name().equals(name))
                        .findFirst())
                .map(List::<Class<?>>of)
                .orElse(SUBCOMMANDS);
    }

    /**
     * For the commands that compute, starts loading their backend's native libraries on another
     * core while picocli parses the command line: a one-image {@code classify} would otherwise
     * wait for the two one after the other.
     */
    private static void startLoadingBackend(CommandLinePeek peek) {
        if (peek.subcommand().filter(COMPUTING::contains).isPresent()) {
            Backends.preload(peek.backend());
        }
    }

    /**
     * A mistyped command line gets one line naming the problem and where to look, not picocli's
     * full usage text: stderr should say what went wrong, in a batch job's log too.
     */
    private static int reportUsageError(CommandLine.ParameterException e, String[] args) {
        CommandLine.Model.CommandSpec spec = e.getCommandLine().getCommandSpec();
        Log.error(oneLine(e.getMessage()) + " (see '" + spec.qualifiedName() + " --help')");
        return spec.exitCodeOnInvalidInput();
    }

    /** A one-line error for the problems users cause; a stack trace only when asked for or for our own bugs. */
    private static int reportFailure(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        boolean expected = e instanceof CfgException || e instanceof WeightsException || e instanceof ImageException
                || e instanceof IllegalArgumentException || e instanceof java.io.UncheckedIOException;
        if (expected) {
            Log.error(oneLine(e.getMessage() == null ? e.toString() : e.getMessage()));
        } else {
            Log.error("internal error: " + oneLine(e.toString()));
        }
        if (Log.verbose() || !expected) {
            e.printStackTrace();
        }
        return 1;
    }

    /** Messages from libraries (image decoders, the file system) may span lines; errors are one line. */
    static String oneLine(String message) {
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
