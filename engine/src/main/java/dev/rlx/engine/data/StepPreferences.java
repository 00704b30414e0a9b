package dev.rlx.engine.data;

import dev.rlx.engine.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Step-DPO's data (Lai et al. 2024, "Step-DPO: Step-wise Preference Optimization for Long-chain Reasoning of
 * LLMs"): preference pairs about ONE step of a multi-step solution. The prompt is the problem followed by a
 * correct prefix of the solution's steps, chosen is the right next step and rejected a wrong one, so a DPO loss
 * on these pairs is Step-DPO's loss, log-probs summed over the step alone. The multi-step task is addition
 * worked column by column ({@link AdditionSteps}); the paper locates the first wrong step of sampled solutions,
 * here the wrong step is a known slip, drawn like {@link PreferencePairs#fromTask} draws its wrong answers.
 *
 * <p>A pair's completions are partial when the step is not the last one ({@link PreferencePairs#PARTIAL}): the
 * solution goes on after them, so no EOS is appended to them (one would teach the policy to stop after a step).
 */
public final class StepPreferences {
    /** The 0-based index of the step a pair is about. */
    public static final String STEP = "step";
    /** How many steps the worked solution of the pair's problem has. */
    public static final String STEPS = "steps";
    /** On problem rows (see {@link #solutions}): the whole worked solution, what a warm start teaches. */
    public static final String SOLUTION = "solution";

    private StepPreferences() {}

    /**
     * The source's problems with field {@link #SOLUTION}, their worked solution ({@link Row#reference()} reads
     * it), so that a warm start teaches the step format; prompts, answers, split and tokenizer are the source's.
     */
    public static Dataset solutions(Dataset source) {
        List<Row> rows = new ArrayList<>(source.size());
        for (int i = 0; i < source.size(); i++) {
            Row row = source.get(i);
            AdditionSteps.Problem p = problem(source, i);
            Map<String, Object> fields = new LinkedHashMap<>(row.fields());
            fields.put(SOLUTION, String.join("", AdditionSteps.steps(p)));
            rows.add(new Row(row.prompt(), row.answer(), fields));
        }
        return new Dataset("step_solutions(" + source.name() + ")", rows, source.tokenizer());
    }

    /**
     * One step pair per row of an addition dataset, in its order. From a stream fixed by {@code seed} and the
     * row's index: the step k, uniform over the solution's steps (the last one is the answer), then a kind of
     * slip uniform among those that apply to that step, then one wrong step of that kind
     * ({@link AdditionSteps#wrongSteps}). The prompt is the problem and steps 0..k-1; the row keeps the
     * problem's answer and fields (but a worked solution, which would no longer fit the prompt) and adds
     * chosen, rejected, mistake, step, steps and partial.
     */
    public static Dataset fromTask(Dataset source, long seed) {
        List<Row> pairs = new ArrayList<>(source.size());
        long stream = SeededRandom.hash("step_preferences");
        for (int i = 0; i < source.size(); i++) {
            Row row = source.get(i);
            List<String> steps = AdditionSteps.steps(problem(source, i));
            SeededRandom rng = new SeededRandom(Shuffle.seed(seed, i, stream));
            int k = rng.nextInt(steps.size());
            Map<String, List<String>> wrong = AdditionSteps.wrongSteps(problem(source, i), k);
            List<String> kinds = new ArrayList<>(wrong.keySet());
            String kind = kinds.get(rng.nextInt(kinds.size()));
            List<String> options = wrong.get(kind);
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put(PreferencePairs.CHOSEN, steps.get(k));
            fields.put(PreferencePairs.REJECTED, options.get(rng.nextInt(options.size())));
            fields.put(PreferencePairs.MISTAKE, kind);
            fields.put(STEP, (long) k);
            fields.put(STEPS, (long) steps.size());
            fields.put(PreferencePairs.PARTIAL, k < steps.size() - 1);
            row.fields().forEach((key, v) -> {
                if (!key.equals(SOLUTION)) fields.putIfAbsent(key, v);
            });
            String prompt = row.prompt() + String.join("", steps.subList(0, k));
            pairs.add(new Row(prompt, row.answer(), fields));
        }
        return new Dataset("step_preferences(" + source.name() + ", seed=" + seed + ")", pairs, source.tokenizer(),
                Dataset.Kind.PAIRS);
    }

    /** Row i as an addition whose worked solution the dataset's tokenizer can write; a located error otherwise. */
    private static AdditionSteps.Problem problem(Dataset source, int i) {
        if (source.kind() != Dataset.Kind.PROBLEMS) {
            throw new DataException("the dataset already holds " + (source.isPairs() ? "preference pairs"
                    : "labeled completions") + "; step pairs are made from addition problems (tasks.addition(...))");
        }
        Row row = source.get(i);
        AdditionSteps.Problem p = AdditionSteps.parse(row);
        if (p == null) {
            throw new DataException("row " + i + " (prompt \"" + row.prompt() + "\", answer "
                    + Row.answerText(row.answer()) + ") is not an addition \"a+b=\" with the int answer a + b; "
                    + "worked steps are made for tasks.addition(...) problems");
        }
        Tokenizer tokenizer = source.tokenizer();
        int unknown = tokenizer.tokenToId("<unk>");
        String solution = String.join("", AdditionSteps.steps(p));
        if (unknown >= 0 && Arrays.stream(tokenizer.encode(solution)).anyMatch(id -> id == unknown)) {
            throw new DataException("row " + i + ": the dataset's tokenizer cannot write the worked solution \""
                    + solution + "\" (it needs the digits, + = and ,)");
        }
        return p;
    }
}
