package dev.rlx.interpreter.builtins;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.dsl.Fallback;
import com.oracle.truffle.api.dsl.NodeFactory;
import com.oracle.truffle.api.dsl.Specialization;
import dev.rlx.engine.data.Countdown;
import dev.rlx.engine.data.Dataset;
import dev.rlx.engine.data.JsonlData;
import dev.rlx.engine.data.LabeledCompletions;
import dev.rlx.engine.data.PreferencePairs;
import dev.rlx.engine.data.Split;
import dev.rlx.engine.data.StepPreferences;
import dev.rlx.engine.data.SyntheticTasks;
import dev.rlx.interpreter.data.DatasetValue;
import dev.rlx.interpreter.model.TokenizerValue;
import dev.rlx.interpreter.runtime.RlxList;
import dev.rlx.interpreter.runtime.RlxNone;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Datasets: the synthetic verifiable tasks of {@link SyntheticTasks} (seeded, with disjoint train/test
 * splits), preference pairs made from them ({@link PreferencePairs}), Step-DPO's step pairs and worked
 * solutions ({@link StepPreferences}), JSONL user data (prompt rows or pair rows), their rows, and the countdown
 * verifier. std/tasks wraps them under shorter names
 * (`tasks.addition(...)`), which is why the builtins carry a `_task` suffix.
 */
public final class TaskBuiltins {
    private TaskBuiltins() {}

    static final List<NodeFactory<? extends BuiltinNode>> FACTORIES = List.of(
            TaskBuiltinsFactory.AdditionTaskFactory.getInstance(),
            TaskBuiltinsFactory.MultiplicationTaskFactory.getInstance(),
            TaskBuiltinsFactory.CountdownTaskFactory.getInstance(),
            TaskBuiltinsFactory.SortingTaskFactory.getInstance(),
            TaskBuiltinsFactory.ReversalTaskFactory.getInstance(),
            TaskBuiltinsFactory.TaskTokenizerFactory.getInstance(),
            TaskBuiltinsFactory.MakePreferencePairsFactory.getInstance(),
            TaskBuiltinsFactory.UnpairPreferencesFactory.getInstance(),
            TaskBuiltinsFactory.MakeStepPreferencesFactory.getInstance(),
            TaskBuiltinsFactory.StepSolutionsFactory.getInstance(),
            TaskBuiltinsFactory.ReadJsonlFactory.getInstance(),
            TaskBuiltinsFactory.RowsFactory.getInstance(),
            TaskBuiltinsFactory.CountdownValueFactory.getInstance());

    private static Split split(EngineArgs a) {
        return a.engine(() -> Split.parse(a.string("split")));
    }

    private static DatasetValue wrap(EngineArgs a, Supplier<Dataset> make) {
        return a.engine(() -> new DatasetValue(make.get()));
    }

    @Builtin(value = "addition_task(digits = 2, count = 1000, seed = 0, split = \"train\")",
            doc = "a dataset of additions \"12+30=\" -> 42, operands of up to `digits` digits; split \"train\" or "
                    + "\"test\" (disjoint for any seeds); the tokenizer is task_tokenizer(\"arith\")")
    public abstract static class AdditionTask extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object make(Object digits, Object count, Object seed, Object split) {
            EngineArgs a = EngineArgs.of(this, digits, count, seed, split);
            Split s = split(a);
            return wrap(a, () -> SyntheticTasks.addition(a.integer("digits"), a.integer("count"), a.longValue("seed"), s));
        }
    }

    @Builtin(value = "multiplication_task(digits = 2, count = 1000, seed = 0, split = \"train\")",
            doc = "a dataset of products \"12*30=\" -> 360, operands of up to `digits` digits; splits as addition_task")
    public abstract static class MultiplicationTask extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object make(Object digits, Object count, Object seed, Object split) {
            EngineArgs a = EngineArgs.of(this, digits, count, seed, split);
            Split s = split(a);
            return wrap(a, () -> SyntheticTasks.multiplication(a.integer("digits"), a.integer("count"),
                    a.longValue("seed"), s));
        }
    }

    @Builtin(value = "countdown_task(numbers = 3, max_number = 20, max_target = 100, count = 1000, seed = 0, "
            + "split = \"train\")",
            doc = "a dataset of countdown problems \"3,5,7>22=\": reach the target (the answer) with + - * / and "
                    + "parentheses, each given number at most once; rows also hold numbers, target and solution")
    public abstract static class CountdownTask extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object make(Object numbers, Object maxNumber, Object maxTarget, Object count, Object seed,
                Object split) {
            EngineArgs a = EngineArgs.of(this, numbers, maxNumber, maxTarget, count, seed, split);
            Split s = split(a);
            return wrap(a, () -> SyntheticTasks.countdown(a.integer("numbers"), a.integer("max_number"),
                    a.integer("max_target"), a.integer("count"), a.longValue("seed"), s));
        }
    }

    @Builtin(value = "sorting_task(length = 5, alphabet = \"digits\", count = 1000, seed = 0, split = \"train\")",
            doc = "a dataset \"S31412=\" -> \"11234\": sort `length` characters of alphabet (\"digits\", \"letters\" "
                    + "or the characters themselves)")
    public abstract static class SortingTask extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object make(Object length, Object alphabet, Object count, Object seed, Object split) {
            EngineArgs a = EngineArgs.of(this, length, alphabet, count, seed, split);
            Split s = split(a);
            return wrap(a, () -> SyntheticTasks.sorting(a.integer("length"), a.string("alphabet"), a.integer("count"),
                    a.longValue("seed"), s));
        }
    }

    @Builtin(value = "reversal_task(length = 5, alphabet = \"digits\", count = 1000, seed = 0, split = \"train\")",
            doc = "a dataset \"R31412=\" -> \"21413\": reverse `length` characters of alphabet")
    public abstract static class ReversalTask extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object make(Object length, Object alphabet, Object count, Object seed, Object split) {
            EngineArgs a = EngineArgs.of(this, length, alphabet, count, seed, split);
            Split s = split(a);
            return wrap(a, () -> SyntheticTasks.reversal(a.integer("length"), a.string("alphabet"), a.integer("count"),
                    a.longValue("seed"), s));
        }
    }

    @Builtin(value = "task_tokenizer(kind = \"arith\", alphabet = \"digits\")",
            doc = "the character tokenizer of the synthetic tasks: kind \"arith\" (addition, multiplication, "
                    + "countdown: 0-9 + - * / = ( ) , >) or \"sequence\" (sorting, reversal over alphabet)")
    public abstract static class TaskTokenizer extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object make(Object kind, Object alphabet) {
            EngineArgs a = EngineArgs.of(this, kind, alphabet);
            return switch (a.string("kind")) {
                case "arith" -> new TokenizerValue(SyntheticTasks.arithTokenizer());
                case "sequence" -> a.engine(() -> new TokenizerValue(SyntheticTasks.sequenceTokenizer(a.string("alphabet"))));
                default -> throw a.error("kind must be \"arith\" or \"sequence\", not \"" + a.string("kind") + "\"");
            };
        }
    }

    @Builtin(value = "preference_pairs(data, seed = 0)",
            doc = "preference pairs from a task dataset, one per row: chosen = the right answer (countdown: the "
                    + "solution), rejected = a plausible wrong one (a digit off by one, dropped or swapped, a sign "
                    + "slip), drawn by seed; the rows keep prompt, answer, split and tokenizer and add chosen, "
                    + "rejected and mistake")
    public abstract static class MakePreferencePairs extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object make(Object data, Object seed) {
            EngineArgs a = EngineArgs.of(this, data, seed);
            if (!(data instanceof DatasetValue d)) {
                throw a.wrongType("data", "a dataset");
            }
            long s = a.longValue("seed");
            return wrap(a, () -> PreferencePairs.fromTask(d.dataset(), s));
        }
    }

    @Builtin(value = "step_preference_pairs(data, seed = 0)",
            doc = "Step-DPO's pairs from an addition dataset, one per row: the prompt is the problem and a correct "
                    + "prefix of its column-by-column solution, chosen the right next step, rejected a wrong one (a "
                    + "carry slip or a sum off by one; for the answer step a digit off, dropped or swapped), the step "
                    + "and the slip drawn by seed; rows add chosen, rejected, mistake, step, steps and partial")
    public abstract static class MakeStepPreferences extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object make(Object data, Object seed) {
            EngineArgs a = EngineArgs.of(this, data, seed);
            if (!(data instanceof DatasetValue d)) {
                throw a.wrongType("data", "a dataset of additions (tasks.addition(...))");
            }
            long s = a.longValue("seed");
            return wrap(a, () -> StepPreferences.fromTask(d.dataset(), s));
        }
    }

    @Builtin(value = "worked_additions(data)",
            doc = "an addition dataset whose rows also hold `solution`, the problem worked column by column "
                    + "(\"47+38=\" -> \"7+8+0=15,4+3+1=8,85\"), which a warm start teaches (rows(d, response: true))")
    public abstract static class StepSolutions extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object make(Object data) {
            EngineArgs a = EngineArgs.of(this, data);
            if (!(data instanceof DatasetValue d)) {
                throw a.wrongType("data", "a dataset of additions (tasks.addition(...))");
            }
            return wrap(a, () -> StepPreferences.solutions(d.dataset()));
        }
    }

    @Builtin(value = "unpaired_preferences(pairs)",
            doc = "KTO's unpaired data from preference pairs: each pair becomes two labeled rows, its prompt with "
                    + "the chosen completion (desirable: true), then with the rejected one (desirable: false); the "
                    + "rows keep prompt, answer and other fields and have completion and desirable")
    public abstract static class UnpairPreferences extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object make(Object pairs) {
            EngineArgs a = EngineArgs.of(this, pairs);
            if (!(pairs instanceof DatasetValue d)) {
                throw a.wrongType("pairs", "a dataset of preference pairs");
            }
            return wrap(a, () -> LabeledCompletions.fromPairs(d.dataset()));
        }
    }

    @Builtin(value = "read_jsonl(path, prompt = \"prompt\", answer = \"answer\", chosen = none, rejected = none, "
            + "margin = \"margin\", completion = none, desirable = none, score = none, reference_scores = none)",
            doc = "a dataset from a JSON Lines file next to the script: one object per line, `prompt` names the "
                    + "prompt field (a string), `answer` the answer field (none: no answers); other keys become "
                    + "fields. With `chosen` and `rejected` (both string fields on every line) a pair dataset: the "
                    + "answer is then optional, and `margin` names an optional numeric field (none: not read). With "
                    + "`completion` and `desirable` (a string and a true/false field on every line) a labeled "
                    + "dataset of unpaired completions, KTO's data; with `completion`, `score` and `reference_scores` "
                    + "(a string, a number and an array of K numbers on every line, one K per file) a scored dataset, "
                    + "QRPO's data; the answer is then optional")
    public abstract static class ReadJsonl extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object read(Object path, Object prompt, Object answer, Object chosen, Object rejected,
                Object margin, Object completion, Object desirable, Object score, Object referenceScores) {
            EngineArgs a = EngineArgs.of(this, path, prompt, answer, chosen, rejected, margin, completion, desirable,
                    score, referenceScores);
            String shown = a.string("path");
            String promptField = a.string("prompt");
            String answerField = a.isNone("answer") ? null : a.string("answer");
            JsonlData.PairFields pairs = pairFields(a);
            JsonlData.Form completions = completionFields(a);
            if (pairs != null && completions != null) {
                throw a.error("a file holds pairs (chosen, rejected) or single completions (completion with "
                        + "desirable, or with score and reference_scores), not both: name one set of fields");
            }
            Path file = a.input("path");
            if (!Files.isRegularFile(file)) {
                throw a.error(shown + ": no such file");
            }
            return wrap(a, () -> switch (completions) {
                case JsonlData.LabeledFields l -> JsonlData.loadLabeled(file, shown, promptField, answerField, l);
                case JsonlData.ScoredFields sf -> JsonlData.loadScored(file, shown, promptField, answerField, sf);
                case null, default -> pairs != null ? JsonlData.loadPairs(file, shown, promptField, answerField, pairs)
                        : JsonlData.load(file, shown, promptField, answerField);
            });
        }

        /** Labeled (completion, desirable) or scored (completion, score, reference_scores) fields, or null. */
        private static JsonlData.Form completionFields(EngineArgs a) {
            boolean scored = !a.isNone("score") || !a.isNone("reference_scores");
            if (scored && !a.isNone("desirable")) {
                throw a.error("a completion is flagged (desirable: KTO's rows) or scored (score, reference_scores: "
                        + "QRPO's rows), not both: name one set of fields");
            }
            if (!scored) return labeledFields(a);
            if (a.isNone("completion") || a.isNone("score") || a.isNone("reference_scores")) {
                throw a.error("completion, score and reference_scores go together: name all three (scored rows, "
                        + "each completion with its score and the scores of K reference samples of its prompt)");
            }
            return new JsonlData.ScoredFields(a.string("completion"), a.string("score"),
                    a.string("reference_scores"));
        }

        /** The labeled-completion fields, or null; half of them is an error. */
        private static JsonlData.LabeledFields labeledFields(EngineArgs a) {
            if (a.isNone("completion") && a.isNone("desirable")) {
                return null;
            }
            if (a.isNone("completion") || a.isNone("desirable")) {
                throw a.error("completion and desirable go together: name both fields (labeled rows) or neither");
            }
            return new JsonlData.LabeledFields(a.string("completion"), a.string("desirable"));
        }

        /** The pair fields, or null for prompt rows; half a pair is an error, not prompt rows. */
        private static JsonlData.PairFields pairFields(EngineArgs a) {
            if (a.isNone("chosen") && a.isNone("rejected")) {
                return null;
            }
            if (a.isNone("chosen") || a.isNone("rejected")) {
                throw a.error("chosen and rejected go together: name both fields (pair rows) or neither");
            }
            return new JsonlData.PairFields(a.string("chosen"), a.string("rejected"),
                    a.isNone("margin") ? null : a.string("margin"));
        }
    }

    @Builtin(value = "rows(dataset, response = false)",
            doc = "the rows of a dataset as a list of records {prompt, answer, ...fields} ({prompt, chosen, "
                    + "rejected, answer, ...} for pairs); response: true adds `response`, the completion to teach in "
                    + "a warm start (countdown's solution, else a pair's chosen, else the answer)")
    public abstract static class Rows extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object rows(DatasetValue dataset, boolean response) {
            Dataset d = dataset.dataset();
            Object[] out = new Object[d.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = DatasetValue.record(d.get(i), d.isPairs(), response);
            }
            return new RlxList(out);
        }

        @Fallback
        protected Object error(Object dataset, Object response) {
            throw typeError(dataset, response);
        }
    }

    @Builtin(value = "countdown_value(expr, numbers)",
            doc = "the exact value of the arithmetic expression expr (ints, + - * /, parentheses) when every number "
                    + "in it is one of numbers, each used at most once; an int when whole, else a float; none "
                    + "when expr is malformed, breaks those rules or divides by zero")
    public abstract static class CountdownValue extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object value(String expr, RlxList numbers) {
            List<Long> given = new ArrayList<>(numbers.size());
            for (int i = 0; i < numbers.size(); i++) {
                if (!(numbers.get(i) instanceof Long l)) {
                    throw error("numbers[" + i + "] is " + EngineArgs.show(numbers.get(i)) + ", not an int");
                }
                given.add(l);
            }
            Countdown.Fraction v = Countdown.evaluate(expr, given);
            return v == null ? RlxNone.INSTANCE : v.toNumber();
        }

        @Fallback
        protected Object error(Object expr, Object numbers) {
            throw typeError(expr, numbers);
        }
    }
}
