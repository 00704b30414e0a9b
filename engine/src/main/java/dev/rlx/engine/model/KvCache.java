package dev.rlx.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Keys and values of the tokens seen so far, per layer, shape [B, kvHeads, L, headDim]. The cache owns its
 * arrays through its own manager; each append replaces (and frees) the previous step's arrays, so a long
 * generation keeps one copy per layer alive, not one per step.
 */
public final class KvCache implements AutoCloseable {
    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private int length;

    public KvCache(NDManager parent, int layers) {
        this.manager = parent.newSubManager();
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
    }

    /** Number of positions already cached (the same for every row: left padding keeps rows aligned). */
    public int length() {
        return length;
    }

    /** Appends this step's k, v for one layer and returns the full cached k, v. */
    NDArray[] append(int layer, NDArray k, NDArray v) {
        if (keys[layer] == null) {
            replace(layer, k, v);
        } else {
            replace(layer, NDArrays.concat(new NDList(keys[layer], k), 2),
                    NDArrays.concat(new NDList(values[layer], v), 2));
        }
        if (layer == keys.length - 1) {
            length = (int) keys[layer].getShape().get(2);
        }
        return new NDArray[] {keys[layer], values[layer]};
    }

    /** Row r of every cached tensor becomes row {@code rows[r]} of the old one (int64 [B']): copies shared prompts. */
    public void selectRows(NDArray rows) {
        for (int i = 0; i < keys.length; i++) {
            replace(i, rows(keys[i], rows), rows(values[i], rows));
        }
    }

    /**
     * Row r of the result is row {@code rows[r]} of {@code x} (axis 0; int64 [B'], repeats allowed). A gather, not
     * advanced indexing ({@code x.get(rows)}): both copy the same values, but the backward of indexing is
     * index_put with accumulation, which libtorch runs on the CPU with parallel atomic adds, so a prompt's gradient,
     * summed over the rows that repeat it, came out in another order from run to run. Gather's backward
     * (scatter_add) sums each element's copies in index order.
     */
    public static NDArray rows(NDArray x, NDArray rows) {
        Shape s = x.getShape();
        long b = rows.getShape().get(0);
        long[] ones = new long[s.dimension()];
        Arrays.fill(ones, 1);
        ones[0] = b;
        long[] full = s.getShape();
        full[0] = b;
        try (NDArray column = rows.reshape(new Shape(ones)); NDArray index = column.broadcast(new Shape(full))) {
            return x.gather(index, 0);
        }
    }

    /** Makes k, v the cache's arrays for {@code layer}, freeing the ones they replace. */
    private void replace(int layer, NDArray k, NDArray v) {
        if (keys[layer] != null) {
            keys[layer].close();
            values[layer].close();
        }
        k.attach(manager);
        v.attach(manager);
        keys[layer] = k;
        values[layer] = v;
    }

    @Override
    public void close() {
        manager.close();
    }
}
