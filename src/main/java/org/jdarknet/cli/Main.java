package org.jdarknet.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import org.jdarknet.Log;
import org.jdarknet.UserException;
import org.jdarknet.backend.Backends;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code jdarknet} command line: darknet's commands, spelled as darknet spells them. */
@Command(name = "jdarknet", mixinStandardHelpOptions = true, version = "jdarknet 0.1.0",
        description = "Darknet's classifiers in Java: the same .cfg and .weights files.")
public final class Main {
    private static final List<Class<?>> SUBCOMMANDS = List.of(ClassifyCommand.class, ClassifierCommand.class,
            TrainCommand.class, ValidCommand.class, PartialCommand.class, BenchmarkCommand.class, CalibrateCommand.class,
            ExportCommand.class, CompletionCommand.class);
    private static final Set<String> COMPUTING = Set.of("classify", "classifier", "train", "valid", "benchmark",
            "calibrate");
    /**
     * Picocli's converters for types no jdarknet option has: registering them loads and
     * initialises their classes (java.time's formatters among them) on every start, which a
     * one-image {@code classify} notices (docs/benchmarks.md).
     */
    static final String UNUSED_CONVERTERS = "java\\.(sql|time)\\..*";

    @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "Print details (layer table, backend, preprocessing) and stack traces on errors.")
    void setVerbose(boolean verbose) {
        Log.setVerbose(verbose);
    }

    public static void main(String[] args) {
        System.exit(run(true, args));
    }

    /** Runs a command line and returns its exit code: 0 success, 1 failure, 2 usage error. */
    public static int run(String... args) {
        return run(false, args);
    }

    /** @param wholeProcess whether the command is all this process will run (not one of many, as in tests) */
    private static int run(boolean wholeProcess, String... args) {
        CommandLinePeek peek = new CommandLinePeek(args);
        startLoadingBackend(peek, wholeProcess);
        System.setProperty("picocli.converters.excludes", UNUSED_CONVERTERS);
        CommandLine commandLine = new CommandLine(new Main());
        subcommandsFor(peek).forEach(commandLine::addSubcommand);
        return execute(commandLine, args);
    }

    /** Runs {@code commandLine} with jdarknet's error reporting; tests pass commands of their own. */
    static int execute(CommandLine commandLine, String... args) {
        commandLine.setExecutionExceptionHandler(Main::reportFailure);
        commandLine.setParameterExceptionHandler(Main::reportUsageError);
        return commandLine.execute(args);
    }

    /**
     * The subcommand the command line names, or all of them when it names none or names one
     * that does not exist (picocli then answers with the choices). Picocli reflects over every
     * subcommand it is given, which would cost a single-image {@code classify} a noticeable part
     * of its run (docs/benchmarks.md).
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
     * wait for the two one after the other. A process that runs only this command, and whose
     * command line names no GPU, will bind no CUDA library ({@link Backends#preload}).
     */
    private static void startLoadingBackend(CommandLinePeek peek, boolean wholeProcess) {
        if (peek.subcommand().filter(COMPUTING::contains).isPresent()) {
            Backends.preload(peek.backend(), wholeProcess && !peek.mentionsGpu());
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

    /**
     * A problem the user can fix (a bad file, option or data set, or an I/O error on their files)
     * is one line, its stack trace only with {@code --verbose}. Anything else is a bug in jdarknet:
     * a line that says so, and the stack trace the user should send with the report.
     */
    private static int reportFailure(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        if (isUsersProblem(e)) {
            Log.error(oneLine(e.getMessage() == null ? e.toString() : e.getMessage()));
            if (Log.verbose()) {
                Log.stackTrace(e);
            }
        } else {
            Log.error("internal error: " + oneLine(e.toString())
                    + " (this is a bug in jdarknet; please report it with the stack trace below)");
            Log.stackTrace(e);
        }
        return 1;
    }

    private static boolean isUsersProblem(Exception e) {
        return e instanceof UserException || e instanceof IOException || e instanceof UncheckedIOException;
    }

    /** Messages from libraries (image decoders, the file system) may span lines; errors are one line. */
    static String oneLine(String message) {
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
