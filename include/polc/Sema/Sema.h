//===- Sema.h - name resolution and checking of the AST ---------*- C++ -*-===//
//
// Checks a parsed module against polc's knowledge: verbs and their objects,
// capability, architecture, errno and syscall names (per target arch, through
// libseccomp), groups and their use. Fills the AST's resolved fields and
// returns each policy with its groups expanded.
//
//===----------------------------------------------------------------------===//
#ifndef POLC_SEMA_SEMA_H
#define POLC_SEMA_SEMA_H

#include "polc/AST/AST.h"
#include "polc/KB/KnowledgeBase.h"
#include "polc/Sema/Conditions.h"
#include "polc/Support/Diagnostics.h"

#include <map>
#include <optional>
#include <vector>

namespace polc::sema {

/// A statement that applies to a policy: written in it, or brought in by a
/// `use` (then `via` is that `use`, and `group` the group's name).
struct FlatStmt {
  const ast::Stmt *stmt;
  const ast::UseStmt *via = nullptr;
  /// For a `syscall` statement with a condition: the condition lowered for
  /// each (syscall, target arch) where the syscall exists.
  std::map<std::pair<std::string, kb::Arch>, DNF> conditions;
  /// For a statement in an `on` block: the arches it applies to (else all
  /// of the policy's).
  std::vector<kb::Arch> onlyArches;
};

/// A checked `child NAME { ... }` or `hat NAME { ... }` of a policy (which
/// one: `decl->hat`): its statements, groups
/// expanded.
struct CheckedChild {
  const ast::ChildStmt *decl;
  std::vector<FlatStmt> stmts;
};

/// One checked policy.
struct CheckedPolicy {
  const ast::Block *decl;
  std::optional<ast::Word> attach;
  std::vector<kb::Arch> arches;
  ast::Action defaultAction;
  /// `default arch ACTION`, if written (a denial), and where.
  std::optional<ast::Action> badArchAction;
  llvm::SMLoc badArchLoc;
  /// `baseline kernel X.Y`, if written, and where.
  std::optional<kb::KernelVersion> baseline;
  llvm::SMLoc baselineLoc;
  /// Intent and syscall statements, in source order, groups expanded.
  std::vector<FlatStmt> stmts;
  /// `apparmor flags ...`: the profile's flags, as written (checked).
  std::vector<std::string> apparmorFlags;
  /// `limit RESOURCE VALUE` statements, checked: AppArmor rlimit rules.
  std::vector<const ast::LimitStmt *> limits;
  /// `child NAME { ... }` blocks, in source order.
  std::vector<CheckedChild> children;
};

/// Checks \p user (the parsed input) with the built-in groups of \p builtin
/// in scope. Reports every error; returns std::nullopt if there was one.
std::optional<std::vector<CheckedPolicy>>
checkModule(ast::Module &user, ast::Module &builtin, DiagnosticEngine &diags);

} // namespace polc::sema

#endif
