package dev.rlx.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

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
        NDArray newK;
        NDArray newV;
        if (keys[layer] == null) {
            newK = k;
            newV = v;
        } else {
            newK = NDArrays.concat(new NDList(keys[layer], k), 2);
            newV = NDArrays.concat(new NDList(values[layer], v), 2);
            keys[layer].close();
            values[layer].close();
        }
        newK.attach(manager);
        newV.attach(manager);
        keys[layer] = newK;
        values[layer] = newV;
        if (layer == keys.length - 1) {
            length = (int) newK.getShape().get(2);
        }
        return new NDArray[] {newK, newV};
    }

    /** Row r of every cached tensor becomes row {@code rows[r]} of the old one (int64 [B']): copies shared prompts. */
    public void selectRows(NDArray rows) {
        for (int i = 0; i < keys.length; i++) {
            NDArray k = keys[i].get(rows);
            NDArray v = values[i].get(rows);
            keys[i].close();
            values[i].close();
            k.attach(manager);
            v.attach(manager);
            keys[i] = k;
            values[i] = v;
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
