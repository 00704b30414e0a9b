package dev.rlx.interpreter.api;

import dev.rlx.interpreter.ast.Ast;
import dev.rlx.interpreter.experiment.TrainSchemaHelp;
import dev.rlx.interpreter.runtime.GlobalCell;
import dev.rlx.interpreter.runtime.RlxFunction;
import dev.rlx.interpreter.runtime.RlxModule;
import dev.rlx.interpreter.runtime.RlxReward;
import dev.rlx.interpreter.runtime.Types;

/** `:help NAME`: the signature and doc comment of a builtin, a binding or a module member. */
final class Help {
    private Help() {}

    static String describe(RlxSession session, String name) {
        String schema = TrainSchemaHelp.describe(name);
        Object v = session.lookupForHelp(name);
        if (v == null) {
            return schema != null ? schema : "no help for '" + name + "': not a builtin, binding or module member";
        }
        if (schema != null) {
            // a binding named like the train record (`train = tasks.addition(...)`) does not hide the schema
            return describeValue(session, name, v) + "\n\n" + schema;
        }
        return describeValue(session, name, v);
    }

    private static String describeValue(RlxSession session, String name, Object v) {
        if (v instanceof RlxReward r && r.isSingle()) {
            v = r.terms().get(0).function();
        }
        if (v instanceof RlxFunction f) {
            String doc = f.doc() != null ? f.doc() : declDoc(session, name);
            return f.signature().toString().replaceFirst("^[^(]*", name) + (doc == null ? "" : "\n" + indent(doc));
        }
        if (v instanceof RlxModule m) {
            StringBuilder sb = new StringBuilder("module " + m.name() + ":");
            for (var e : m.cells().entrySet()) {
                sb.append("\n  ").append(e.getKey());
                Ast.Decl d = e.getValue().decl();
                if (d != null && d.isFunction()) {
                    sb.append('(').append(String.join(", ", d.params().stream().map(Ast.Param::name).toList())).append(')');
                }
            }
            return sb.toString();
        }
        return name + " : " + Types.name(v);
    }

    /** Doc comments of script functions live on their declarations; find the one behind `mod.name`. */
    private static String declDoc(RlxSession session, String name) {
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            return null;
        }
        Object owner = session.lookupForHelp(name.substring(0, dot));
        if (owner instanceof RlxModule m) {
            GlobalCell cell = m.cell(name.substring(dot + 1));
            return cell != null && cell.decl() != null ? cell.decl().doc() : null;
        }
        return null;
    }

    private static String indent(String doc) {
        return doc.lines().map(l -> "  " + l).reduce((a, b) -> a + "\n" + b).orElse("");
    }
}
