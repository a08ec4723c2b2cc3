//===- RemoveDefaultRules.cpp - drop rules equal to the default -----------===//
//
// A rule whose action is the default action changes nothing. It is dropped;
// a `syscall` statement the user wrote in the policy all of whose rules are
// dropped gets -Wredundant-rule (the seed tutorial's allow list under
// SCMP_ACT_ALLOW). Intents are not warned about: their AppArmor part still
// applies; nor are grants of syscalls polc denies by default (io_uring,
// clone3/openat2, and syscalls newer than the baseline kernel).
//
//===----------------------------------------------------------------------===//
#include "polc/Transforms/Passes.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

using namespace polc;
using namespace polc::ir;

namespace {
/// A rule for a syscall newer than the baseline replaces polc's ENOSYS for
/// it (IRGen), even when it equals the default.
bool replacesBaseline(const Policy &p, const SyscallRule &r) {
  return p.baseline && llvm::any_of(r.numbers, [&](const auto &entry) {
           return kb::isNewerThanBaseline(r.name, entry.first, *p.baseline);
         });
}

class RemoveDefaultRulesPass : public Pass {
public:
  llvm::StringRef getName() const override { return "remove-default-rules"; }
  void run(Policy &p, DiagnosticEngine &diags) override {
    // Per statement: its rules, and those that change nothing. A rule that
    // beat another statement's rule, or that replaces one of polc's own
    // rules (io_uring, clone3/openat2), changes something even when it
    // equals the default.
    llvm::DenseMap<const char *, unsigned> made, removed;
    for (const SyscallRule &r : p.syscalls) {
      const char *key = r.origin.detail.getPointer();
      ++made[key];
      bool effective =
          r.overrides ||
          llvm::is_contained(kb::getImplicitlyDeniedSyscalls(), r.name) ||
          llvm::is_contained(kb::getFallbackSyscalls(), r.name) ||
          replacesBaseline(p, r);
      if (r.action == p.defaultAction && !effective)
        ++removed[key];
    }
    llvm::DenseSet<const char *> done;
    for (const SyscallRule &r : p.syscalls) {
      const char *key = r.origin.detail.getPointer();
      if (r.origin.isIntent || r.origin.fromGroup || !done.insert(key).second)
        continue;
      if (removed.lookup(key) == made.lookup(key))
        diags.report(DiagID::warn_rule_equals_default, r.origin.loc,
                     "'" + r.origin.text + "'", p.defaultAction.str());
    }
    llvm::erase_if(p.syscalls, [&](const SyscallRule &r) {
      return r.action == p.defaultAction;
    });
  }
};
} // namespace

std::unique_ptr<Pass> polc::createRemoveDefaultRulesPass() {
  return std::make_unique<RemoveDefaultRulesPass>();
}
