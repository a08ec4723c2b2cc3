//===- AST.cpp - AST printing ---------------------------------------------===//
#include "polc/AST/AST.h"

#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

using namespace polc;
using namespace polc::ast;

const char *ast::getActionSpelling(ActionKind kind) {
  switch (kind) {
  case ActionKind::Allow: return "allow";
  case ActionKind::Deny: return "deny";
  case ActionKind::KillProcess: return "kill";
  case ActionKind::KillThread: return "kill thread";
  case ActionKind::Trap: return "trap";
  case ActionKind::Log: return "log";
  case ActionKind::Trace: return "trace";
  case ActionKind::Notify: return "notify";
  }
  return "?";
}

const char *ast::getCmpOpSpelling(CmpOp op) {
  switch (op) {
  case CmpOp::EQ: return "==";
  case CmpOp::NE: return "!=";
  case CmpOp::LT: return "<";
  case CmpOp::LE: return "<=";
  case CmpOp::GT: return ">";
  case CmpOp::GE: return ">=";
  }
  return "?";
}

namespace {
class Dumper {
public:
  Dumper(const llvm::SourceMgr &sm, llvm::raw_ostream &os) : sm(sm), os(os) {}

  void loc(llvm::SMLoc l) {
    unsigned id = sm.FindBufferContainingLoc(l);
    if (!id) {
      os << "<unknown>";
      return;
    }
    auto lc = sm.getLineAndColumn(l, id);
    os << llvm::sys::path::filename(
              sm.getMemoryBuffer(id)->getBufferIdentifier())
       << ':' << lc.first << ':' << lc.second;
  }
  void word(const Word &w) {
    static const char *kinds[] = {"ident", "path", "string", "number", "version"};
    os << kinds[static_cast<int>(w.kind)] << " '" << w.text << "'";
  }
  void action(const Action &a) {
    os << getActionSpelling(a.kind);
    if (a.errnoValue)
      os << " errno " << a.errnoValue->text;
    if (a.traceValue)
      os << ' ' << a.traceValue->text;
  }
  void operand(const Operand &o) {
    for (size_t i = 0; i < o.terms.size(); ++i) {
      if (i)
        os << " & ";
      os << (o.terms[i].name.empty() ? o.terms[i].number : o.terms[i].name);
    }
  }
  /// Fully parenthesized, so that tests see the precedence.
  void condition(const Condition &c) {
    switch (c.kind) {
    case Condition::Kind::Or:
    case Condition::Kind::And:
      os << '(';
      condition(*c.children[0]);
      os << (c.kind == Condition::Kind::Or ? " or " : " and ");
      condition(*c.children[1]);
      os << ')';
      return;
    case Condition::Kind::Not:
      os << "not ";
      condition(*c.children[0]);
      return;
    case Condition::Kind::Cmp:
      os << '(';
      operand(c.lhs);
      os << ' ' << getCmpOpSpelling(c.op) << ' ';
      operand(c.rhs);
      os << ')';
      return;
    case Condition::Kind::In:
      os << '(';
      operand(c.lhs);
      os << (c.negatedIn ? " not in {" : " in {");
      for (size_t i = 0; i < c.set.size(); ++i) {
        os << (i ? ", " : "");
        operand(c.set[i]);
      }
      os << "})";
      return;
    }
  }

  void block(llvm::StringRef what, const Block &b) {
    os << what << " '" << b.name.text << "' @";
    loc(b.range.Start);
    os << "\n";
    for (const auto &s : b.stmts)
      stmt(*s);
  }
  void stmt(const Stmt &s) {
    os << "  ";
    if (s.advisory)
      os << "Advisory ";
    switch (s.getKind()) {
    case Stmt::Kind::Attach:
      os << "Attach ";
      word(llvm::cast<AttachStmt>(s).path);
      break;
    case Stmt::Kind::Arch: {
      os << "Arch";
      for (const Name &n : llvm::cast<ArchStmt>(s).arches)
        os << " '" << n.text << "'";
      break;
    }
    case Stmt::Kind::Default:
      os << "Default ";
      action(llvm::cast<DefaultStmt>(s).action);
      break;
    case Stmt::Kind::DefaultArch:
      os << "DefaultArch ";
      action(llvm::cast<DefaultArchStmt>(s).action);
      break;
    case Stmt::Kind::Baseline:
      os << "Baseline ";
      word(llvm::cast<BaselineStmt>(s).version);
      break;
    case Stmt::Kind::Use:
      os << "Use '" << llvm::cast<UseStmt>(s).group.text << "'";
      break;
    case Stmt::Kind::Intent: {
      const auto &i = llvm::cast<IntentStmt>(s);
      os << (i.negated ? "MayNot" : "May");
      for (const auto &g : i.groups) {
        os << " [";
        bool first = true;
        for (const Word &w : g) {
          if (!first)
            os << ", ";
          first = false;
          word(w);
        }
        os << "]";
      }
      break;
    }
    case Stmt::Kind::On: {
      const auto &on = llvm::cast<OnStmt>(s);
      os << "On";
      for (const Name &n : on.arches)
        os << " '" << n.text << "'";
      os << " @";
      loc(s.getLoc());
      os << "\n";
      for (const auto &inner : on.stmts) {
        os << "  ";
        stmt(*inner);
      }
      return;
    }
    case Stmt::Kind::AppArmorFlags: {
      const auto &f = llvm::cast<AppArmorFlagsStmt>(s);
      os << "AppArmor '" << f.what.text << "'";
      for (const Name &n : f.flags)
        os << " '" << n.text << "'";
      break;
    }
    case Stmt::Kind::Limit: {
      const auto &l = llvm::cast<LimitStmt>(s);
      os << "Limit '" << l.resource.text << "' '" << l.value << "'";
      break;
    }
    case Stmt::Kind::Child: {
      const auto &c = llvm::cast<ChildStmt>(s);
      os << (c.hat ? "Hat '" : "Child '") << c.name.text << "' @";
      loc(s.getLoc());
      os << "\n";
      for (const auto &inner : c.stmts) {
        os << "  ";
        stmt(*inner);
      }
      return;
    }
    case Stmt::Kind::Syscall: {
      const auto &sc = llvm::cast<SyscallStmt>(s);
      os << "Syscall ";
      action(sc.action);
      for (const Name &n : sc.names)
        os << " '" << n.text << "'";
      if (sc.condition) {
        os << " if ";
        condition(*sc.condition);
      }
      break;
    }
    }
    os << " @";
    loc(s.getLoc());
    os << "\n";
  }

  void let(const LetDecl &v) {
    os << "Let '" << v.name.text << "' [";
    for (size_t i = 0; i < v.values.size(); ++i) {
      if (i)
        os << ", ";
      word(v.values[i]);
    }
    os << "] @";
    loc(v.range.Start);
    os << "\n";
  }

private:
  const llvm::SourceMgr &sm;
  llvm::raw_ostream &os;
};
} // namespace

void ast::dump(const Module &module, const llvm::SourceMgr &sm,
               llvm::raw_ostream &os) {
  Dumper d(sm, os);
  for (const Include &inc : module.includes)
    os << "Include '" << inc.file.text << "'\n";
  for (const LetDecl &v : module.variables)
    d.let(v);
  for (const Block &g : module.groups)
    d.block("Group", g);
  for (const Block &p : module.policies)
    d.block("Policy", p);
}
