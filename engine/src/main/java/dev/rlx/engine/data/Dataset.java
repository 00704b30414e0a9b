package dev.rlx.engine.data;

import dev.rlx.engine.tokenizer.Tokenizer;
import java.util.List;

/**
 * An immutable, indexable list of rows with a name and a tokenizer that covers its prompts and answers. A pair
 * dataset ({@link #isPairs()}) holds preference pairs: every row has string fields {@link PreferencePairs#CHOSEN}
 * and {@link PreferencePairs#REJECTED} (see {@link PreferencePairs}); its prompts still serve as prompts.
 */
public final class Dataset {
    private final String name;
    private final List<Row> rows;
    private final Tokenizer tokenizer;
    private final boolean pairs;

    public Dataset(String name, List<Row> rows, Tokenizer tokenizer) {
        this(name, rows, tokenizer, false);
    }

    /** @param pairs whether every row is a preference pair; checked, so that readers of pairs can trust it */
    public Dataset(String name, List<Row> rows, Tokenizer tokenizer, boolean pairs) {
        this.name = name;
        this.rows = List.copyOf(rows);
        this.tokenizer = tokenizer;
        this.pairs = pairs;
        if (pairs) {
            for (int i = 0; i < this.rows.size(); i++) {
                if (!PreferencePairs.isPair(this.rows.get(i))) {
                    throw new IllegalArgumentException("row " + i + " of " + name + " is not a preference pair: "
                            + this.rows.get(i));
                }
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
        return pairs;
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive) as a dataset of the same name, tokenizer and kind. */
    public Dataset slice(int from, int to) {
        return new Dataset(name, rows.subList(from, to), tokenizer, pairs);
    }
}
