//===- Syntax.h - the concrete syntax of a policy file ----------*- C++ -*-===//
//
// What `polc fmt` needs and the AST drops: every token as written, comments
// included, and the shape of the parse tree by grammar rule name. No ANTLR
// type crosses this header either; the tree is generic (rule names are
// strings), so a tool walking it keeps working when the grammar grows new
// statements.
//
//===----------------------------------------------------------------------===//
#ifndef POLC_PARSE_SYNTAX_H
#define POLC_PARSE_SYNTAX_H

#include "polc/Support/Diagnostics.h"

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>
#include <vector>

namespace polc::syntax {

enum class TokenKind {
  Keyword,     ///< a literal of letters: 'policy', 'may', 'and', ...
  Punctuation, ///< a literal of other characters: '{', ',', '==', '-', ...
  Comment,     ///< '#' to the end of the line (text as written)
  Word,        ///< a name, path, string, number or kernel version
  Invalid,     ///< a character no token accepts
};

struct Token {
  TokenKind kind;
  unsigned type;       ///< the lexer's token type: equal types, same token
  llvm::StringRef text; ///< into the lexed buffer
  unsigned offset;     ///< byte offset of text in the buffer
};

/// A node of the parse tree: a grammar rule with its children, or a leaf
/// holding one token.
struct Node {
  std::string rule; ///< the grammar rule ("policyDecl", "stmt", ...); empty for a leaf
  int token = -1;   ///< a leaf: index into Tree::tokens
  std::vector<Node> children;
  /// The first and last tokens of the rule (indices into Tree::tokens);
  /// first > last for a rule that matched nothing.
  unsigned first = 1, last = 0;

  bool isLeaf() const { return token >= 0; }
};

struct Tree {
  llvm::StringRef buffer;
  /// Every token, comments included, in order; no whitespace, no end of file.
  std::vector<Token> tokens;
  Node root; ///< rule "file"
};

/// Lexes \p text: every token, comments and invalid characters included.
std::vector<Token> lex(llvm::StringRef text);

/// Parses the buffer \p bufferID of the diagnostics' SourceMgr, reporting
/// syntax errors exactly as parseBuffer does; std::nullopt if there were any.
/// The tree refers into the buffer.
std::optional<Tree> parseSyntax(unsigned bufferID, DiagnosticEngine &diags);

} // namespace polc::syntax

#endif
