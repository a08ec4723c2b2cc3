// Policy.g4 - the polc policy language (v1).
//
// No actions and no target code: lib/Parse walks the parse tree and builds
// polc's own AST. Statements need no terminator; every statement starts with a
// keyword, and lists are comma separated.
grammar Policy;

file        : topItem* EOF ;
topItem     : includeDecl | policyDecl | groupDecl | letDecl ;

includeDecl : INCLUDE STRING ;
policyDecl  : POLICY name LBRACE stmt* RBRACE ;
groupDecl   : GROUP name LBRACE stmt* RBRACE ;
// let @{NAME} = PATH, ...: a path variable for every policy of the input.
// The name and values are words so that Sema can say what is wrong.
letDecl     : LET word ASSIGN word (COMMA word)* ;

stmt        : attachStmt | archStmt | defaultStmt | useStmt | intentStmt | syscallStmt
            | onStmt | baselineStmt | childStmt | apparmorStmt | limitStmt ;
// limit RESOURCE VALUE: AppArmor's `set rlimit RESOURCE <= VALUE,`
// (1024, 2GB, 30minutes, infinity, -5).
limitStmt   : LIMIT name MINUS? (NUMBER | IDENT) IDENT? ;
// apparmor flags NAME, ...: the AppArmor profile's flags=(...).
apparmorStmt : APPARMOR name name (COMMA name)* ;
// child NAME { may ... }: an AppArmor child profile of the policy, the
// target of `may exec PATH as child NAME`; hat NAME { may ... }: an AppArmor
// hat (`^NAME`), entered with change_hat(2).
childStmt   : (CHILD | HAT) name LBRACE stmt* RBRACE ;
// on ARCH, ... { syscall ... }: syscall rules for some of the policy's arches.
onStmt      : ON name (COMMA name)* LBRACE stmt* RBRACE ;

attachStmt  : ATTACH word ;
archStmt    : ARCH name (COMMA name)* ;
// default ACTION: what syscalls no rule names get; default arch ACTION: what
// a syscall from an arch the policy does not list gets.
defaultStmt : DEFAULT ARCH? action ;
// baseline kernel 5.10: the oldest kernel the policy runs on. A NUMBER is
// accepted here so that Sema can say what a version looks like.
baselineStmt : BASELINE KERNEL (VERSION | NUMBER) ;
useStmt     : USE name ;

// may [not] VERB... OBJECT..., OBJECT...   (verbs and objects are told apart by Sema)
// `advisory` marks a statement that may be enforced by none of the outputs.
// `trace` is also an action keyword (`syscall trace 1`); `may trace PEER`.
// `may audit use capability X`: the qualifier before 'use', on one line
// (a 'use GROUP' statement may follow an intent on the next).
intentStmt  : ADVISORY? MAY NOT?
              ( {_input->LT(1)->getText() == "audit" &&
                 _input->LT(2)->getType() == USE &&
                 _input->LT(2)->getLine() == _input->LT(1)->getLine()}? IDENT USE
              | IDENT | USE | TRACE ) word* (COMMA word+)* ;

syscallStmt : ADVISORY? SYSCALL action syscallName (COMMA syscallName)* (IF condition)? ;
// A syscall, or a pinned set of them: @file-system.
syscallName : name | SYSCALL_SET ;

action      : ALLOW                                   # allowAction
            | DENY (ERRNO errnoValue)?                # denyAction
            | KILL (THREAD | PROCESS)?                # killAction
            | TRAP                                    # trapAction
            | LOG                                     # logAction
            | TRACE NUMBER                            # traceAction
            | NOTIFY                                  # notifyAction
            ;
errnoValue  : IDENT | NUMBER ;

// Alternatives listed first bind tighter: not > and > or.
condition   : LPAREN condition RPAREN                  # parenCond
            | operand cmpOp operand                    # cmpCond
            | operand NOT? IN LBRACE operand (COMMA operand)* RBRACE  # inCond
            | NOT condition                            # notCond
            | condition AND condition                  # andCond
            | condition OR condition                   # orCond
            ;
// An argument, a constant or a number, optionally masked: 'flags & CLONE_NEWUSER'.
operand     : term (AMP term)* ;
term        : name | MINUS? NUMBER ;
cmpOp       : EQ | NE | LT | LE | GT | GE ;

// Objects may be spelled like keywords that cannot start a statement
// ('may use capability kill').
word        : IDENT | PATH | STRING | NUMBER | VERSION
            | ALLOW | DENY | ERRNO | KILL | THREAD | PROCESS | TRAP | LOG
            | TRACE | NOTIFY | KERNEL | IF | IN | AND | OR | NOT | LET | CHILD | HAT
            | APPARMOR | LIMIT
            // `change profile to P on exec PATH`; `on ARCH {` starts a
            // statement.
            | {_input->LT(2)->getText() == "exec" &&
               _input->LT(2)->getLine() == _input->LT(1)->getLine()}? ON ;
// Names may be spelled like keywords ('syscall allow kill').
name        : IDENT | ALLOW | DENY | KILL | TRAP | LOG | TRACE | NOTIFY | ON
            | THREAD | PROCESS | ERRNO
            | ARCH | ATTACH | DEFAULT | USE | GROUP | POLICY | INCLUDE | IN
            | BASELINE | KERNEL | ADVISORY | LET | CHILD | HAT | APPARMOR | LIMIT ;

POLICY  : 'policy' ;
GROUP   : 'group' ;
INCLUDE : 'include' ;
ATTACH  : 'attach' ;
ARCH    : 'arch' ;
DEFAULT : 'default' ;
USE     : 'use' ;
MAY     : 'may' ;
NOT     : 'not' ;
SYSCALL : 'syscall' ;
ALLOW   : 'allow' ;
DENY    : 'deny' ;
ERRNO   : 'errno' ;
KILL    : 'kill' ;
THREAD  : 'thread' ;
PROCESS : 'process' ;
TRAP    : 'trap' ;
LOG     : 'log' ;
TRACE   : 'trace' ;
NOTIFY  : 'notify' ;
ON      : 'on' ;
BASELINE : 'baseline' ;
KERNEL  : 'kernel' ;
ADVISORY : 'advisory' ;
LET     : 'let' ;
CHILD   : 'child' ;
HAT     : 'hat' ;
APPARMOR : 'apparmor' ;
LIMIT   : 'limit' ;
IF      : 'if' ;
IN      : 'in' ;
AND     : 'and' ;
OR      : 'or' ;

LBRACE : '{' ;
RBRACE : '}' ;
LPAREN : '(' ;
RPAREN : ')' ;
COMMA  : ',' ;
AMP    : '&' ;
MINUS  : '-' ;
EQ     : '==' ;
NE     : '!=' ;
LE     : '<=' ;
GE     : '>=' ;
LT     : '<' ;
GT     : '>' ;
ASSIGN : '=' ;

// A pinned syscall set: '@' and its name (@system-service).
SYSCALL_SET : '@' [a-z0-9] [a-z0-9-]* ;
// A kernel release: 5.10 (longer than the NUMBER 5, so the lexer takes it).
VERSION : [0-9]+ '.' [0-9]+ ( '.' [0-9]+ )* ;
NUMBER : '0' [xX] [0-9a-fA-F]+ | [0-9]+ ;
IDENT  : [a-zA-Z_] [a-zA-Z0-9_.-]* ;
// A bare path: starts with '/' or with a variable ('@{WWW}/**'); a '{...}'
// alternation may hold commas.
// A backslash makes the next character literal. As in AppArmor, '#' starts
// a comment only after whitespace, so '/srv/a#b' is one path.
PATH   : ( '/' | '@{' [a-zA-Z_] [a-zA-Z0-9_]* '}' ) ( ~[ \t\r\n,"{}\\] | '\\' ~[\r\n] | '{' ( ~[ \t\r\n"{}\\] | '\\' ~[\r\n] )* '}' )* ;
STRING : '"' ( ~["\\\r\n] | '\\' ~[\r\n] )* '"' ;

// Comments go to a hidden channel (not skipped) so that `polc fmt` sees them.
COMMENT : '#' ~[\r\n]* -> channel(HIDDEN) ;
WS      : [ \t\r\n]+ -> skip ;
// Anything else: one token on a hidden channel, which lib/Parse reports as an
// invalid character (the parser never sees it, so parsing goes on).
ERRCHAR : . -> channel(HIDDEN) ;
