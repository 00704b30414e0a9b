package dev.rlx.interpreter.experiment;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import dev.rlx.engine.rl.Batch;
import dev.rlx.engine.tensor.Tensor;
import dev.rlx.interpreter.runtime.EngineValue;
import dev.rlx.interpreter.runtime.MemberValue;
import dev.rlx.interpreter.runtime.RlxNone;
import dev.rlx.interpreter.runtime.RlxRecord;
import dev.rlx.interpreter.runtime.Values;
import dev.rlx.interpreter.tensor.TensorValue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The batch record `b` that credit and loss functions see: `b.scores`, `b.mask`, `b.logp`, ... as
 * tensors (none when the run has no such field, e.g. `b.values` without a critic), `b.group` as an int,
 * `b.terms` as a record of each reward term's scores and `b.state` as the record carried from the previous
 * step. Fields are read lazily from the engine's batch, so `b.old_logp` costs a forward pass only when a
 * function reads it. Reading `b.ref_logp` or `b.state` when the experiment does not ask for them is an error at
 * the read: as none they would only fail later, in arithmetic far from the cause.
 */
public final class BatchValue implements EngineValue, MemberValue {
    private final Batch batch;

    public BatchValue(Batch batch) {
        this.batch = batch;
    }

    @Override
    public String typeName() {
        return "batch";
    }

    @Override
    @TruffleBoundary
    public String display() {
        return "<batch " + batch.size() + " rows, group " + batch.group() + ">";
    }

    @Override
    @TruffleBoundary
    public Object member(String name) {
        if (!Batch.FIELDS.contains(name)) {
            return null;
        }
        Object v = batch.field(name);
        if (v == null && name.equals("ref_logp")) {
            throw new Unavailable("the batch has no ref_logp: this experiment keeps no reference model",
                    "set `reference: true` in its train record (recipes with a KL term do when beta > 0)");
        }
        if (v == null && name.equals("state")) {
            throw new Unavailable("the batch has no state: this experiment carries none",
                    "declare the first state in its train record, e.g. `state: credit.baseline_state()`");
        }
        if (v == null) {
            return RlxNone.INSTANCE;
        }
        if (name.equals("state")) {
            return Values.toRlx(v);
        }
        if (v instanceof Integer i) {
            return (long) i;
        }
        if (v instanceof Tensor t) {
            return new TensorValue(t);
        }
        if (v instanceof Map<?, ?> terms) {
            List<String> keys = new ArrayList<>();
            List<Object> values = new ArrayList<>();
            terms.forEach((k, t) -> {
                keys.add((String) k);
                values.add(new TensorValue((Tensor) t));
            });
            return RlxRecord.of(null, keys, values);
        }
        throw new IllegalStateException("batch field " + name + " has type " + v.getClass());
    }

    @Override
    public Collection<String> memberNames() {
        return Batch.FIELDS;
    }
}
