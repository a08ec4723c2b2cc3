//===- AST.h - the policy language's syntax tree ----------------*- C++ -*-===//
//
// Every node carries its source range. Sema fills the "resolved" fields; the
// parser leaves them empty. No ANTLR type appears here.
//
//===----------------------------------------------------------------------===//
#ifndef POLC_AST_AST_H
#define POLC_AST_AST_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Casting.h"
#include "llvm/Support/SMLoc.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace polc::ast {

/// A lexical word: an identifier, a bare path, a quoted string or a number.
/// `text` is the spelling with quotes removed and `\"`/`\\` decoded; other
/// backslash escapes (`\*`) are kept, since they are glob syntax.
struct Word {
  enum class Kind { Ident, Path, String, Number, Version };
  Kind kind;
  std::string text;
  llvm::SMRange range;
};

/// A name: policy, group, arch, syscall, errno.
struct Name {
  std::string text;
  llvm::SMRange range;
  /// A member of a syscall set (`@file-system`) that Sema put in the
  /// statement's names; its range is the set's.
  bool fromSet = false;
};

enum class ActionKind {
  Allow, Deny, KillProcess, KillThread, Trap, Log, Trace, Notify
};

struct Action {
  ActionKind kind = ActionKind::Allow;
  std::optional<Word> errnoValue; ///< only for Deny
  std::optional<Word> traceValue; ///< only for Trace
  llvm::SMRange range;
  /// Resolved by Sema: the errno a Deny returns, the value a Trace passes.
  unsigned resolvedErrno = 0;
  unsigned resolvedTrace = 0;
};

/// Base of all statements (LLVM-style RTTI through Kind + classof).
class Stmt {
public:
  enum class Kind {
    Attach, Arch, Default, DefaultArch, Baseline, Use, Intent, Syscall, On,
    Child, AppArmorFlags, Limit
  };
  Stmt(Kind kind, llvm::SMRange range) : kind(kind), range(range) {}
  virtual ~Stmt() = default;
  Kind getKind() const { return kind; }
  llvm::SMRange getRange() const { return range; }
  llvm::SMLoc getLoc() const { return range.Start; }
  /// The statement's source text, for messages and comments.
  llvm::StringRef getSourceText() const {
    return llvm::StringRef(range.Start.getPointer(),
                           range.End.getPointer() - range.Start.getPointer());
  }
  /// `advisory may ...`, `advisory syscall ...`: no output need enforce it.
  bool advisory = false;

private:
  Kind kind;
  llvm::SMRange range;
};

/// `attach PATH`
struct AttachStmt : Stmt {
  AttachStmt(llvm::SMRange r, Word path) : Stmt(Kind::Attach, r), path(path) {}
  Word path;
  static bool classof(const Stmt *s) { return s->getKind() == Kind::Attach; }
};

/// `arch NAME, ...`
struct ArchStmt : Stmt {
  ArchStmt(llvm::SMRange r) : Stmt(Kind::Arch, r) {}
  llvm::SmallVector<Name, 4> arches;
  static bool classof(const Stmt *s) { return s->getKind() == Kind::Arch; }
};

/// `default ACTION`
struct DefaultStmt : Stmt {
  DefaultStmt(llvm::SMRange r, Action a) : Stmt(Kind::Default, r), action(a) {}
  Action action;
  static bool classof(const Stmt *s) { return s->getKind() == Kind::Default; }
};

/// `default arch ACTION`: what a syscall from an arch the policy does not
/// list gets (the filter's bad-arch action).
struct DefaultArchStmt : Stmt {
  DefaultArchStmt(llvm::SMRange r, Action a)
      : Stmt(Kind::DefaultArch, r), action(a) {}
  Action action;
  static bool classof(const Stmt *s) {
    return s->getKind() == Kind::DefaultArch;
  }
};

/// `baseline kernel VERSION`: the oldest kernel release the policy runs on.
/// `version` is the word as written (a VERSION or, wrongly, a NUMBER token).
struct BaselineStmt : Stmt {
  BaselineStmt(llvm::SMRange r, Word version)
      : Stmt(Kind::Baseline, r), version(version) {}
  Word version;
  static bool classof(const Stmt *s) { return s->getKind() == Kind::Baseline; }
};

/// `use GROUP`
struct UseStmt : Stmt {
  UseStmt(llvm::SMRange r, Name group) : Stmt(Kind::Use, r), group(group) {}
  Name group;
  static bool classof(const Stmt *s) { return s->getKind() == Kind::Use; }
};

/// `may [not] VERB... OBJECT..., OBJECT...`: the words as written, one list
/// per comma-separated group. Sema splits verbs from objects.
struct IntentStmt : Stmt {
  IntentStmt(llvm::SMRange r, bool negated)
      : Stmt(Kind::Intent, r), negated(negated) {}
  bool negated;
  std::vector<llvm::SmallVector<Word, 4>> groups;

  // Resolved by Sema.
  llvm::SmallVector<unsigned, 2> verbs;   ///< polc::kb::Verb values
  /// Objects: paths for file verbs, a network object (with an optional
  /// path) for network verbs, capability names for `use capability`.
  /// How an exec grant runs the program (AppArmor ix, Px, Cx, Ux).
  enum class Exec { Inherit, Profile, Child, Unconfined };
  struct Object {
    unsigned kind = 0; ///< polc::kb::NetObject for network objects
    std::string text;  ///< path or capability name
    llvm::SMRange range;
    /// A socket type word after a network object of every type
    /// (`inet6 dgram`: "dgram"); empty: the object's own.
    std::string sockType;
    /// A protocol word after `netlink` (`netlink route`: "route"); empty:
    /// every protocol.
    std::string protocol;
    /// File objects of `exec`: `PATH as inherit|profile NAME|child NAME|
    /// unconfined [keep environment]`, the target name, whether the
    /// environment is scrubbed, and the range of the transition words.
    Exec execMode = Exec::Inherit;
    std::string execTarget;
    bool execScrub = true;
    llvm::SMRange execRange;
    /// `may change profile to PEER on exec PATH`: the exec condition (a
    /// path, variables expanded); empty: none.
    std::string onExec;
  };
  std::vector<Object> objects;
  /// `may [not] OPERATION, ...` (polc::kb::Operation values): intents
  /// without objects, such as `load modules`; `verbs` is then empty.
  llvm::SmallVector<unsigned, 2> operations;
  /// `may [not] PEER-VERB PEER, ...` (polc::kb::PeerVerb): signal and
  /// ptrace intents; objects are peers, their `kind` 0 for a profile
  /// name, 1 `self`, 2 `unconfined`, 3 `any`; `verbs` is then empty.
  std::optional<unsigned> peerVerb;
  /// `may [not] use network OBJECT`: `verbs` holds every network verb.
  bool useNetwork = false;
  /// `may use abstraction NAME`: objects are abstraction names.
  bool useAbstraction = false;
  /// File qualifiers among the verbs: `may owner read ...`, `may audit ...`.
  bool owner = false;
  bool audit = false;

  static bool classof(const Stmt *s) { return s->getKind() == Kind::Intent; }
};

/// A value in a condition: terms ANDed together (`flags & CLONE_NEWUSER`),
/// each an argument name, a constant name or a number.
struct Operand {
  struct Term {
    std::string name;   ///< empty for a number
    std::string number; ///< the spelling, with a leading '-' if negative
    llvm::SMRange range;
  };
  llvm::SmallVector<Term, 2> terms;
  llvm::SMRange range;
};

enum class CmpOp { EQ, NE, LT, LE, GT, GE };
const char *getCmpOpSpelling(CmpOp op);

/// A condition on syscall arguments.
struct Condition {
  enum class Kind { Or, And, Not, Cmp, In };
  Kind kind;
  llvm::SMRange range;
  std::vector<std::unique_ptr<Condition>> children; ///< Or, And, Not
  Operand lhs;                                      ///< Cmp, In
  CmpOp op = CmpOp::EQ;                             ///< Cmp
  Operand rhs;                                      ///< Cmp
  std::vector<Operand> set;                         ///< In
  bool negatedIn = false;                           ///< `not in`
};

/// `syscall ACTION NAME, ... [if CONDITION]`
struct SyscallStmt : Stmt {
  SyscallStmt(llvm::SMRange r, Action a) : Stmt(Kind::Syscall, r), action(a) {}
  Action action;
  llvm::SmallVector<Name, 4> names;
  std::unique_ptr<Condition> condition;
  static bool classof(const Stmt *s) { return s->getKind() == Kind::Syscall; }
};

/// `on ARCH, ... { STATEMENTS }`: syscall statements for some arches only.
struct OnStmt : Stmt {
  OnStmt(llvm::SMRange r) : Stmt(Kind::On, r) {}
  llvm::SmallVector<Name, 2> arches;
  std::vector<std::unique_ptr<Stmt>> stmts;
  static bool classof(const Stmt *s) { return s->getKind() == Kind::On; }
};

/// `child NAME { STATEMENTS }`: an AppArmor child profile of the policy
/// (`profile NAME { ... }` nested in the policy's), entered by
/// `may exec PATH as child NAME`; or `hat NAME { STATEMENTS }`, an AppArmor
/// hat (`^NAME { ... }` nested in the policy's), entered with change_hat(2).
struct ChildStmt : Stmt {
  ChildStmt(llvm::SMRange r, Name name) : Stmt(Kind::Child, r), name(name) {}
  Name name;
  bool hat = false; ///< `hat NAME { ... }`
  /// "hat" or "child": the keyword, for messages.
  llvm::StringRef keyword() const { return hat ? "hat" : "child"; }
  std::vector<std::unique_ptr<Stmt>> stmts;
  static bool classof(const Stmt *s) { return s->getKind() == Kind::Child; }
};

/// `apparmor flags NAME, ...`: the AppArmor profile's `flags=(...)`.
/// `what` is the word after `apparmor` (Sema wants `flags`).
struct AppArmorFlagsStmt : Stmt {
  AppArmorFlagsStmt(llvm::SMRange r, Name what)
      : Stmt(Kind::AppArmorFlags, r), what(what) {}
  Name what;
  llvm::SmallVector<Name, 2> flags;
  static bool classof(const Stmt *s) {
    return s->getKind() == Kind::AppArmorFlags;
  }
};

/// `limit RESOURCE VALUE`: AppArmor's `set rlimit RESOURCE <= VALUE,`.
/// `value` is the value's source text without spaces (`2GB`, `-5`).
struct LimitStmt : Stmt {
  LimitStmt(llvm::SMRange r, Name resource, std::string value,
            llvm::SMRange valueRange)
      : Stmt(Kind::Limit, r), resource(resource), value(std::move(value)),
        valueRange(valueRange) {}
  Name resource;
  std::string value;
  llvm::SMRange valueRange;
  static bool classof(const Stmt *s) { return s->getKind() == Kind::Limit; }
};

/// A `policy NAME { ... }` or `group NAME { ... }` body.
struct Block {
  Name name;
  llvm::SMRange range;
  std::vector<std::unique_ptr<Stmt>> stmts;
};

struct Include {
  Word file;
  unsigned bufferID = 0; ///< the included buffer, once loaded
};

/// `let @{NAME} = VALUE, ...`: a path variable, declared at file level and
/// visible to every policy and group of the input. `name` is the word as
/// written (`@{WWW}`); Sema checks its shape and the values.
struct LetDecl {
  Word name;
  std::vector<Word> values;
  llvm::SMRange range;
};

/// A file after parsing (and, with parseFile, its includes merged in).
struct Module {
  std::vector<Include> includes;
  std::vector<LetDecl> variables;
  std::vector<Block> policies;
  std::vector<Block> groups;
};

/// Prints the tree with line:col locations, for `polc -emit=ast`.
void dump(const Module &module, const llvm::SourceMgr &sm,
          llvm::raw_ostream &os);

const char *getActionSpelling(ActionKind kind);

} // namespace polc::ast

#endif
