package dev.rlx.engine.rl;

import dev.rlx.engine.data.DataOrder;

/** The run's prompts in {@link DataOrder}: a seeded permutation per pass, one cursor in the checkpoint. */
final class PromptOrder {
    private final DataOrder order;

    PromptOrder(PromptSource data, long seed, long cursor) {
        this.order = new DataOrder(data.size(), seed, cursor);
    }

    /** The next prompt's row index. */
    int nextIndex() {
        return order.next();
    }

    long cursor() {
        return order.cursor();
    }
}
