package dev.rlx.engine.rl;

import java.nio.file.Path;

/** A non-finite quantity stopped the run; the last good checkpoint is kept and nothing newer is written. */
public final class RlDivergedException extends RuntimeException {
    private final int step;
    private final String quantity;

    public RlDivergedException(int step, String quantity, double value, Path lastCheckpoint) {
        super("step " + step + ": " + quantity + " is " + value + " (training stopped; last good checkpoint: "
                + (lastCheckpoint == null ? "none" : lastCheckpoint) + ")");
        this.step = step;
        this.quantity = quantity;
    }

    public int step() { return step; }
    public String quantity() { return quantity; }
}
