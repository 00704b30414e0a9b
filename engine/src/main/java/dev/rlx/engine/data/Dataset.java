package dev.rlx.engine.data;

import dev.rlx.engine.tokenizer.Tokenizer;
import java.util.List;

/**
 * An immutable, indexable list of rows with a name and a tokenizer that covers its prompts and answers, of one
 * {@link Kind}. A pair dataset ({@link #isPairs()}) holds preference pairs: every row has string fields
 * {@link PreferencePairs#CHOSEN} and {@link PreferencePairs#REJECTED} (see {@link PreferencePairs}). A labeled
 * dataset ({@link #isLabeled()}) holds unpaired completions flagged desirable or not (KTO's data, see
 * {@link LabeledCompletions}). A scored dataset ({@link #isScored()}) holds completions with a reward each and the
 * rewards of K reference samples of their prompt, K the same on every row (QRPO's data, see
 * {@link ScoredCompletions}). Either way its prompts still serve as prompts.
 */
public final class Dataset {
    private final String name;
    private final List<Row> rows;
    private final Tokenizer tokenizer;
    private final Kind kind;

    /** What every row of a dataset is. */
    public enum Kind {
        /** Problems: a prompt and (usually) an answer. */
        PROBLEMS,
        /** Preference pairs: a prompt with a chosen and a rejected completion. */
        PAIRS,
        /** Unpaired completions, each flagged desirable or not. */
        LABELED,
        /** Completions, each with its reward and the rewards of K reference samples of its prompt. */
        SCORED
    }

    public Dataset(String name, List<Row> rows, Tokenizer tokenizer) {
        this(name, rows, tokenizer, Kind.PROBLEMS);
    }

    /** @param kind what every row is; checked, so that readers of pairs or labeled rows can trust it */
    public Dataset(String name, List<Row> rows, Tokenizer tokenizer, Kind kind) {
        this.name = name;
        this.rows = List.copyOf(rows);
        this.tokenizer = tokenizer;
        this.kind = kind;
        for (int i = 0; i < this.rows.size(); i++) {
            Row row = this.rows.get(i);
            if (kind == Kind.PAIRS && !PreferencePairs.isPair(row)) {
                throw new IllegalArgumentException("row " + i + " of " + name + " is not a preference pair: " + row);
            }
            if (kind == Kind.LABELED && !LabeledCompletions.isLabeled(row)) {
                throw new IllegalArgumentException("row " + i + " of " + name + " is not a labeled completion: " + row);
            }
            if (kind == Kind.SCORED && !ScoredCompletions.isScored(row)) {
                throw new IllegalArgumentException("row " + i + " of " + name + " is not a scored completion: " + row);
            }
            // one K for the whole dataset: a batch holds the reference rewards as one [B,K] tensor
            if (kind == Kind.SCORED && ScoredCompletions.referenceScores(row).length
                    != ScoredCompletions.referenceScores(this.rows.getFirst()).length) {
                throw new IllegalArgumentException("row " + i + " of " + name + " has "
                        + ScoredCompletions.referenceScores(row).length + " reference scores, row 0 has "
                        + ScoredCompletions.referenceScores(this.rows.getFirst()).length);
            }
        }
    }

    public String name() {
        return name;
    }

    public int size() {
        return rows.size();
    }

    /** Row {@code i}, 0-based. */
    public Row get(int i) {
        if (i < 0 || i >= rows.size()) {
            throw new IndexOutOfBoundsException("index " + i + " out of range for a dataset of " + rows.size() + " rows");
        }
        return rows.get(i);
    }

    public List<Row> rows() {
        return rows;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** Whether the rows are preference pairs (prompt, chosen and rejected completions). */
    public boolean isPairs() {
        return kind == Kind.PAIRS;
    }

    /** Whether the rows are unpaired completions flagged desirable or not (prompt, completion, desirable). */
    public boolean isLabeled() {
        return kind == Kind.LABELED;
    }

    /** Whether the rows are scored completions (prompt, completion, score, reference_scores). */
    public boolean isScored() {
        return kind == Kind.SCORED;
    }

    public Kind kind() {
        return kind;
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive) as a dataset of the same name, tokenizer and kind. */
    public Dataset slice(int from, int to) {
        return new Dataset(name, rows.subList(from, to), tokenizer, kind);
    }
}
