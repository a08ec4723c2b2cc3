//===- CheckExec.cpp - warn when the filter denies execve -----------------===//
//
// Runtimes (runc, crun, bwrap) load the filter and then execve the program,
// so a filter that denies execve stops the program from ever starting
// (pitfalls S26). That is right only when the program loads the filter
// itself, so it is a warning (-Wdeny-exec).
//
//===----------------------------------------------------------------------===//
#include "polc/Transforms/Passes.h"

#include "llvm/ADT/STLExtras.h"

using namespace polc;
using namespace polc::ir;

namespace {
class CheckExecPass : public Pass {
public:
  llvm::StringRef getName() const override { return "check-exec"; }
  void run(Policy &p, DiagnosticEngine &diags) override {
    // After remove-default-rules, execve has a rule only if its action
    // differs from the default.
    const SyscallRule *rule = nullptr;
    for (const SyscallRule &r : p.syscalls)
      if (r.name == "execve")
        rule = &r;
    Action effective = rule ? rule->action : p.defaultAction;
    if (effective.isDenial())
      diags.report(DiagID::warn_denies_exec, rule ? rule->origin.loc : p.loc,
                   p.name);
  }
};
} // namespace

std::unique_ptr<Pass> polc::createCheckExecPass() {
  return std::make_unique<CheckExecPass>();
}
