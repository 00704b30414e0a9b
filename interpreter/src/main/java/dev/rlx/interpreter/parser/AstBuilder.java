package dev.rlx.interpreter.parser;

import dev.rlx.grammar.RlxLexer;
import dev.rlx.grammar.RlxParser;
import dev.rlx.grammar.RlxParserBaseVisitor;
import dev.rlx.interpreter.ast.Ast;
import dev.rlx.interpreter.ast.Ast.*;
import dev.rlx.interpreter.ast.Span;
import dev.rlx.interpreter.diag.Diagnostic;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.BufferedTokenStream;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

/** Builds the immutable {@link Ast} from a parse tree. Literal errors (bad escapes, huge ints) are collected. */
final class AstBuilder extends RlxParserBaseVisitor<Object> {
    private final String sourceName;
    private final BufferedTokenStream tokens;
    private final List<Diagnostic> diagnostics;

    AstBuilder(String sourceName, BufferedTokenStream tokens, List<Diagnostic> diagnostics) {
        this.sourceName = sourceName;
        this.tokens = tokens;
        this.diagnostics = diagnostics;
    }

    Span span(ParserRuleContext ctx) {
        Token start = ctx.getStart();
        Token stop = ctx.getStop() != null && ctx.getStop().getStopIndex() >= start.getStartIndex()
                ? ctx.getStop() : start;
        return new Span(sourceName, start.getLine(), start.getCharPositionInLine() + 1, start.getStartIndex(),
                stop.getStopIndex() + 1);
    }

    Span span(Token token) {
        return new Span(sourceName, token.getLine(), token.getCharPositionInLine() + 1, token.getStartIndex(),
                token.getStopIndex() + 1);
    }

    Ast.Module module(RlxParser.ModuleContext ctx) {
        List<Import> imports = new ArrayList<>();
        List<Decl> decls = new ArrayList<>();
        for (var child : ctx.children) {
            if (child instanceof RlxParser.ImportDeclContext i) {
                imports.add(importDecl(i));
            } else if (child instanceof RlxParser.DeclarationContext d) {
                decls.add((Decl) visit(d));
            }
        }
        return new Ast.Module(sourceName, imports, decls);
    }

    Import importDecl(RlxParser.ImportDeclContext ctx) {
        return new Import(stringValue(ctx.path), ctx.alias == null ? null : ctx.alias.getText(), span(ctx),
                span(ctx.path));
    }

    @Override
    public Decl visitRewardFunctionDecl(RlxParser.RewardFunctionDeclContext ctx) {
        return decl(DeclKind.REWARD, ctx, ctx.name, params(ctx.paramList()), ctx.body);
    }

    @Override
    public Decl visitRewardValueDecl(RlxParser.RewardValueDeclContext ctx) {
        return decl(DeclKind.REWARD, ctx, ctx.name, null, ctx.body);
    }

    @Override
    public Decl visitExperimentDecl(RlxParser.ExperimentDeclContext ctx) {
        return decl(DeclKind.EXPERIMENT, ctx, ctx.name, null, ctx.body);
    }

    @Override
    public Decl visitFunctionDecl(RlxParser.FunctionDeclContext ctx) {
        return decl(DeclKind.FUNCTION, ctx, ctx.name, params(ctx.paramList()), ctx.body);
    }

    @Override
    public Decl visitValueDecl(RlxParser.ValueDeclContext ctx) {
        return decl(DeclKind.VALUE, ctx, ctx.name, null, ctx.body);
    }

    private Decl decl(DeclKind kind, ParserRuleContext ctx, Token name, List<Param> params,
                      RlxParser.ExprContext body) {
        return new Decl(kind, name.getText(), params, expr(body), docComment(ctx.getStart()), span(ctx), span(name));
    }

    /** The `///` lines directly above a declaration, without their markers. */
    private String docComment(Token start) {
        List<Token> hidden = tokens.getHiddenTokensToLeft(start.getTokenIndex(), RlxLexer.DOC);
        if (hidden == null || hidden.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (Token t : hidden) {
            String line = t.getText().substring(3);
            sb.append(line.startsWith(" ") ? line.substring(1) : line).append('\n');
        }
        return sb.toString().stripTrailing();
    }

    List<Param> params(RlxParser.ParamListContext ctx) {
        List<Param> out = new ArrayList<>();
        for (var p : ctx.param()) {
            out.add(new Param(p.name.getText(), p.defaultValue == null ? null : expr(p.defaultValue), span(p)));
        }
        return out;
    }

    Expr expr(RlxParser.ExprContext ctx) {
        return (Expr) visit(ctx);
    }

    @Override
    public Expr visitCallExpr(RlxParser.CallExprContext ctx) {
        List<Arg> args = new ArrayList<>();
        if (ctx.argList() != null) {
            for (var a : ctx.argList().arg()) {
                args.add(new Arg(a.name == null ? null : a.name.getText(), expr(a.value), span(a)));
            }
        }
        return new Call(expr(ctx.expr()), args, span(ctx));
    }

    @Override
    public Expr visitMemberExpr(RlxParser.MemberExprContext ctx) {
        return new Member(expr(ctx.expr()), ctx.name.getText(), span(ctx), span(ctx.name));
    }

    @Override
    public Expr visitIndexExpr(RlxParser.IndexExprContext ctx) {
        return new Index(expr(ctx.expr(0)), expr(ctx.index), span(ctx));
    }

    @Override
    public Expr visitSliceExpr(RlxParser.SliceExprContext ctx) {
        return new Slice(expr(ctx.expr(0)), ctx.from == null ? null : expr(ctx.from),
                ctx.to == null ? null : expr(ctx.to), span(ctx));
    }

    @Override
    public Expr visitPowerExpr(RlxParser.PowerExprContext ctx) {
        return new Binary(BinaryOp.POW, expr(ctx.left), expr(ctx.right), span(ctx), span(ctx.POW().getSymbol()));
    }

    @Override
    public Expr visitNegateExpr(RlxParser.NegateExprContext ctx) {
        Expr operand = expr(ctx.operand);
        // fold `-3` into a literal so that `--set x=-3` and printing see a plain number
        if (operand instanceof IntLit i) {
            return new IntLit(-i.value(), span(ctx));
        }
        if (operand instanceof FloatLit f) {
            return new FloatLit(-f.value(), span(ctx));
        }
        return new Unary(UnaryOp.NEG, operand, span(ctx));
    }

    @Override
    public Expr visitNotExpr(RlxParser.NotExprContext ctx) {
        return new Unary(UnaryOp.NOT, expr(ctx.operand), span(ctx));
    }

    @Override
    public Expr visitMulExpr(RlxParser.MulExprContext ctx) {
        BinaryOp op = switch (ctx.op.getType()) {
            case RlxLexer.STAR -> BinaryOp.MUL;
            case RlxLexer.SLASH -> BinaryOp.DIV;
            default -> BinaryOp.MOD;
        };
        return binary(op, ctx.left, ctx.right, ctx, ctx.op);
    }

    @Override
    public Expr visitAddExpr(RlxParser.AddExprContext ctx) {
        return binary(ctx.op.getType() == RlxLexer.PLUS ? BinaryOp.ADD : BinaryOp.SUB, ctx.left, ctx.right, ctx,
                ctx.op);
    }

    @Override
    public Expr visitCompareExpr(RlxParser.CompareExprContext ctx) {
        BinaryOp op = switch (ctx.op.getType()) {
            case RlxLexer.LT -> BinaryOp.LT;
            case RlxLexer.LE -> BinaryOp.LE;
            case RlxLexer.GT -> BinaryOp.GT;
            case RlxLexer.GE -> BinaryOp.GE;
            case RlxLexer.EQ -> BinaryOp.EQ;
            default -> BinaryOp.NE;
        };
        return binary(op, ctx.left, ctx.right, ctx, ctx.op);
    }

    @Override
    public Expr visitAndExpr(RlxParser.AndExprContext ctx) {
        return binary(BinaryOp.AND, ctx.left, ctx.right, ctx, ctx.AND().getSymbol());
    }

    @Override
    public Expr visitOrExpr(RlxParser.OrExprContext ctx) {
        return binary(BinaryOp.OR, ctx.left, ctx.right, ctx, ctx.OR().getSymbol());
    }

    private Expr binary(BinaryOp op, RlxParser.ExprContext l, RlxParser.ExprContext r, ParserRuleContext ctx,
                        Token opToken) {
        return new Binary(op, expr(l), expr(r), span(ctx), span(opToken));
    }

    @Override
    public Expr visitPrimaryExpr(RlxParser.PrimaryExprContext ctx) {
        return (Expr) visit(ctx.primary());
    }

    @Override
    public Expr visitIfExpr(RlxParser.IfExprContext ctx) {
        return new If(expr(ctx.cond), expr(ctx.thenBranch), expr(ctx.elseBranch), span(ctx));
    }

    @Override
    public Expr visitLetExpr(RlxParser.LetExprContext ctx) {
        List<Binding> bindings = new ArrayList<>();
        for (var b : ctx.binding()) {
            bindings.add(new Binding(b.name.getText(), b.paramList() == null ? null : params(b.paramList()),
                    expr(b.value), span(b)));
        }
        return new Let(bindings, expr(ctx.body), span(ctx));
    }

    @Override
    public Expr visitLambdaExpr(RlxParser.LambdaExprContext ctx) {
        var lp = ctx.lambdaParams();
        List<Param> params = lp.paramList() != null ? params(lp.paramList())
                : List.of(new Param(lp.NAME().getText(), null, span(lp.NAME().getSymbol())));
        return new Lambda(params, expr(ctx.body), span(ctx));
    }

    @Override
    public Expr visitIntLiteral(RlxParser.IntLiteralContext ctx) {
        String text = ctx.getText().replace("_", "");
        try {
            return new IntLit(Long.parseLong(text), span(ctx));
        } catch (NumberFormatException e) {
            diagnostics.add(Diagnostic.at(span(ctx), "integer literal " + ctx.getText() + " is out of range",
                    "ints are 64-bit (at most 9223372036854775807); write a float such as 1e20"));
            return new IntLit(0, span(ctx));
        }
    }

    @Override
    public Expr visitFloatLiteral(RlxParser.FloatLiteralContext ctx) {
        double v = Double.parseDouble(ctx.getText().replace("_", ""));
        if (Double.isInfinite(v)) {
            diagnostics.add(Diagnostic.at(span(ctx), "float literal " + ctx.getText() + " is out of range"));
        }
        return new FloatLit(v, span(ctx));
    }

    @Override
    public Expr visitStringLiteral(RlxParser.StringLiteralContext ctx) {
        return new StringLit(stringValue(ctx.string()), span(ctx));
    }

    @Override
    public Expr visitBoolLiteral(RlxParser.BoolLiteralContext ctx) {
        return new BoolLit(ctx.TRUE() != null, span(ctx));
    }

    @Override
    public Expr visitNoneLiteral(RlxParser.NoneLiteralContext ctx) {
        return new NoneLit(span(ctx));
    }

    @Override
    public Expr visitNameRef(RlxParser.NameRefContext ctx) {
        return new Name(ctx.getText(), span(ctx));
    }

    @Override
    public Expr visitTaggedRecord(RlxParser.TaggedRecordContext ctx) {
        return record(ctx.tag.getText(), ctx.record(), span(ctx));
    }

    @Override
    public Expr visitRecordLiteral(RlxParser.RecordLiteralContext ctx) {
        return record(null, ctx.record(), span(ctx));
    }

    private Expr record(String tag, RlxParser.RecordContext ctx, Span span) {
        List<Field> fields = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (var f : ctx.field()) {
            String name = f.name.getText();
            if (seen.contains(name)) {
                diagnostics.add(Diagnostic.at(span(f.name), "duplicate field '" + name + "' in record"));
            }
            seen.add(name);
            fields.add(new Field(name, expr(f.value), span(f)));
        }
        return new RecordLit(tag, fields, span);
    }

    @Override
    public Expr visitListLiteral(RlxParser.ListLiteralContext ctx) {
        List<Expr> items = new ArrayList<>();
        for (var e : ctx.expr()) {
            items.add(expr(e));
        }
        return new ListLit(items, span(ctx));
    }

    @Override
    public Expr visitParenExpr(RlxParser.ParenExprContext ctx) {
        return expr(ctx.expr());
    }

    private String stringValue(RlxParser.StringContext ctx) {
        Token t = ctx.getStart();
        String text = t.getText();
        if (t.getType() == RlxLexer.RAW_STRING) {
            return text.substring(2, text.length() - 1);
        }
        return StringEscapes.unescape(text.substring(1, text.length() - 1), (offset, message) ->
                diagnostics.add(new Diagnostic(sourceName, t.getLine(), t.getCharPositionInLine() + 2 + offset, 2,
                        message, "escapes are \\n \\t \\r \\0 \\\\ \\\" and \\u{hex}; use r\"...\" for regexes")));
    }
}
