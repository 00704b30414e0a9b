package dev.rlx.engine.rl;

import dev.rlx.engine.data.Shuffle;
import java.util.SplittableRandom;

/**
 * The order in which a run visits its prompts: a seeded permutation per pass over the data, addressed by one
 * integer cursor, so a checkpoint stores the whole data position as that cursor.
 */
final class PromptOrder {
    private final PromptSource data;
    private final long seed;
    private long cursor;
    private int[] perm;
    private long permEpoch = -1;

    PromptOrder(PromptSource data, long seed, long cursor) {
        this.data = data;
        this.seed = seed;
        this.cursor = cursor;
    }

    PromptSource.Prompt next() {
        int n = data.size();
        long epoch = cursor / n;
        if (epoch != permEpoch) {
            perm = Shuffle.permutation(n, new SplittableRandom(Shuffle.seed(seed, epoch, 0xDA7A)));
            permEpoch = epoch;
        }
        return data.get(perm[(int) (cursor++ % n)]);
    }

    long cursor() {
        return cursor;
    }
}
