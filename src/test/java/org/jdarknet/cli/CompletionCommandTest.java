package org.jdarknet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jdarknet completion bash|zsh}: a script that completes every command, checked by running it in bash. */
class CompletionCommandTest {
    private static final List<String> COMMANDS = List.of("classify", "classifier", "train", "valid", "partial",
            "benchmark", "calibrate", "export", "completion");

    @TempDir
    Path dir;

    @Test
    void theScriptNamesEveryCommand() {
        Processes.Result bash = Processes.jdarknet("completion", "bash");
        assertEquals(0, bash.exitCode(), bash.stderr());
        assertTrue(bash.stdout().contains("local commands=\"" + String.join(" ", COMMANDS) + "\""), bash.stdout());
        assertTrue(bash.stdout().contains("local commands=\"predict train valid\""), "classifier's own commands");
        assertTrue(bash.stdout().contains("bashcompinit"), "the same script serves zsh");
        assertEquals(bash.stdout(), Processes.jdarknet("completion", "zsh").stdout());
    }

    @Test
    void bashCompletesCommandsAndOptions() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "no /bin/bash here: skipped");
        Path script = Files.writeString(dir.resolve("jdarknet-completion.bash"), Processes.jdarknet("completion", "bash").stdout());
        assertEquals("classify classifier calibrate completion", complete(script, "/bin/bash", "c"));
        assertEquals("predict train valid", complete(script, "/bin/bash", "classifier", ""));
        assertEquals("--labels", complete(script, "/bin/bash", "valid", "--la"));
        assertEquals("bash zsh", complete(script, "/bin/bash", "completion", ""));
    }

    @Test
    void zshCompletesThroughBashcompinit() throws Exception {
        Path zsh = Path.of("/usr/bin/zsh");
        if (!Files.isExecutable(zsh)) {
            System.err.println("CompletionCommandTest: zsh is not installed; its completion is not exercised");
        }
        assumeTrue(Files.isExecutable(zsh), "zsh is not installed: skipped");
        Path script = Files.writeString(dir.resolve("jdarknet-completion.zsh"), Processes.jdarknet("completion", "zsh").stdout());
        assertEquals("predict train valid", complete(script, zsh.toString(), "classifier", ""));
    }

    /** What the script offers for the partial last of {@code words} after {@code jdarknet}, space-separated. */
    private static String complete(Path script, String shell, String... words) throws IOException, InterruptedException {
        String quoted = Stream.of(words).map(word -> "'" + word + "'").collect(Collectors.joining(" "));
        String body = "source " + script + " 2>/dev/null\nCOMP_WORDS=(jdarknet " + quoted + ")\nCOMP_CWORD=" + words.length
                + "\n_complete_jdarknet 2>/dev/null\necho \"${COMPREPLY[@]}\"\n";
        Process process = new ProcessBuilder(shell, "-c", body).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the shell finished");
        return output;
    }
}
