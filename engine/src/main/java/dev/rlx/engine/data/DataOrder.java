package dev.rlx.engine.data;

import java.util.SplittableRandom;

/**
 * The order in which a run visits its rows: a seeded permutation per pass over the data, addressed by one
 * integer cursor, so a checkpoint stores the whole data position as that cursor.
 */
public final class DataOrder {
    private final int size;
    private final long seed;
    private long cursor;
    private int[] perm;
    private long permEpoch = -1;

    public DataOrder(int size, long seed, long cursor) {
        if (size <= 0) throw new IllegalArgumentException("no rows to visit");
        this.size = size;
        this.seed = seed;
        this.cursor = cursor;
    }

    /** The next row's index. */
    public int next() {
        long epoch = cursor / size;
        if (epoch != permEpoch) {
            perm = Shuffle.permutation(size, new SplittableRandom(Shuffle.seed(seed, epoch, 0xDA7A)));
            permEpoch = epoch;
        }
        return perm[(int) (cursor++ % size)];
    }

    public long cursor() {
        return cursor;
    }
}
