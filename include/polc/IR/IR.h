//===- IR.h - polc's intermediate representation ----------------*- C++ -*-===//
//
// What a policy grants and denies, backend by backend, with the source
// location of the statement behind every rule. Knows nothing of the AST.
//
//===----------------------------------------------------------------------===//
#ifndef POLC_IR_IR_H
#define POLC_IR_IR_H

#include "polc/KB/KnowledgeBase.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SMLoc.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <map>
#include <optional>
#include <tuple>
#include <string>
#include <vector>

namespace llvm {
class SourceMgr;
}

namespace polc::ir {

/// A seccomp action. Ordered by the kernel's precedence: when two actions
/// apply, the greater one wins (kill process > kill thread > trap > errno >
/// notify > trace > log > allow).
struct Action {
  enum class Kind {
    Allow, Log, Trace, Notify, Errno, Trap, KillThread, KillProcess
  };
  Kind kind = Kind::Allow;
  unsigned errnoValue = 0; ///< only for Errno
  unsigned traceValue = 0; ///< only for Trace: what the tracer is told

  static Action allow() { return {Kind::Allow, 0}; }
  static Action errno_(unsigned e) { return {Kind::Errno, e}; }
  bool operator==(const Action &o) const {
    return kind == o.kind && errnoValue == o.errnoValue &&
           traceValue == o.traceValue;
  }
  bool operator!=(const Action &o) const { return !(*this == o); }
  /// True when this action takes precedence over \p o.
  bool isStricterThan(const Action &o) const {
    return kind != o.kind ? kind > o.kind : false;
  }
  bool isDenial() const { return kind != Kind::Allow && kind != Kind::Log; }
  /// "allow", "errno EPERM", "kill process", ...
  std::string str() const;
};

/// Where a rule comes from: the statement in the policy (for a statement
/// brought in by `use`, the `use`), and the statement itself.
struct Origin {
  llvm::SMLoc loc;         ///< the statement as the policy shows it
  llvm::SMLoc detail;      ///< the statement that made the rule
  std::string text;        ///< source text of `detail`, for messages
  bool fromGroup = false;  ///< came in through `use`
  bool isIntent = false;   ///< `may`/`may not` (else `syscall`)
  bool pathScoped = false; ///< an intent that named objects
  bool advisory = false;   ///< marked `advisory`: no output need enforce it
};

/// One comparison of a syscall argument, as seccomp makes it:
/// `args[arg] OP value`, or for MaskedEQ `(args[arg] & mask) == value`.
struct ArgCmp {
  enum class Op { EQ, NE, LT, LE, GT, GE, MaskedEQ };
  unsigned arg = 0;
  Op op = Op::EQ;
  uint64_t mask = ~uint64_t(0);
  uint64_t value = 0;
  bool operator==(const ArgCmp &o) const {
    return arg == o.arg && op == o.op && mask == o.mask && value == o.value;
  }
  bool operator<(const ArgCmp &o) const {
    return std::tie(arg, op, mask, value) <
           std::tie(o.arg, o.op, o.mask, o.value);
  }
};
/// Comparisons on distinct arguments, all of which must hold.
using ArgCondition = llvm::SmallVector<ArgCmp, 2>;
/// "a0 == 1 && (a1 & 0x10) == 0", for dumps and messages.
std::string formatCondition(const ArgCondition &cond);
/// Whether \p cond holds for the argument values \p args.
bool evaluate(const ArgCondition &cond, llvm::ArrayRef<uint64_t> args);
/// Whether some argument values satisfy both; conservative (true unless a
/// comparison on a shared argument rules it out).
bool mayOverlap(const ArgCondition &a, const ArgCondition &b);

/// One syscall rule, resolved on the policy's arches.
struct SyscallRule {
  std::string name;
  Action action;
  Origin origin;
  /// The syscall's number on each target arch where it exists. A negative
  /// number is libseccomp's pseudo-number for a call the arch makes only
  /// through socketcall or ipc (accept on x86: -105); the backends emit no
  /// rule by that number, only the multiplexer's (lower-multiplexed-calls).
  std::map<kb::Arch, int> numbers;
  /// Set by lower-multiplexed-calls on the rule it makes for the multiplexer
  /// (socketcall, ipc): the name of the call whose rule it carries.
  std::string multiplexedCall;
  /// Set by deny-over-allow when this rule beat a rule with another action:
  /// then it matters even if it equals the default.
  bool overrides = false;
  /// A conditional rule applies only when `cond` holds; its `numbers` name
  /// exactly one arch, since argument layouts and constants are per arch.
  bool conditional = false;
  ArgCondition cond;
  /// polc's ENOSYS for a syscall newer than the policy's baseline kernel;
  /// `numbers` holds only the arches where it is newer.
  bool fromBaseline = false;
  /// A network intent's grant of a socket call on arches where it cannot be
  /// narrowed by argument (socketcall(2) also reaches it there, x86, s390x,
  /// ppc64le): unconditional, and `numbers` holds only those arches; the
  /// other arches have the narrowed, conditional rules.
  bool unnarrowed = false;
};

/// AppArmor file permissions.
enum FilePerm : unsigned {
  PermRead = 1 << 0,
  PermWrite = 1 << 1,
  PermAppend = 1 << 2,
  PermLink = 1 << 3,
  PermLock = 1 << 4,
  PermMap = 1 << 5,
  PermExec = 1 << 6, ///< inherit-exec (ix) for grants, x for denials
};
std::string formatPerms(unsigned perms, bool deny);

/// What an exec grant does to the confinement of the program it runs
/// (AppArmor's exec modes). Denials take a bare `x` and have none.
enum class ExecMode {
  Inherit,    ///< ix: the program stays under this profile
  Profile,    ///< px/Px: the program runs under profile `execTarget`
  Child,      ///< cx/Cx: under this profile's child `execTarget`
  Unconfined, ///< ux/Ux: the program leaves confinement
};

struct FileRule {
  std::string path; ///< glob in polc/AppArmor syntax, escapes kept
  unsigned perms = 0;
  bool deny = false;
  /// `owner`: only files the process's fsuid owns.
  bool owner = false;
  /// `audit`: log every access the rule decides.
  bool audit = false;
  /// The exec mode of a grant with PermExec (Inherit otherwise).
  ExecMode execMode = ExecMode::Inherit;
  /// Px/Cx/Ux: the environment is scrubbed (AT_SECURE) for the new
  /// program; px/cx/ux keep it. Meaningless for Inherit.
  bool execScrub = true;
  /// The profile (or child profile) name for Profile and Child.
  std::string execTarget;
  llvm::SmallVector<Origin, 1> origins;
};
/// The AppArmor permission string of a file rule: `formatPerms` with the
/// rule's exec mode (`mPx -> foo`).
std::string formatFilePerms(const FileRule &r);
/// The exec mode in words, for diagnostics: "profile foo", "inherit".
std::string describeExec(const FileRule &r);

struct NetworkRule {
  std::string family; ///< inet, inet6, unix, or "" for every family
  std::string type;   ///< stream, dgram, or "" for every type
  bool deny = false;
  bool audit = false; ///< `audit network ...`: log what the rule decides
  llvm::SmallVector<Origin, 1> origins;
  /// `network FAMILY TYPE` as AppArmor spells it, without the comma.
  std::string str() const;
  /// Whether every socket \p narrow selects, this rule selects too
  /// (`network inet` covers `network inet dgram`, `network raw` covers
  /// `network packet raw`); polarity is not compared.
  bool covers(const NetworkRule &narrow) const {
    return (family.empty() || family == narrow.family) &&
           (type.empty() || type == narrow.type);
  }
};

struct CapabilityRule {
  std::string name;
  bool deny = false;
  bool audit = false; ///< `audit capability ...`
  llvm::SmallVector<Origin, 1> origins;
};

/// Another AppArmor rule without conditions, written as it stands (`mount`,
/// `umount`, `pivot_root`; Operations.def RULES).
struct OtherRule {
  std::string text;
  bool deny = false;
  bool audit = false; ///< `audit signal ...`, `audit ptrace ...`
  /// A `change_profile` rule's exec condition, a polc path the AppArmor
  /// backend writes (quoted as a path) after `change_profile`; empty: none.
  std::string execPath;
  llvm::SmallVector<Origin, 1> origins;
};

/// `include <abstractions/NAME>`: an AppArmor rule set (a grant).
struct AbstractionRule {
  std::string name;
  llvm::SmallVector<Origin, 1> origins;
};

/// How far a backend enforces one statement.
enum class Enforcement { Full, Partial, None };

/// What one statement means in each backend, said in words: the record
/// `-emit=ir` prints and the outputs' comments repeat.
struct Coverage {
  Origin origin;
  Enforcement seccomp = Enforcement::None;
  Enforcement apparmor = Enforcement::None;
  std::string seccompNote;
  std::string apparmorNote;
};

/// The syscalls of one arch, grouped by action: the folded form the seccomp
/// backend lowers.
struct ArchSyscalls {
  kb::Arch arch;
  /// action -> syscall numbers (sorted) with their names.
  std::vector<std::pair<Action, std::vector<std::pair<int, std::string>>>>
      byAction;
  /// Conditional rules, by number, then condition.
  struct Conditional {
    int nr;
    std::string name;
    Action action;
    ArgCondition cond;
  };
  std::vector<Conditional> conditional;
};

struct Policy {
  std::string name;
  llvm::SMLoc loc;
  std::optional<std::string> attach;
  std::vector<kb::Arch> arches;
  Action defaultAction;
  /// What a syscall from an arch the policy does not list gets (the
  /// filter's bad-arch action); `badArchLoc` is the `default arch`
  /// statement that set it, if one did.
  Action badArchAction{Action::Kind::KillProcess, 0};
  llvm::SMLoc badArchLoc;
  /// `baseline kernel X.Y` and where it is written.
  std::optional<kb::KernelVersion> baseline;
  llvm::SMLoc baselineLoc;
  std::vector<SyscallRule> syscalls;
  std::vector<FileRule> files;
  std::vector<NetworkRule> network;
  std::vector<CapabilityRule> capabilities;
  std::vector<OtherRule> otherRules;
  std::vector<AbstractionRule> abstractions;
  std::vector<Coverage> coverage;
  /// Filled by the fold-syscalls pass.
  std::vector<ArchSyscalls> folded;
  /// `apparmor flags ...`: the profile's flags=(...), as the policy gives
  /// them (none unless asked: pitfalls A15).
  std::vector<std::string> apparmorFlags;
  /// AppArmor child profiles (`child NAME { ... }`), entered by Cx, and
  /// hats (`hat NAME { ... }`, `hat` set), entered with change_hat(2): name,
  /// loc and their file, network, capability and abstraction rules only.
  /// Their grants' syscalls are in this policy's `syscalls` (the program
  /// runs under its filter), their coverage in its `coverage`.
  std::vector<Policy> children;
  /// In `children`: a hat (`^NAME`) rather than a child profile.
  bool hat = false;
};

struct Module {
  std::vector<Policy> policies;
};

/// Prints the IR with source positions, for `polc -emit=ir`.
void dump(const Module &module, const llvm::SourceMgr &sm,
          llvm::raw_ostream &os);

/// "file:line" of \p loc, or "" if it is not in a buffer.
std::string formatLoc(const llvm::SourceMgr &sm, llvm::SMLoc loc);

} // namespace polc::ir

#endif
