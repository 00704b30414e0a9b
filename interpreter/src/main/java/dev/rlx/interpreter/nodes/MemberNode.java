package dev.rlx.interpreter.nodes;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.dsl.Cached;
import com.oracle.truffle.api.dsl.Fallback;
import com.oracle.truffle.api.dsl.NodeChild;
import com.oracle.truffle.api.dsl.Specialization;
import dev.rlx.interpreter.diag.Suggest;
import dev.rlx.interpreter.runtime.GlobalCell;
import dev.rlx.interpreter.runtime.MemberValue;
import dev.rlx.interpreter.runtime.RlxException;
import dev.rlx.interpreter.runtime.RlxModule;
import dev.rlx.interpreter.runtime.RlxRecord;
import dev.rlx.interpreter.runtime.Types;

/** `x.name` on records (cached per record shape), modules (cached per module) and engine values. */
@NodeChild("target")
public abstract class MemberNode extends RlxNode {
    private final String name;

    protected MemberNode(String name) {
        this.name = name;
    }

    protected String name() {
        return name;
    }

    @Specialization(guards = "record.shape() == cachedShape", limit = "4")
    protected Object record(RlxRecord record,
                            @Cached("record.shape()") RlxRecord.Shape cachedShape,
                            @Cached("cachedShape.indexOf(name())") int index) {
        if (index < 0) {
            throw noField(record);
        }
        return record.value(index);
    }

    @Specialization(replaces = "record")
    protected Object recordGeneric(RlxRecord record) {
        Object v = record.get(name);
        if (v == null) {
            throw noField(record);
        }
        return v;
    }

    @Specialization(guards = "module == cachedModule", limit = "2")
    protected Object module(RlxModule module, @Cached("module") RlxModule cachedModule,
                            @Cached("lookup(cachedModule)") GlobalCell cell) {
        return cell.get(this);
    }

    @Specialization(replaces = "module")
    protected Object moduleGeneric(RlxModule module) {
        return lookup(module).get(this);
    }

    @Specialization
    @TruffleBoundary
    protected Object member(MemberValue value) {
        Object v;
        try {
            v = value.member(name);
        } catch (MemberValue.Unavailable e) {
            throw new RlxException(e.getMessage(), e.hint(), this);
        }
        if (v == null) {
            throw new RlxException(Types.name(value) + " has no member '" + name + "'",
                    Suggest.hint(name, value.memberNames()), this);
        }
        return v;
    }

    @Fallback
    protected Object error(Object target) {
        throw new RlxException("cannot read '." + name + "' of a " + Types.name(target), this);
    }

    @TruffleBoundary
    protected GlobalCell lookup(RlxModule module) {
        GlobalCell cell = module.cell(name);
        if (cell == null) {
            throw new RlxException("module " + module.name() + " has no member '" + name + "'",
                    Suggest.hint(name, module.cells().keySet()), this);
        }
        return cell;
    }

    @TruffleBoundary
    private RlxException noField(RlxRecord record) {
        return new RlxException("record has no field '" + name + "' (fields: "
                + String.join(", ", record.shape().keys()) + ")", Suggest.hint(name, record.shape().keys()), this);
    }
}
