// The syntax of .rlx: a module is imports and declarations; everything else is an expression.
// No embedded actions: dev.rlx.interpreter.parser builds the AST from this parse tree.
parser grammar RlxParser;

options { tokenVocab = RlxLexer; }

module      : (importDecl | declaration)* EOF;

// A REPL line: one declaration, import or expression.
replInput   : (importDecl | declaration | expr) EOF;
// `rlx eval EXPR` and `--set name=value`.
exprInput   : expr EOF;

importDecl  : IMPORT path=string AS alias=NAME SEMI?;

declaration
    : REWARD name=NAME paramList ASSIGN body=expr SEMI?     # RewardFunctionDecl
    | REWARD name=NAME ASSIGN body=expr SEMI?               # RewardValueDecl
    | EXPERIMENT name=NAME ASSIGN body=expr SEMI?           # ExperimentDecl
    | name=NAME paramList ASSIGN body=expr SEMI?            # FunctionDecl
    | name=NAME ASSIGN body=expr SEMI?                      # ValueDecl
    ;

paramList   : LPAREN (param (COMMA param)* COMMA?)? RPAREN;
param       : name=NAME (ASSIGN defaultValue=expr)?;

// Precedence climbs from the bottom alternative up; prefix forms (`if`, `let`, lambdas) come
// last so that `else f(x) + g(x)` takes the whole sum (see STACK.md).
expr
    : expr LPAREN argList? RPAREN                           # CallExpr
    | expr DOT name=NAME                                    # MemberExpr
    | expr LBRACK index=expr RBRACK                         # IndexExpr
    | expr LBRACK from=expr? COLON to=expr? RBRACK          # SliceExpr
    | <assoc = right> left=expr POW right=expr              # PowerExpr
    | MINUS operand=expr                                    # NegateExpr
    | left=expr op=(STAR | SLASH | PERCENT) right=expr      # MulExpr
    | left=expr op=(PLUS | MINUS) right=expr                # AddExpr
    | left=expr op=(LT | LE | GT | GE | EQ | NE) right=expr # CompareExpr
    | NOT operand=expr                                      # NotExpr
    | left=expr AND right=expr                              # AndExpr
    | left=expr OR right=expr                               # OrExpr
    | primary                                               # PrimaryExpr
    | IF cond=expr THEN thenBranch=expr ELSE elseBranch=expr # IfExpr
    | LET binding (COMMA binding)* IN body=expr             # LetExpr
    | lambdaParams ARROW body=expr                          # LambdaExpr
    ;

binding     : name=NAME paramList? ASSIGN value=expr;

lambdaParams
    : paramList
    | NAME
    ;

argList     : arg (COMMA arg)* COMMA?;
arg         : (name=NAME COLON)? value=expr;

primary
    : INT                                                   # IntLiteral
    | FLOAT                                                 # FloatLiteral
    | string                                                # StringLiteral
    | (TRUE | FALSE)                                        # BoolLiteral
    | NONE                                                  # NoneLiteral
    | NAME                                                  # NameRef
    | tag=NAME record                                       # TaggedRecord
    | record                                                # RecordLiteral
    | LBRACK (expr (COMMA expr)* COMMA?)? RBRACK            # ListLiteral
    | LPAREN expr RPAREN                                    # ParenExpr
    ;

record      : LBRACE (field (COMMA field)* COMMA?)? RBRACE;
field       : name=NAME COLON value=expr;

string      : STRING | RAW_STRING;
