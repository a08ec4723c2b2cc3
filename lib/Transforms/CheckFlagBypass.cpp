//===- CheckFlagBypass.cpp - warn when a struct-argument sibling is allowed ===//
//
// clone3 and openat2 take their flags in memory, where seccomp cannot look
// (pitfalls S9). A policy that denies clone or openat by their flags (`may
// not create namespaces`, `may not fork`, `syscall deny clone if ...`) is
// bypassed by the struct form of the same call. IRGen gives the struct form
// ENOSYS when no statement names it, so programs fall back to the call the
// filter sees; a statement that allows it undoes that, and gets
// -Wflag-bypass. Runs after deny-over-allow (an allow that lost is no
// bypass) and before remove-default-rules (which would drop an allow equal
// to the default).
//
//===----------------------------------------------------------------------===//
#include "polc/KB/KnowledgeBase.h"
#include "polc/Transforms/Passes.h"

#include "llvm/ADT/STLExtras.h"

using namespace polc;
using namespace polc::ir;

namespace {
class CheckFlagBypassPass : public Pass {
public:
  llvm::StringRef getName() const override { return "check-flag-bypass"; }
  void run(Policy &p, DiagnosticEngine &diags) override {
    for (llvm::StringRef name : kb::getFallbackSyscalls()) {
      std::vector<llvm::StringRef> family = kb::getSyscallFamily(name);
      const SyscallRule *denial = nullptr;
      for (const SyscallRule &r : p.syscalls)
        if (r.conditional && r.action.isDenial() && r.name != name &&
            llvm::is_contained(family, r.name)) {
          denial = &r;
          break;
        }
      if (!denial)
        continue;
      for (const SyscallRule &r : p.syscalls)
        if (r.name == name && !r.action.isDenial() && !r.conditional) {
          diags.report(DiagID::warn_flag_bypass, r.origin.loc, name,
                       r.origin.text, denial->origin.text, denial->name);
          diags.report(DiagID::note_conflicting_stmt, denial->origin.loc);
          break;
        }
    }
  }
};
} // namespace

std::unique_ptr<Pass> polc::createCheckFlagBypassPass() {
  return std::make_unique<CheckFlagBypassPass>();
}
