package dev.rlx.interpreter.experiment;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import dev.rlx.engine.pref.PreferenceBatch;
import dev.rlx.engine.tensor.Tensor;
import dev.rlx.interpreter.runtime.EngineValue;
import dev.rlx.interpreter.runtime.MemberValue;
import dev.rlx.interpreter.runtime.MemberValue.Unavailable;
import dev.rlx.interpreter.tensor.TensorValue;
import java.util.Collection;

/**
 * The batch record `b` a preference loss sees: `b.chosen_logp`, `b.ref_rejected_logp`, `b.kl`, ... as tensors
 * (see {@link PreferenceBatch}), read lazily so `b.kl` costs its forward passes only when a loss reads it. Reading
 * a reference field in an experiment without a reference is an error at the read, saying how to get one.
 */
public final class PreferenceBatchValue implements EngineValue, MemberValue {
    private final PreferenceBatch batch;

    public PreferenceBatchValue(PreferenceBatch batch) {
        this.batch = batch;
    }

    @Override
    public String typeName() {
        return "preference batch";
    }

    @Override
    @TruffleBoundary
    public String display() {
        return "<preference batch " + batch.size() + " pairs>";
    }

    @Override
    @TruffleBoundary
    public Object member(String name) {
        if (!PreferenceBatch.FIELDS.contains(name)) {
            return null;
        }
        Tensor t = batch.field(name);
        if (t == null) {
            throw new Unavailable("the batch has no " + name + ": this experiment keeps no reference model",
                    "set `reference: true` in its preference record (the DPO, IPO and KTO losses need one)");
        }
        return new TensorValue(t);
    }

    @Override
    public Collection<String> memberNames() {
        return PreferenceBatch.FIELDS;
    }
}
