//===- Parser.cpp - ANTLR parse tree to polc AST --------------------------===//
#include "polc/Parse/Parse.h"
#include "polc/Parse/Syntax.h"

#include "PolicyLexer.h"
#include "PolicyParser.h"
#include "antlr4-runtime.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace polc;
using namespace polc::ast;
using polc_grammar::PolicyLexer;
using polc_grammar::PolicyParser;

namespace {

constexpr unsigned MaxSyntaxErrors = 20;
/// Deeper nesting of '(', '{' or 'not', or more 'and'/'or' operators in one
/// statement (each is a level of the tree), is refused before parsing: the
/// parser and the tree walks recurse once per level and would exhaust the
/// stack.
constexpr unsigned MaxNestingDepth = 256;

/// Byte offsets map 1:1 to ANTLR character indices, because the text given to
/// ANTLR has every non-ASCII byte replaced by \x01 (a character no token but
/// paths, strings and comments accept). Token text is always read back from
/// the original buffer.
std::string makeAntlrInput(llvm::StringRef buf) {
  std::string s(buf);
  for (char &c : s)
    if (static_cast<unsigned char>(c) >= 0x80)
      c = '\x01';
  return s;
}

/// Human names for tokens, used to rewrite ANTLR's messages.
std::string describeTokenType(size_t type, const antlr4::dfa::Vocabulary &v) {
  switch (type) {
  case PolicyLexer::IDENT: return "a name";
  case PolicyLexer::PATH: return "a path";
  case PolicyLexer::STRING: return "a string";
  case PolicyLexer::NUMBER: return "a number";
  case PolicyLexer::VERSION: return "a kernel version";
  case antlr4::Token::EOF: return "end of file";
  default: break;
  }
  std::string lit = v.getLiteralName(type);
  return lit.empty() ? v.getSymbolicName(type) : lit;
}

class ErrorListener : public antlr4::BaseErrorListener {
public:
  ErrorListener(DiagnosticEngine &diags, const char *bufStart)
      : diags(diags), bufStart(bufStart) {}

  void syntaxError(antlr4::Recognizer *recognizer,
                   antlr4::Token *offending, size_t line, size_t col,
                   const std::string &antlrMsg,
                   std::exception_ptr) override {
    if (count >= MaxSyntaxErrors)
      return;
    auto *parser = dynamic_cast<antlr4::Parser *>(recognizer);
    if (!parser || !offending)
      return;
    llvm::SMLoc loc = llvm::SMLoc::getFromPointer(
        bufStart + offending->getStartIndex());
    // One error per line: what follows the first is usually its echo.
    if (line == lastLine)
      return;
    lastLine = line;
    std::string expected = describeExpected(parser);
    std::string found =
        offending->getType() == antlr4::Token::EOF
            ? std::string("end of file")
            : "'" + std::string(loc.getPointer(),
                                offending->getStopIndex() -
                                    offending->getStartIndex() + 1) +
                  "'";
    std::string msg = "unexpected " + found;
    if (!expected.empty())
      msg += "; expected " + expected;
    pending.push_back({loc, DiagID::err_syntax, msg});
    ++count;
  }

  /// Reports the characters no token accepts (the lexer's ERRCHAR tokens);
  /// a run of adjacent ones (the bytes of one UTF-8 character) is one error.
  void reportInvalidCharacters(antlr4::CommonTokenStream &tokens) {
    tokens.fill();
    const std::vector<antlr4::Token *> &all = tokens.getTokens();
    for (size_t i = 0; i < all.size(); ++i) {
      antlr4::Token *t = all[i];
      if (t->getType() != PolicyLexer::ERRCHAR || count >= MaxSyntaxErrors)
        continue;
      llvm::SMLoc loc =
          llvm::SMLoc::getFromPointer(bufStart + t->getStartIndex());
      unsigned char c = *loc.getPointer();
      if (c == '"') {
        pending.push_back({loc, DiagID::err_unterminated_string, ""});
        ++count;
        continue;
      }
      std::string shown;
      for (;;) {
        unsigned char b = bufStart[all[i]->getStartIndex()];
        shown += llvm::isPrint(b) ? std::string(1, static_cast<char>(b))
                                  : llvm::formatv("\\x{0:x-2}", b).str();
        if (i + 1 >= all.size() || all[i + 1]->getType() != PolicyLexer::ERRCHAR ||
            all[i + 1]->getStartIndex() != all[i]->getStartIndex() + 1 ||
            bufStart[all[i + 1]->getStartIndex()] == '"')
          break;
        ++i;
      }
      pending.push_back({loc, DiagID::err_invalid_character, shown});
      ++count;
    }
  }

  /// Checks that brackets nest at most MaxNestingDepth deep; reports the
  /// first token past the limit. Returns false if the limit was exceeded.
  bool checkNesting(antlr4::CommonTokenStream &tokens) {
    unsigned depth = 0;
    unsigned nots = 0;      // a run of prefix 'not's nests too
    unsigned operators = 0; // and 'a or b or c...' is one level per 'or'
    for (antlr4::Token *t : tokens.getTokens()) {
      // Comments (and invalid characters) are on the hidden channel: the
      // parser never sees them, so they neither nest nor break a run.
      if (t->getChannel() != antlr4::Token::DEFAULT_CHANNEL)
        continue;
      size_t type = t->getType();
      nots = type == PolicyLexer::NOT ? nots + 1 : 0;
      if (type == PolicyLexer::SYSCALL || type == PolicyLexer::MAY)
        operators = 0;
      if ((type == PolicyLexer::AND || type == PolicyLexer::OR) &&
          ++operators > MaxNestingDepth) {
        pending.push_back(
            {llvm::SMLoc::getFromPointer(bufStart + t->getStartIndex()),
             DiagID::err_nesting_too_deep, std::to_string(MaxNestingDepth)});
        ++count;
        return false;
      }
      if (type == PolicyLexer::LPAREN || type == PolicyLexer::LBRACE ||
          nots != 0) {
        if ((nots ? nots : ++depth) > MaxNestingDepth) {
          pending.push_back(
              {llvm::SMLoc::getFromPointer(bufStart + t->getStartIndex()),
               DiagID::err_nesting_too_deep, std::to_string(MaxNestingDepth)});
          ++count;
          return false;
        }
      } else if ((type == PolicyLexer::RPAREN || type == PolicyLexer::RBRACE) &&
                 depth > 0) {
        --depth;
      }
    }
    return true;
  }

  /// Reports what was found, in source order: the first MaxSyntaxErrors.
  /// (Each kind of error stops counting at the limit, but together they
  /// can pass it: 20 invalid characters and a nesting error were 21.)
  void flush() {
    std::stable_sort(pending.begin(), pending.end(),
                     [](const Pending &a, const Pending &b) {
                       return a.loc.getPointer() < b.loc.getPointer();
                     });
    if (pending.size() > MaxSyntaxErrors)
      pending.resize(MaxSyntaxErrors);
    for (const Pending &p : pending) {
      if (p.id == DiagID::err_unterminated_string)
        diags.report(p.id, p.loc);
      else
        diags.report(p.id, p.loc, p.arg);
    }
    pending.clear();
  }

  unsigned getCount() const { return count; }

private:
  std::string describeExpected(antlr4::Parser *parser) {
    antlr4::misc::IntervalSet set;
    try {
      set = parser->getExpectedTokens();
    } catch (...) {
      return "";
    }
    const auto &v = parser->getVocabulary();
    static const size_t stmtStarts[] = {
        PolicyLexer::ATTACH, PolicyLexer::ARCH, PolicyLexer::DEFAULT,
        PolicyLexer::USE, PolicyLexer::MAY, PolicyLexer::SYSCALL,
        PolicyLexer::ON, PolicyLexer::BASELINE, PolicyLexer::ADVISORY,
        PolicyLexer::CHILD, PolicyLexer::HAT, PolicyLexer::APPARMOR,
        PolicyLexer::LIMIT};
    bool allStmts = llvm::all_of(stmtStarts, [&](size_t t) {
      return set.contains(t);
    });
    static const size_t actionStarts[] = {
        PolicyLexer::ALLOW, PolicyLexer::DENY,  PolicyLexer::KILL,
        PolicyLexer::TRAP,  PolicyLexer::LOG,   PolicyLexer::TRACE,
        PolicyLexer::NOTIFY};
    bool allActions = llvm::all_of(actionStarts, [&](size_t t) {
      return set.contains(t);
    });
    if (allActions && !set.contains(static_cast<size_t>(PolicyLexer::IDENT)))
      return "an action ('allow', 'deny', 'kill', 'trap', 'log', 'trace' or "
             "'notify')";
    llvm::SmallVector<std::string, 8> parts;
    if (allStmts)
      parts.push_back("a statement");
    bool anyName = false;
    for (ssize_t t : set.toList()) {
      // `baseline kernel` takes a NUMBER only to explain what a version is.
      if (t == PolicyLexer::NUMBER && set.contains(static_cast<size_t>(PolicyLexer::VERSION)))
        continue;
      if (allStmts && llvm::is_contained(stmtStarts, static_cast<size_t>(t)))
        continue;
      // Keywords that double as names are described once, as "a name".
      if (t == PolicyLexer::IDENT || (t >= PolicyLexer::POLICY &&
                                      t <= PolicyLexer::OR && set.contains(static_cast<size_t>(PolicyLexer::IDENT)))) {
        if (!anyName)
          parts.push_back("a name");
        anyName = true;
        continue;
      }
      std::string d = describeTokenType(t, v);
      if (!llvm::is_contained(parts, d))
        parts.push_back(d);
    }
    if (parts.empty() || parts.size() > 6)
      return "";
    std::string out;
    for (size_t i = 0; i < parts.size(); ++i) {
      if (i)
        out += i + 1 == parts.size() ? " or " : ", ";
      out += parts[i];
    }
    return out;
  }

  DiagnosticEngine &diags;
  const char *bufStart;
  unsigned count = 0;
  size_t lastLine = 0;
  struct Pending {
    llvm::SMLoc loc;
    DiagID id;
    std::string arg;
  };
  std::vector<Pending> pending;
};

/// Builds the AST from a parse tree that had no syntax errors.
class Builder {
public:
  explicit Builder(const char *bufStart) : bufStart(bufStart) {}

  llvm::SMRange range(antlr4::ParserRuleContext *ctx) {
    const char *b = bufStart + ctx->getStart()->getStartIndex();
    antlr4::Token *stop = ctx->getStop();
    const char *e = stop && stop->getStopIndex() + 1 >= ctx->getStart()->getStartIndex()
                        ? bufStart + stop->getStopIndex() + 1
                        : b;
    return {llvm::SMLoc::getFromPointer(b), llvm::SMLoc::getFromPointer(e)};
  }
  llvm::SMRange range(antlr4::tree::TerminalNode *n) {
    antlr4::Token *t = n->getSymbol();
    return {llvm::SMLoc::getFromPointer(bufStart + t->getStartIndex()),
            llvm::SMLoc::getFromPointer(bufStart + t->getStopIndex() + 1)};
  }
  llvm::StringRef text(llvm::SMRange r) {
    return llvm::StringRef(r.Start.getPointer(),
                           r.End.getPointer() - r.Start.getPointer());
  }

  Name name(PolicyParser::NameContext *ctx) {
    llvm::SMRange r = range(ctx);
    return Name{text(r).str(), r};
  }

  Word word(antlr4::tree::TerminalNode *n) {
    llvm::SMRange r = range(n);
    llvm::StringRef t = text(r);
    Word w{Word::Kind::Ident, t.str(), r};
    switch (n->getSymbol()->getType()) {
    case PolicyLexer::PATH: w.kind = Word::Kind::Path; break;
    case PolicyLexer::NUMBER: w.kind = Word::Kind::Number; break;
    case PolicyLexer::VERSION: w.kind = Word::Kind::Version; break;
    case PolicyLexer::STRING: {
      w.kind = Word::Kind::String;
      // Only \" is decoded; every other escape is glob syntax and kept.
      std::string s;
      llvm::StringRef body = t.drop_front().drop_back();
      for (size_t i = 0; i < body.size(); ++i) {
        if (body[i] == '\\' && i + 1 < body.size()) {
          if (body[i + 1] != '"')
            s += '\\';
          s += body[++i];
          continue;
        }
        s += body[i];
      }
      w.text = std::move(s);
      break;
    }
    default: break;
    }
    return w;
  }
  Word word(PolicyParser::WordContext *ctx) {
    return word(static_cast<antlr4::tree::TerminalNode *>(ctx->children[0]));
  }

  Action action(PolicyParser::ActionContext *ctx) {
    Action a;
    a.range = range(ctx);
    if (auto *d = dynamic_cast<PolicyParser::DenyActionContext *>(ctx)) {
      a.kind = ActionKind::Deny;
      if (auto *ev = d->errnoValue())
        a.errnoValue = word(static_cast<antlr4::tree::TerminalNode *>(
            ev->children[0]));
    } else if (auto *k = dynamic_cast<PolicyParser::KillActionContext *>(ctx)) {
      a.kind = k->THREAD() ? ActionKind::KillThread : ActionKind::KillProcess;
    } else if (dynamic_cast<PolicyParser::TrapActionContext *>(ctx)) {
      a.kind = ActionKind::Trap;
    } else if (dynamic_cast<PolicyParser::LogActionContext *>(ctx)) {
      a.kind = ActionKind::Log;
    } else if (auto *t = dynamic_cast<PolicyParser::TraceActionContext *>(ctx)) {
      a.kind = ActionKind::Trace;
      a.traceValue = word(t->NUMBER());
    } else if (dynamic_cast<PolicyParser::NotifyActionContext *>(ctx)) {
      a.kind = ActionKind::Notify;
    } else {
      a.kind = ActionKind::Allow;
    }
    return a;
  }

  std::unique_ptr<Stmt> stmt(PolicyParser::StmtContext *ctx) {
    if (auto *s = ctx->attachStmt())
      return std::make_unique<AttachStmt>(range(s), word(s->word()));
    if (auto *s = ctx->archStmt()) {
      auto out = std::make_unique<ArchStmt>(range(s));
      for (auto *n : s->name())
        out->arches.push_back(name(n));
      return out;
    }
    if (auto *s = ctx->defaultStmt()) {
      if (s->ARCH())
        return std::make_unique<DefaultArchStmt>(range(s), action(s->action()));
      return std::make_unique<DefaultStmt>(range(s), action(s->action()));
    }
    if (auto *s = ctx->baselineStmt())
      return std::make_unique<BaselineStmt>(
          range(s), word(s->VERSION() ? s->VERSION() : s->NUMBER()));
    if (auto *s = ctx->useStmt())
      return std::make_unique<UseStmt>(range(s), name(s->name()));
    if (auto *s = ctx->intentStmt()) {
      auto out = std::make_unique<IntentStmt>(range(s), s->NOT() != nullptr);
      out->advisory = s->ADVISORY() != nullptr;
      out->groups.emplace_back();
      // Children after ['advisory'] 'may' ['not']: head, words, then ','
      // word+ groups.
      for (auto *child : s->children) {
        if (auto *t = dynamic_cast<antlr4::tree::TerminalNode *>(child)) {
          size_t type = t->getSymbol()->getType();
          if (type == PolicyLexer::ADVISORY || type == PolicyLexer::MAY ||
              type == PolicyLexer::NOT)
            continue;
          if (type == PolicyLexer::COMMA) {
            out->groups.emplace_back();
            continue;
          }
          // The head verb (IDENT or 'use').
          Word w = word(t);
          w.kind = Word::Kind::Ident;
          out->groups.back().push_back(std::move(w));
          continue;
        }
        if (auto *w = dynamic_cast<PolicyParser::WordContext *>(child))
          out->groups.back().push_back(word(w));
      }
      return out;
    }
    if (auto *s = ctx->onStmt()) {
      auto out = std::make_unique<OnStmt>(range(s));
      for (auto *n : s->name())
        out->arches.push_back(name(n));
      for (auto *inner : s->stmt())
        out->stmts.push_back(stmt(inner));
      return out;
    }
    if (auto *c = ctx->childStmt()) {
      auto out = std::make_unique<ChildStmt>(range(c), name(c->name()));
      out->hat = c->HAT() != nullptr;
      for (auto *inner : c->stmt())
        out->stmts.push_back(stmt(inner));
      return out;
    }
    if (auto *l = ctx->limitStmt()) {
      // The value's tokens from the sign or number to the unit, spaces
      // dropped: `2 GB` and `2GB` are one value.
      llvm::SMRange vr(range(l->name()).End, range(l).End);
      std::string value;
      for (size_t i = 2; i < l->children.size(); ++i)
        value += l->children[i]->getText();
      if (l->children.size() > 2)
        if (auto *first =
                dynamic_cast<antlr4::tree::TerminalNode *>(l->children[2]))
          vr.Start = range(first).Start;
      return std::make_unique<LimitStmt>(range(l), name(l->name()), value, vr);
    }
    if (auto *a = ctx->apparmorStmt()) {
      auto names = a->name();
      auto out = std::make_unique<AppArmorFlagsStmt>(range(a), name(names[0]));
      for (size_t i = 1; i < names.size(); ++i)
        out->flags.push_back(name(names[i]));
      return out;
    }
    auto *s = ctx->syscallStmt();
    auto out = std::make_unique<SyscallStmt>(range(s), action(s->action()));
    out->advisory = s->ADVISORY() != nullptr;
    for (auto *n : s->syscallName()) {
      llvm::SMRange r = range(n);
      out->names.push_back(Name{text(r).str(), r});
    }
    if (auto *c = s->condition())
      out->condition = condition(c);
    return out;
  }

  Operand operand(PolicyParser::OperandContext *ctx) {
    Operand o;
    o.range = range(ctx);
    for (auto *t : ctx->term()) {
      Operand::Term term;
      term.range = range(t);
      if (auto *n = t->name())
        term.name = text(range(n)).str();
      else // from the tokens: '- 5' and '-# comment\n5' are -5
        term.number = (t->MINUS() ? "-" : "") + text(range(t->NUMBER())).str();
      o.terms.push_back(std::move(term));
    }
    return o;
  }

  std::unique_ptr<Condition> condition(PolicyParser::ConditionContext *ctx) {
    if (auto *p = dynamic_cast<PolicyParser::ParenCondContext *>(ctx)) {
      std::unique_ptr<Condition> inner = condition(p->condition());
      inner->range = range(ctx); // with the parentheses
      return inner;
    }
    auto c = std::make_unique<Condition>();
    c->range = range(ctx);
    if (auto *x = dynamic_cast<PolicyParser::OrCondContext *>(ctx)) {
      c->kind = Condition::Kind::Or;
      c->children.push_back(condition(x->condition(0)));
      c->children.push_back(condition(x->condition(1)));
    } else if (auto *x = dynamic_cast<PolicyParser::AndCondContext *>(ctx)) {
      c->kind = Condition::Kind::And;
      c->children.push_back(condition(x->condition(0)));
      c->children.push_back(condition(x->condition(1)));
    } else if (auto *x = dynamic_cast<PolicyParser::NotCondContext *>(ctx)) {
      c->kind = Condition::Kind::Not;
      c->children.push_back(condition(x->condition()));
    } else if (auto *x = dynamic_cast<PolicyParser::CmpCondContext *>(ctx)) {
      c->kind = Condition::Kind::Cmp;
      c->lhs = operand(x->operand(0));
      c->rhs = operand(x->operand(1));
      auto *op = x->cmpOp();
      c->op = op->EQ()   ? CmpOp::EQ
              : op->NE() ? CmpOp::NE
              : op->LT() ? CmpOp::LT
              : op->LE() ? CmpOp::LE
              : op->GT() ? CmpOp::GT
                         : CmpOp::GE;
    } else {
      auto *in = static_cast<PolicyParser::InCondContext *>(ctx);
      c->kind = Condition::Kind::In;
      c->negatedIn = in->NOT() != nullptr;
      auto ops = in->operand();
      c->lhs = operand(ops[0]);
      for (size_t i = 1; i < ops.size(); ++i)
        c->set.push_back(operand(ops[i]));
    }
    return c;
  }

  Block block(PolicyParser::NameContext *n, antlr4::ParserRuleContext *whole,
              std::vector<PolicyParser::StmtContext *> stmts) {
    Block b;
    b.name = name(n);
    b.range = range(whole);
    for (auto *s : stmts)
      b.stmts.push_back(stmt(s));
    return b;
  }

  Module module(PolicyParser::FileContext *file) {
    Module m;
    for (auto *item : file->topItem()) {
      if (auto *inc = item->includeDecl())
        m.includes.push_back(Include{word(inc->STRING()), 0});
      else if (auto *p = item->policyDecl())
        m.policies.push_back(block(p->name(), p, p->stmt()));
      else if (auto *g = item->groupDecl())
        m.groups.push_back(block(g->name(), g, g->stmt()));
      else if (auto *l = item->letDecl()) {
        auto words = l->word();
        LetDecl d{word(words[0]), {}, range(l)};
        for (size_t i = 1; i < words.size(); ++i)
          d.values.push_back(word(words[i]));
        m.variables.push_back(std::move(d));
      }
    }
    return m;
  }

private:
  const char *bufStart;
};

} // namespace

namespace {
/// One run of the lexer and parser over a buffer, with polc's error
/// reporting; the parse tree and tokens live as long as this object.
class ParseRun {
public:
  ParseRun(unsigned bufferID, DiagnosticEngine &diags)
      : diags(diags),
        start(diags.getSourceMgr().getMemoryBuffer(bufferID)->getBufferStart()),
        input(makeAntlrInput(
            diags.getSourceMgr().getMemoryBuffer(bufferID)->getBuffer())),
        lexer(&input), tokens(&lexer), parser(&tokens), listener(diags, start) {
    lexer.removeErrorListeners();
    parser.removeErrorListeners();
    parser.addErrorListener(&listener);
  }

  /// The tree, or nullptr after reporting the syntax errors.
  PolicyParser::FileContext *run() {
    listener.reportInvalidCharacters(tokens);
    if (!listener.checkNesting(tokens)) {
      listener.flush();
      return nullptr;
    }
    PolicyParser::FileContext *file = nullptr;
    try {
      file = parser.file();
    } catch (const std::exception &) {
      listener.flush();
      if (listener.getCount() == 0)
        diags.report(DiagID::err_syntax,
                     llvm::SMLoc::getFromPointer(start), "cannot parse file");
      return nullptr;
    }
    listener.flush();
    if (listener.getCount() != 0)
      return nullptr;
    return file;
  }

  DiagnosticEngine &diags;
  const char *start;
  antlr4::ANTLRInputStream input;
  PolicyLexer lexer;
  antlr4::CommonTokenStream tokens;
  PolicyParser parser;
  ErrorListener listener;
};

syntax::TokenKind tokenKind(size_t type, const antlr4::dfa::Vocabulary &v) {
  if (type == PolicyLexer::COMMENT)
    return syntax::TokenKind::Comment;
  if (type == PolicyLexer::ERRCHAR)
    return syntax::TokenKind::Invalid;
  std::string lit = v.getLiteralName(type); // "'policy'", "','"
  if (lit.size() < 3)
    return syntax::TokenKind::Word;
  bool letters = llvm::all_of(llvm::StringRef(lit).drop_front().drop_back(),
                              [](char c) { return llvm::isAlpha(c) || c == '_'; });
  return letters ? syntax::TokenKind::Keyword : syntax::TokenKind::Punctuation;
}

/// Every token but the end of file, read back from \p buf.
std::vector<syntax::Token> collectTokens(antlr4::CommonTokenStream &tokens,
                                         const antlr4::dfa::Vocabulary &v,
                                         llvm::StringRef buf) {
  tokens.fill();
  std::vector<syntax::Token> out;
  for (antlr4::Token *t : tokens.getTokens()) {
    if (t->getType() == antlr4::Token::EOF)
      break;
    size_t b = t->getStartIndex(), e = t->getStopIndex() + 1;
    out.push_back({tokenKind(t->getType(), v), static_cast<unsigned>(t->getType()),
                   buf.slice(b, e), static_cast<unsigned>(b)});
  }
  return out;
}

syntax::Node convertTree(antlr4::tree::ParseTree *t,
                         const std::vector<std::string> &ruleNames,
                         size_t numTokens) {
  syntax::Node n;
  if (auto *term = dynamic_cast<antlr4::tree::TerminalNode *>(t)) {
    size_t i = term->getSymbol()->getTokenIndex();
    n.token = static_cast<int>(i);
    n.first = n.last = static_cast<unsigned>(i);
    return n;
  }
  auto *ctx = static_cast<antlr4::ParserRuleContext *>(t);
  n.rule = ruleNames[ctx->getRuleIndex()];
  for (antlr4::tree::ParseTree *c : ctx->children) {
    // The end of file is no token of the tree.
    if (auto *term = dynamic_cast<antlr4::tree::TerminalNode *>(c))
      if (term->getSymbol()->getTokenIndex() >= numTokens)
        continue;
    n.children.push_back(convertTree(c, ruleNames, numTokens));
  }
  if (!n.children.empty()) {
    n.first = n.children.front().first;
    n.last = n.children.back().last;
    for (const syntax::Node &c : n.children)
      if (c.first <= c.last) {
        n.first = std::min(n.first, c.first);
        n.last = std::max(n.last, c.last);
      }
  }
  return n;
}
} // namespace

std::optional<Module> polc::parseBuffer(unsigned bufferID,
                                        DiagnosticEngine &diags) {
  ParseRun run(bufferID, diags);
  PolicyParser::FileContext *file = run.run();
  if (!file)
    return std::nullopt;
  return Builder(run.start).module(file);
}

std::vector<syntax::Token> syntax::lex(llvm::StringRef text) {
  antlr4::ANTLRInputStream input(makeAntlrInput(text));
  PolicyLexer lexer(&input);
  lexer.removeErrorListeners();
  antlr4::CommonTokenStream tokens(&lexer);
  return collectTokens(tokens, lexer.getVocabulary(), text);
}

std::optional<syntax::Tree> syntax::parseSyntax(unsigned bufferID,
                                                DiagnosticEngine &diags) {
  ParseRun run(bufferID, diags);
  PolicyParser::FileContext *file = run.run();
  if (!file)
    return std::nullopt;
  Tree tree;
  tree.buffer = diags.getSourceMgr().getMemoryBuffer(bufferID)->getBuffer();
  tree.tokens = collectTokens(run.tokens, run.lexer.getVocabulary(), tree.buffer);
  tree.root = convertTree(file, run.parser.getRuleNames(), tree.tokens.size());
  return tree;
}

namespace {
class IncludeLoader {
public:
  explicit IncludeLoader(DiagnosticEngine &diags) : diags(diags) {}

  /// Loads and parses one file; \p includeLoc is where it was included.
  bool load(llvm::StringRef path, llvm::SMLoc includeLoc, Module &into) {
    llvm::SmallString<256> real;
    if (std::error_code ec = llvm::sys::fs::real_path(path, real)) {
      if (includeLoc.isValid())
        diags.report(DiagID::err_include_not_found, includeLoc, path,
                     ec.message());
      else
        diags.report(DiagID::err_cannot_open_file, includeLoc, path,
                     ec.message());
      return false;
    }
    if (llvm::is_contained(stack, real.str())) {
      diags.report(DiagID::err_include_cycle, includeLoc, path);
      return false;
    }
    // A file included twice (not recursively) is read once.
    if (!loaded.insert(real.str()).second)
      return true;
    if (!llvm::sys::fs::is_regular_file(real)) {
      diags.report(DiagID::err_input_not_regular, includeLoc, path);
      return false;
    }
    uint64_t size = 0;
    if (!llvm::sys::fs::file_size(real, size) && size > MaxInputBytes) {
      diags.report(DiagID::err_input_too_large, includeLoc, path, size,
                   MaxInputBytes);
      return false;
    }
    auto bufOrErr = llvm::MemoryBuffer::getFile(real, /*IsText=*/false,
                                                /*RequiresNullTerminator=*/true);
    if (!bufOrErr) {
      diags.report(includeLoc.isValid() ? DiagID::err_include_not_found
                                        : DiagID::err_cannot_open_file,
                   includeLoc, path, bufOrErr.getError().message());
      return false;
    }
    // Keep the name the user wrote (or the include's resolved path) so that
    // diagnostics show it; the SourceMgr takes ownership.
    auto named = llvm::MemoryBuffer::getMemBufferCopy(
        (*bufOrErr)->getBuffer(), path);
    unsigned id = diags.getSourceMgr().AddNewSourceBuffer(std::move(named),
                                                         includeLoc);
    std::optional<Module> m = parseBuffer(id, diags);
    if (!m)
      return false;
    stack.push_back(real.str().str());
    bool ok = true;
    for (Include &inc : m->includes) {
      // The file system would end the name at a NUL and include another file.
      if (llvm::StringRef(inc.file.text).contains('\0')) {
        diags.reportRange(DiagID::err_path_control_char, inc.file.range);
        ok = false;
        continue;
      }
      llvm::SmallString<256> target;
      if (llvm::sys::path::is_absolute(inc.file.text)) {
        target = inc.file.text;
      } else {
        target = llvm::sys::path::parent_path(path);
        llvm::sys::path::append(target, inc.file.text);
      }
      ok &= load(target, inc.file.range.Start, into);
    }
    stack.pop_back();
    for (Include &inc : m->includes)
      into.includes.push_back(std::move(inc));
    for (LetDecl &d : m->variables)
      into.variables.push_back(std::move(d));
    for (Block &b : m->groups)
      into.groups.push_back(std::move(b));
    for (Block &b : m->policies)
      into.policies.push_back(std::move(b));
    return ok;
  }

private:
  DiagnosticEngine &diags;
  std::vector<std::string> stack;
  llvm::StringSet<> loaded;
};
} // namespace

std::optional<Module> polc::parseFile(llvm::StringRef path,
                                      DiagnosticEngine &diags) {
  Module m;
  IncludeLoader loader(diags);
  if (!loader.load(path, llvm::SMLoc(), m))
    return std::nullopt;
  return m;
}
