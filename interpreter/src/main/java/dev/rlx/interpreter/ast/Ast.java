package dev.rlx.interpreter.ast;

import java.util.List;

/**
 * The immutable syntax tree of a module, built from the ANTLR parse tree by
 * {@link dev.rlx.interpreter.parser.AstBuilder}. Every node carries its {@link Span} so that
 * resolve and runtime errors can point at the source.
 */
public final class Ast {
    private Ast() {}

    /** A whole file: imports first, then declarations in source order. */
    public record Module(String sourceName, List<Import> imports, List<Decl> decls) {}

    public record Import(String path, String alias, Span span, Span pathSpan) {}

    public enum DeclKind { VALUE, FUNCTION, REWARD, EXPERIMENT }

    /**
     * A top-level declaration. Functions and reward functions have {@code params}; value bindings,
     * `reward x = expr` and experiments have {@code params == null}.
     */
    public record Decl(DeclKind kind, String name, List<Param> params, Expr body, String doc, Span span,
                       Span nameSpan) {
        public boolean isFunction() {
            return params != null;
        }
    }

    public record Param(String name, Expr defaultValue, Span span) {}

    public record Arg(String name, Expr value, Span span) {}

    public record Field(String name, Expr value, Span span) {}

    /** One `name = value` or `name(params) = body` of a `let`. */
    public record Binding(String name, List<Param> params, Expr value, Span span) {}

    public sealed interface Expr permits IntLit, FloatLit, StringLit, BoolLit, NoneLit, Name, ListLit, RecordLit,
            Call, Member, Index, Slice, Binary, Unary, If, Let, Lambda {
        Span span();
    }

    public record IntLit(long value, Span span) implements Expr {}

    public record FloatLit(double value, Span span) implements Expr {}

    public record StringLit(String value, Span span) implements Expr {}

    public record BoolLit(boolean value, Span span) implements Expr {}

    public record NoneLit(Span span) implements Expr {}

    public record Name(String name, Span span) implements Expr {}

    public record ListLit(List<Expr> items, Span span) implements Expr {}

    /** `{a: 1}` or, with a tag, `train { ... }`. */
    public record RecordLit(String tag, List<Field> fields, Span span) implements Expr {}

    public record Call(Expr callee, List<Arg> args, Span span) implements Expr {}

    public record Member(Expr target, String name, Span span, Span nameSpan) implements Expr {}

    public record Index(Expr target, Expr index, Span span) implements Expr {}

    public record Slice(Expr target, Expr from, Expr to, Span span) implements Expr {}

    public enum BinaryOp {
        ADD("+"), SUB("-"), MUL("*"), DIV("/"), MOD("%"), POW("**"),
        LT("<"), LE("<="), GT(">"), GE(">="), EQ("=="), NE("!="), AND("and"), OR("or");

        public final String symbol;

        BinaryOp(String symbol) {
            this.symbol = symbol;
        }
    }

    public record Binary(BinaryOp op, Expr left, Expr right, Span span, Span opSpan) implements Expr {}

    public enum UnaryOp { NEG, NOT }

    public record Unary(UnaryOp op, Expr operand, Span span) implements Expr {}

    public record If(Expr cond, Expr thenBranch, Expr elseBranch, Span span) implements Expr {}

    public record Let(List<Binding> bindings, Expr body, Span span) implements Expr {}

    public record Lambda(List<Param> params, Expr body, Span span) implements Expr {}
}
