//===- Program.h - the seccomp backend's model ------------------*- C++ -*-===//
//
// A seccomp filter as polc means it: per target arch, the syscalls (by that
// arch's number) whose action differs from the default. Lowered from IR;
// emitted as OCI JSON (OCIJSON.h) and, through libseccomp, as BPF and PFC
// (Libseccomp.h).
//
//===----------------------------------------------------------------------===//
#ifndef POLC_SECCOMP_PROGRAM_H
#define POLC_SECCOMP_PROGRAM_H

#include "polc/IR/IR.h"

#include <string>
#include <vector>

namespace polc::seccomp {

struct Rule {
  /// The syscall's number on the section's arch; negative (libseccomp's
  /// pseudo-number) for a call the arch makes only through socketcall or
  /// ipc, whose masked multiplexer rule is in the section too. JSON names
  /// it (runtimes add their own multiplexer rule for it); BPF does not.
  int nr;
  std::string name;
  ir::Action action;
  /// Empty for an unconditional rule.
  ir::ArgCondition cond;
  /// polc's ENOSYS for a syscall newer than the baseline kernel.
  bool fromBaseline = false;
  /// A network intent's socket grant polc cannot narrow on this arch
  /// (ir::SyscallRule::unnarrowed).
  bool unnarrowed = false;
};

struct ArchSection {
  kb::Arch arch;
  std::vector<Rule> rules; ///< sorted by number, then condition
};

struct Program {
  std::string name;
  ir::Action defaultAction;
  /// What a syscall from an arch not listed gets: kill the process unless
  /// the policy says `default arch ACTION` (a denial), so that nothing runs
  /// with numbers the filter does not know (pitfalls S1, S4).
  ir::Action badArchAction{ir::Action::Kind::KillProcess, 0};
  std::vector<ArchSection> sections; ///< in the policy's arch order
};

/// Lowers one policy (after the pass pipeline) to a seccomp program.
Program lowerToSeccomp(const ir::Policy &policy);

} // namespace polc::seccomp

#endif
