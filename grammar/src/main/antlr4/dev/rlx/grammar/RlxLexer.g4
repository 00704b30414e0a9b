// The tokens of .rlx. Newlines are insignificant: every declaration starts with a name or a
// keyword, and no expression continues with a bare name, so declarations need no separators.
lexer grammar RlxLexer;

channels { DOC }

IMPORT     : 'import';
AS         : 'as';
REWARD     : 'reward';
EXPERIMENT : 'experiment';
IF         : 'if';
THEN       : 'then';
ELSE       : 'else';
LET        : 'let';
IN         : 'in';
AND        : 'and';
OR         : 'or';
NOT        : 'not';
TRUE       : 'true';
FALSE      : 'false';
NONE       : 'none';

ARROW   : '=>';
EQ      : '==';
NE      : '!=';
LE      : '<=';
GE      : '>=';
LT      : '<';
GT      : '>';
ASSIGN  : '=';
POW     : '**';
PLUS    : '+';
MINUS   : '-';
STAR    : '*';
SLASH   : '/';
PERCENT : '%';
LPAREN  : '(';
RPAREN  : ')';
LBRACK  : '[';
RBRACK  : ']';
LBRACE  : '{';
RBRACE  : '}';
COMMA   : ',';
COLON   : ':';
SEMI    : ';';
DOT     : '.';

FLOAT
    : DIGITS '.' DIGITS EXPONENT?
    | DIGITS EXPONENT
    ;
INT : DIGITS;

// "..." with escapes \n \t \r \\ \" \0 \u{hex}; r"..." is raw (no escapes), for regexes.
STRING     : '"' (ESCAPE | ~["\\\r\n])* '"';
RAW_STRING : 'r"' ~["\r\n]* '"';
// An opening quote that never closes on its line: reported as one clear error, not as a cascade.
UNTERMINATED_STRING : 'r'? '"' (ESCAPE | ~["\\\r\n])*;

NAME : [a-zA-Z_] [a-zA-Z_0-9]*;

// `///` lines document the declaration that follows (shown by `:help`).
DOC_COMMENT   : '///' ~[\r\n]* -> channel(DOC);
LINE_COMMENT  : '//' ~[\r\n]* -> skip;
BLOCK_COMMENT : '/*' .*? '*/' -> skip;
WS            : [ \t\r\n\f]+ -> skip;

// Anything else is one bad character; the parser reports it at its position.
BAD_CHAR : . ;

fragment DIGITS   : [0-9] ('_'? [0-9])*;
fragment EXPONENT : [eE] [+-]? DIGITS;
fragment ESCAPE   : '\\' ( [ntr0\\"] | 'u{' [0-9a-fA-F]+ '}' | . );
