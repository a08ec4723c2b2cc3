//===- Format.cpp - polc fmt ----------------------------------------------===//
//
// The formatter walks the generic syntax tree of lib/Parse (rule names, token
// leaves) and knows only three shapes:
//
//  - an item: a top-level declaration or a statement; it starts a line;
//  - a block: '{' ITEM... '}' where every child between the braces is a rule
//    (and the '{' does not follow 'in'): the items go one per line, indented;
//  - everything else is a run of tokens, laid out on one logical line that
//    wraps at the column limit after a ',' or before 'if', 'and', 'or'.
//
// So a statement the formatter has never heard of is still formatted, by its
// tokens. Comments are not in the tree: they are taken from the token list
// between the tokens that are, a comment on the line of the token before it
// as that line's trailing comment, any other on a line of its own.
//
//===----------------------------------------------------------------------===//
#include "polc/Format/Format.h"

#include "polc/Parse/Syntax.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

using namespace polc;
using namespace polc::syntax;

namespace {

/// Display width: UTF-8 continuation bytes take no column.
unsigned width(llvm::StringRef s) {
  unsigned w = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xc0) != 0x80)
      ++w;
  return w;
}

llvm::StringRef commentText(llvm::StringRef s) { return s.rtrim(" \t\f\v"); }

bool isPunct(const Token &t, llvm::StringRef p) {
  return t.kind == TokenKind::Punctuation && t.text == p;
}
bool isKeyword(const Token &t, llvm::StringRef k) {
  return t.kind == TokenKind::Keyword && t.text == k;
}

/// One output line: indentation, code, and the comment that ends it.
struct OutLine {
  unsigned indent = 0;
  std::string code;     ///< or a comment alone on its line
  std::string trailing; ///< a trailing comment
  bool blankBefore = false;
  bool opensBlock = false;
};

/// A piece of a logical line.
struct Piece {
  enum Kind { Code, TrailingComment, OwnLineComment } kind;
  std::string text;
  bool glue = false;       ///< no space before it
  bool breakBefore = false; ///< the line may wrap before it
  unsigned depth = 0;       ///< of '(' and '{' around that place
};

class Formatter {
public:
  Formatter(const Tree &tree, const format::FormatOptions &opts)
      : tree(tree), toks(tree.tokens), opts(opts) {}

  std::string run() {
    for (const Node &item : tree.root.children)
      if (!item.isLeaf())
        formatItem(item, 0);
    leadingComments(toks.size(), 0);
    return render();
  }

private:
  // --- source positions --------------------------------------------------
  unsigned endOf(unsigned i) const { return toks[i].offset + toks[i].text.size(); }
  unsigned newlinesBetween(unsigned from, unsigned to) const {
    return static_cast<unsigned>(
        tree.buffer.slice(from, to).count('\n'));
  }
  /// Whether token \p i is on the line where token \p i - 1 ends.
  bool sameLineAsPrevious(unsigned i) const {
    return i > 0 && newlinesBetween(endOf(i - 1), toks[i].offset) == 0;
  }
  /// Whether a blank line separates token \p i from the one before it.
  bool blankBefore(unsigned i) const {
    return i > 0 && newlinesBetween(endOf(i - 1), toks[i].offset) >= 2;
  }

  // --- the walk ----------------------------------------------------------
  /// Comments before token \p upto that no line has taken: each on its own
  /// line, at \p indent (the indentation of what follows them).
  void leadingComments(size_t upto, unsigned level) {
    for (size_t j = next(); j < upto; j = next()) {
      if (toks[j].kind != TokenKind::Comment)
        break;
      OutLine l;
      l.indent = level * opts.indentWidth;
      l.code = commentText(toks[j].text).str();
      l.blankBefore = blankBefore(j);
      lines.push_back(std::move(l));
      cursor = static_cast<int>(j);
    }
  }
  size_t next() const { return static_cast<size_t>(cursor + 1); }

  void formatItem(const Node &n, unsigned level) {
    if (n.first > n.last)
      return;
    leadingComments(n.first, level);
    startLogicalLine(level, blankBefore(n.first));
    walk(n, level);
    flush();
  }

  void startLogicalLine(unsigned level, bool blank) {
    lineLevel = level;
    lineBlank = blank;
  }

  /// Where the block of \p n opens (the index of its '{' child) and closes.
  std::optional<std::pair<size_t, size_t>> findBlock(const Node &n) const {
    for (size_t k = 0; k < n.children.size(); ++k) {
      const Node &c = n.children[k];
      if (!c.isLeaf() || !isPunct(toks[c.token], "{"))
        continue;
      if (k > 0 && n.children[k - 1].first <= n.children[k - 1].last &&
          isKeyword(toks[n.children[k - 1].last], "in"))
        return std::nullopt; // a set: 'domain in { AF_UNIX, AF_INET }'
      for (size_t e = k + 1; e < n.children.size(); ++e) {
        const Node &d = n.children[e];
        if (d.isLeaf()) {
          if (isPunct(toks[d.token], "}"))
            return std::make_pair(k, e);
          return std::nullopt; // tokens between the braces: not statements
        }
      }
      return std::nullopt;
    }
    return std::nullopt;
  }

  void walk(const Node &n, unsigned level) {
    if (n.isLeaf()) {
      addToken(static_cast<unsigned>(n.token));
      return;
    }
    auto block = findBlock(n);
    for (size_t k = 0; k < n.children.size(); ++k) {
      if (block && k == block->first) {
        unsigned open = static_cast<unsigned>(n.children[k].token);
        unsigned close = static_cast<unsigned>(n.children[block->second].token);
        addToken(open);
        bool empty = close == open + 1; // no item, no comment
        if (!empty) {
          flush();
          lines.back().opensBlock = true;
          for (size_t i = k + 1; i < block->second; ++i)
            formatItem(n.children[i], level + 1);
          leadingComments(close, level + 1);
          startLogicalLine(level, false);
        }
        addToken(close);
        k = block->second;
        continue;
      }
      walk(n.children[k], level);
    }
  }

  /// Appends token \p i to the logical line, after the comments before it.
  void addToken(unsigned i) {
    for (size_t j = next(); j < i; ++j) {
      // Only comments lie between the tokens of the tree.
      bool trailing = sameLineAsPrevious(static_cast<unsigned>(j)) &&
                      !pieces.empty() && pieces.back().kind == Piece::Code;
      pieces.push_back({trailing ? Piece::TrailingComment : Piece::OwnLineComment,
                        commentText(toks[j].text).str()});
    }
    const Token &t = toks[i];
    Piece p{Piece::Code, t.text.str()};
    if (!pieces.empty() && pieces.back().kind == Piece::Code) {
      const Token &prev = toks[static_cast<size_t>(cursor)];
      p.glue = glues(prev, t);
      p.breakBefore = isPunct(prev, ",") || isKeyword(t, "if") ||
                      isKeyword(t, "and") || isKeyword(t, "or");
    }
    if ((isPunct(t, ")") || isPunct(t, "}")) && depth > 0)
      --depth;
    p.depth = depth;
    if (isPunct(t, "(") || isPunct(t, "{"))
      ++depth;
    pieces.push_back(std::move(p));
    cursor = static_cast<int>(i);
  }

  /// Whether \p b is written right after \p a, without a space: before ','
  /// and ')', after '(', between a minus sign and its number, and between
  /// the braces of an empty block. Only where the two still lex as the same
  /// two tokens.
  bool glues(const Token &a, const Token &b) {
    bool want = isPunct(b, ",") || isPunct(b, ")") || isPunct(a, "(") ||
                (isPunct(a, "-") && b.kind == TokenKind::Word) ||
                (isPunct(a, "{") && isPunct(b, "}"));
    if (!want)
      return false;
    std::string joined = (a.text + b.text).str();
    std::vector<Token> t = lex(joined);
    return t.size() == 2 && t[0].type == a.type && t[1].type == b.type &&
           t[0].text == a.text;
  }

  /// Lays the logical line out: pieces fill lines up to the column limit,
  /// wrapping at the places breakBefore marks; a comment ends a line.
  void flush() {
    // A comment on the line of the last token ends that line.
    size_t j = next();
    if (!pieces.empty() && j < toks.size() &&
        toks[j].kind == TokenKind::Comment &&
        sameLineAsPrevious(static_cast<unsigned>(j))) {
      pieces.push_back({Piece::TrailingComment, commentText(toks[j].text).str()});
      cursor = static_cast<int>(j);
    }
    if (pieces.empty())
      return;
    unsigned first = lineLevel * opts.indentWidth;
    unsigned cont = first + opts.continuationIndent;
    OutLine cur;
    cur.indent = first;
    cur.blankBefore = lineBlank;
    bool open = false; // cur holds code
    auto push = [&] {
      lines.push_back(std::move(cur));
      cur = OutLine();
      cur.indent = cont;
      open = false;
    };
    for (size_t i = 0; i < pieces.size(); ++i) {
      const Piece &p = pieces[i];
      switch (p.kind) {
      case Piece::TrailingComment:
        cur.trailing = p.text;
        push();
        break;
      case Piece::OwnLineComment:
        if (open)
          push();
        cur.code = p.text;
        push();
        break;
      case Piece::Code: {
        if (!open) {
          cur.code = p.text;
          open = true;
          break;
        }
        std::string sep = p.glue ? "" : " ";
        if (p.breakBefore) {
          // The chunk runs to the next place the line may wrap at the same
          // depth or outside: a parenthesized condition or a set wraps
          // inside only when it cannot be kept whole on a line.
          unsigned w = width(sep) + width(p.text);
          for (size_t k = i + 1;
               k < pieces.size() && pieces[k].kind == Piece::Code &&
               !(pieces[k].breakBefore && pieces[k].depth <= p.depth);
               ++k)
            w += (pieces[k].glue ? 0 : 1) + width(pieces[k].text);
          if (cur.indent + width(cur.code) + w > opts.columnLimit) {
            push();
            cur.code = p.text;
            open = true;
            break;
          }
        }
        cur.code += sep + p.text;
        break;
      }
      }
    }
    if (open)
      push();
    pieces.clear();
    depth = 0;
  }

  // --- output ------------------------------------------------------------
  std::string render() {
    std::string out;
    // No blank line at the start of the file or of a block: decided first,
    // since a blank line also ends a run of aligned comments.
    for (size_t i = 0; i < lines.size(); ++i)
      if (i == 0 || lines[i - 1].opensBlock)
        lines[i].blankBefore = false;
    // Trailing comments of consecutive lines line up, two spaces after the
    // longest code of the run.
    std::vector<unsigned> column(lines.size(), 0);
    for (size_t i = 0; i < lines.size();) {
      if (lines[i].trailing.empty()) {
        ++i;
        continue;
      }
      size_t e = i;
      unsigned col = 0;
      while (e < lines.size() && !lines[e].trailing.empty() &&
             (e == i || !lines[e].blankBefore)) {
        col = std::max(col, lines[e].indent + width(lines[e].code) + 2);
        ++e;
      }
      for (size_t k = i; k < e; ++k)
        column[k] = col;
      i = e;
    }
    for (size_t i = 0; i < lines.size(); ++i) {
      const OutLine &l = lines[i];
      if (l.blankBefore)
        out += '\n';
      std::string text(l.indent, ' ');
      text += l.code;
      if (!l.trailing.empty()) {
        unsigned w = l.indent + width(l.code);
        text.append(column[i] > w ? column[i] - w : 2, ' ');
        text += l.trailing;
      }
      out += text;
      out += '\n';
    }
    return out;
  }

  const Tree &tree;
  const std::vector<Token> &toks;
  const format::FormatOptions &opts;
  std::vector<OutLine> lines;
  std::vector<Piece> pieces; ///< the logical line being built
  unsigned lineLevel = 0;
  unsigned depth = 0; ///< of '(' and '{' in the logical line so far
  bool lineBlank = false;
  int cursor = -1; ///< the last token placed
};

/// The index of the first token where \p a and \p b differ (comments
/// compared without trailing blanks); std::nullopt if they are the same.
std::optional<size_t> firstDifference(const std::vector<Token> &a,
                                      const std::vector<Token> &b) {
  for (size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    if (i >= a.size() || i >= b.size())
      return i;
    if (a[i].type != b[i].type)
      return i;
    bool same = a[i].kind == TokenKind::Comment
                    ? commentText(a[i].text) == commentText(b[i].text)
                    : a[i].text == b[i].text;
    if (!same)
      return i;
  }
  return std::nullopt;
}

std::string formatTree(const Tree &tree, const format::FormatOptions &opts) {
  return Formatter(tree, opts).run();
}

} // namespace

std::optional<std::string> format::formatBuffer(unsigned bufferID,
                                                DiagnosticEngine &diags,
                                                const FormatOptions &opts) {
  std::optional<Tree> tree = parseSyntax(bufferID, diags);
  if (!tree)
    return std::nullopt;
  std::string out = formatTree(*tree, opts);
  if (opts.corruptForTesting && !out.empty())
    out.insert(out.size() / 2, "#");

  const llvm::MemoryBuffer *buf = diags.getSourceMgr().getMemoryBuffer(bufferID);
  auto internalError = [&](size_t tokenIndex, llvm::StringRef what) {
    llvm::SMLoc loc;
    if (tokenIndex < tree->tokens.size())
      loc = llvm::SMLoc::getFromPointer(tree->tokens[tokenIndex].text.data());
    diags.report(DiagID::err_fmt_internal, loc, buf->getBufferIdentifier(), what);
  };
  // Only whitespace may change: the same tokens and comments, in order.
  if (auto diff = firstDifference(tree->tokens, lex(out))) {
    internalError(*diff, "change its tokens or comments");
    return std::nullopt;
  }
  // And the result is formatted: formatting it again changes nothing.
  llvm::SourceMgr sm;
  DiagnosticEngine quiet(sm, llvm::nulls());
  unsigned id = sm.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(out, buf->getBufferIdentifier()),
      llvm::SMLoc());
  std::optional<Tree> again = parseSyntax(id, quiet);
  if (!again || formatTree(*again, opts) != out) {
    internalError(tree->tokens.size(), "not give a fixed point of the formatter");
    return std::nullopt;
  }
  return out;
}
