package dev.rlx.engine.data;

import dev.rlx.engine.tokenizer.Tokenizer;
import java.util.List;

/** An immutable, indexable list of rows with a name and a tokenizer that covers its prompts and answers. */
public final class Dataset {
    private final String name;
    private final List<Row> rows;
    private final Tokenizer tokenizer;

    public Dataset(String name, List<Row> rows, Tokenizer tokenizer) {
        this.name = name;
        this.rows = List.copyOf(rows);
        this.tokenizer = tokenizer;
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

    /** Rows {@code from} (inclusive) to {@code to} (exclusive) as a dataset of the same name and tokenizer. */
    public Dataset slice(int from, int to) {
        return new Dataset(name, rows.subList(from, to), tokenizer);
    }
}
