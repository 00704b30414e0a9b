package dev.rlx.interpreter.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.rlx.engine.tensor.Numerics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `rlx run` through the api: what an observer sees, the run folder, resuming, and a run that diverges. */
class RlxRunsTest {
    /** A 2-step GRPO run of a 1-layer GPT on 1-digit addition; CREDIT is the credit function. */
    private static final String TINY = """
            import "std/tasks" as tasks
            import "std/credit" as credit
            import "std/loss" as loss
            steps = 2
            data = tasks.addition(digits: 1, count: 8, seed: 1)
            policy = gpt(tokenizer: tasks.arith_tokenizer(), layers: 1, dim: 16, heads: 2, context: 16, seed: 3)
            reward correct(s) = if to_int(s.completion) == s.answer then 1.0 else 0.0
            experiment tiny = train {
              policy: policy, data: data, rewards: correct, rollout: {group: 2, max_tokens: 2},
              credit: CREDIT,
              loss: (b) => loss.ppo_clip(b.logp, b.old_logp, b.advantages, b.mask),
              steps: steps, batch: 2, seed: 5, checkpoint_every: 1,
            }
            """;
    private static final String GRPO = "(b) => credit.grpo(b.scores, group: b.group)";

    @TempDir Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private RlxSession session;

    @BeforeEach
    void open() {
        session = new RlxSession(out);
    }

    @AfterEach
    void close() {
        session.close();
    }

    /** Every call an observer gets, as one line each. */
    private static final class Recorder implements RunObserver {
        final List<String> events = new ArrayList<>();

        @Override public void onOverride(String applied) { events.add("override " + applied); }
        @Override public void onStart(Path folder, boolean resuming, int total) {
            events.add((resuming ? "resume " : "start ") + folder.getFileName() + " of " + total);
        }
        @Override public void onStep(int step, Map<String, Object> metrics) {
            events.add("step " + step + (metrics.get("reward") instanceof Number ? " with reward" : " without reward"));
        }
        @Override public void onCheckpoint(int step, Path folder) { events.add("checkpoint " + step); }
        @Override public void onEnd(TrainingSummary s) { events.add("end after " + s.stepsDone()); }
        @Override public void onNotice(String message) { events.add("notice " + message); }
    }

    private Path script(String credit) throws IOException {
        return Files.writeString(dir.resolve("tiny.rlx"), TINY.replace("CREDIT", credit));
    }

    private Path onlyRunFolder() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("runs"))) {
            return s.findFirst().orElseThrow();
        }
    }

    @Test
    void aRunReportsOverridesStepsCheckpointsAndItsEndAndWritesTheRunFolder() throws IOException {
        Recorder recorder = new Recorder();
        RunOutcome outcome = RlxRuns.run(session, RunRequest.ofScript(script(GRPO), Map.of("steps", "3"), null,
                dir.resolve("runs")), recorder);
        Path folder = onlyRunFolder();
        assertEquals(List.of("override steps = 3  (was 2 at " + dir.resolve("tiny.rlx") + ":4:1)",
                "start " + folder.getFileName() + " of 3", "step 1 with reward", "checkpoint 1", "step 2 with reward",
                "checkpoint 2", "step 3 with reward", "checkpoint 3", "end after 3"), recorder.events);
        TrainingSummary summary = assertInstanceOf(RunOutcome.Trained.class, outcome).summary();
        assertEquals(3, summary.stepsDone());
        assertTrue(!summary.cancelled());
        assertTrue(folder.getFileName().toString().startsWith("tiny-"), folder.toString());
        assertEquals("steps=3\n", Files.readString(folder.resolve("overrides.txt")));
        assertTrue(Files.readString(folder.resolve("recipe.lock.rlx")).contains("steps = 3"));
        assertEquals(dir.toAbsolutePath().normalize() + "\n", Files.readString(folder.resolve("script_folder.txt")));

        // the same recipe again is refused; resuming the finished run continues from its last checkpoint
        RlxError again = assertThrows(RlxError.class, () -> RlxRuns.run(session, RunRequest.ofScript(
                dir.resolve("tiny.rlx"), Map.of("steps", "3"), null, dir.resolve("runs")), new Recorder()));
        assertTrue(again.formatted().startsWith("error: " + folder + " already holds a run of this exact recipe\n"),
                again.formatted());
        Recorder resumed = new Recorder();
        assertInstanceOf(RunOutcome.Trained.class, RlxRuns.run(session, RunRequest.ofResume(folder, null), resumed));
        assertEquals(List.of("resume " + folder.getFileName() + " of 3", "end after 3"), resumed.events);
    }

    /**
     * The data file a run read is pinned by digest: after it is edited, resuming (and running the lock again)
     * stops and names it; --accept-changed-inputs goes on and records the new digest.
     */
    @Test
    void aRunWhoseDataChangedStopsUnlessTheChangeIsAccepted() throws IOException {
        Files.writeString(dir.resolve("sums.jsonl"), "{\"q\": \"1+2=\", \"a\": 3}\n{\"q\": \"2+2=\", \"a\": 4}\n");
        Path script = Files.writeString(dir.resolve("tiny.rlx"), TINY.replace("CREDIT", GRPO)
                .replace("tasks.addition(digits: 1, count: 8, seed: 1)", "tasks.jsonl(\"sums.jsonl\", prompt: \"q\", answer: \"a\")"));
        RlxRuns.run(session, RunRequest.ofScript(script, Map.of(), null, dir.resolve("runs")), new Recorder());
        Path folder = onlyRunFolder();
        String pinned = Files.readString(folder.resolve("inputs.json"));
        assertTrue(pinned.contains("\"sums.jsonl\":{\"bytes\":44,\"sha256\":\"3933800b0e50f4bdfaf672062722d739ff7f0f6e722d87a4915c348f2dfe885a\"}"), pinned); // sha256sum's digest

        Files.writeString(dir.resolve("sums.jsonl"), "{\"q\": \"1+2=\", \"a\": 3}\n{\"q\": \"2+2=\", \"a\": 5}\n");
        RlxError e = assertThrows(RlxError.class, () -> RlxRuns.run(session, RunRequest.ofResume(folder, null),
                new Recorder()));
        assertTrue(e.formatted().startsWith("error: sums.jsonl changed since the run read it"), e.formatted());
        assertTrue(e.formatted().contains("--accept-changed-inputs"), e.formatted());
        RlxError relock = assertThrows(RlxError.class, () -> RlxRuns.run(session, RunRequest.ofScript(
                folder.resolve("recipe.lock.rlx"), Map.of(), null, dir.resolve("runs2")), new Recorder()));
        assertTrue(relock.formatted().startsWith("error: sums.jsonl changed"), relock.formatted());

        assertInstanceOf(RunOutcome.Trained.class, RlxRuns.run(session,
                RunRequest.ofResume(folder, null).acceptingChangedInputs(), new Recorder()));
        assertTrue(!Files.readString(folder.resolve("inputs.json")).equals(pinned), "the new digest is recorded");
        assertInstanceOf(RunOutcome.Trained.class, RlxRuns.run(session, RunRequest.ofResume(folder, null), new Recorder()));
    }

    /**
     * run.json records the numerics of the process that started the run; a resume (or the lock run again) in a
     * process whose numerics differ says so and how, and the run keeps the numerics it started with.
     */
    @Test
    void aResumeWithOtherNumericsSaysWhatDiffers() throws IOException {
        RlxRuns.run(session, RunRequest.ofScript(script(GRPO), Map.of(), null, dir.resolve("runs")), new Recorder());
        Path folder = onlyRunFolder();
        Numerics now = Numerics.current();
        assertEquals(now, RunJson.numerics(folder));
        assertTrue(now.intraOpThreads() > 0 && !now.libtorch().isBlank(), now.toString());

        // as if the run had started in a process with one more intra-op thread
        int other = now.intraOpThreads() + 1;
        Path runJson = folder.resolve("run.json");
        String recorded = Files.readString(runJson);
        String edited = recorded.replace("\"intra_op_threads\":" + now.intraOpThreads(), "\"intra_op_threads\":" + other);
        assertTrue(!edited.equals(recorded), recorded);
        Files.writeString(runJson, edited);

        Recorder resumed = new Recorder();
        RlxRuns.run(session, RunRequest.ofResume(folder, null), resumed);
        assertEquals("notice this process's numerics differ from those the run started with (intra-op threads " + other
                + " -> " + now.intraOpThreads() + "): the steps from here will not be bit-identical to an uninterrupted"
                + " run; RLX_JAVA_OPTS=-Dai.djl.pytorch.num_threads=" + other + " runs with the run's thread count",
                resumed.events.get(0));
        assertEquals(other, RunJson.numerics(folder).intraOpThreads(), "the run keeps the numerics it started with");
        assertTrue(Files.readString(runJson).contains("\"resumed_numerics\":{\"libtorch\""), Files.readString(runJson));

        Recorder relocked = new Recorder();
        RlxRuns.run(session, RunRequest.ofScript(folder.resolve("recipe.lock.rlx"), Map.of(), null, dir.resolve("runs2")),
                relocked);
        assertTrue(relocked.events.get(0).startsWith("notice this process's numerics differ from those of the run this"
                + " lock comes from (intra-op threads " + other + " -> " + now.intraOpThreads() + "): "), relocked.events.toString());

        // a run made before rlx recorded numerics: nothing to compare, and the resume's are not taken for its start's
        JsonObject old = JsonParser.parseString(Files.readString(runJson)).getAsJsonObject();
        old.remove("numerics");
        old.remove("resumed_numerics");
        Files.writeString(runJson, old.toString());
        Recorder older = new Recorder();
        RlxRuns.run(session, RunRequest.ofResume(folder, null), older);
        assertTrue(older.events.stream().noneMatch(e -> e.startsWith("notice")), older.events.toString());
        assertEquals(null, RunJson.numerics(folder));
        assertTrue(Files.readString(runJson).contains("\"resumed_numerics\":{\"libtorch\""), Files.readString(runJson));
    }

    @Test
    void aScriptWithoutAnExperimentIsOnlyEvaluated() throws IOException {
        Path script = Files.writeString(dir.resolve("plain.rlx"), "x = 2\nshown = print(\"x is\", x)\n");
        Recorder recorder = new Recorder();
        RunOutcome outcome = RlxRuns.run(session, RunRequest.ofScript(script, Map.of("x", "5"), null,
                dir.resolve("runs")), recorder);
        assertInstanceOf(RunOutcome.Evaluated.class, outcome);
        assertEquals(List.of("override x = 5  (was 2 at " + script + ":1:1)"), recorder.events);
        assertEquals("x is 5\n", out.toString());
        assertTrue(!Files.exists(dir.resolve("runs")));
    }

    @Test
    void nonFiniteAdvantagesEndTheRunAsDivergedWithTheStepAndQuantity() throws IOException {
        Recorder recorder = new Recorder();
        RunOutcome outcome = RlxRuns.run(session, RunRequest.ofScript(script("(b) => b.scores / (b.scores * 0.0)"),
                Map.of(), null, dir.resolve("runs")), recorder);
        RunOutcome.Diverged diverged = assertInstanceOf(RunOutcome.Diverged.class, outcome);
        assertTrue(diverged.reason().startsWith("step 1: advantages is "), diverged.reason());
        assertTrue(diverged.reason().endsWith("(training stopped; last good checkpoint: none)"), diverged.reason());
    }

    @Test
    void aFolderWithoutALockFileIsNotARunFolder() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        RlxError e = assertThrows(RlxError.class, () -> RlxRuns.run(session, RunRequest.ofResume(empty, null),
                new Recorder()));
        assertEquals("error: " + empty + " is not a run folder (no recipe.lock.rlx)", e.formatted());
    }

    @Test
    void theExperimentIsTheOnlyOneOrTheOneNamed() throws IOException {
        RlxError e = assertThrows(RlxError.class, () -> RlxRuns.run(session, RunRequest.ofScript(script(GRPO),
                Map.of(), "other", dir.resolve("runs")), new Recorder()));
        assertEquals("error: " + dir.resolve("tiny.rlx") + " has no experiment 'other' (experiments: tiny)",
                e.formatted());
    }
}
