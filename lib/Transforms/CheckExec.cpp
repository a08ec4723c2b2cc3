//===- CheckExec.cpp - warn when the filter denies execve -----------------===//
//
// Runtimes (runc, crun, bwrap) load the filter and then execve the program,
// so a filter that denies execve stops the program from ever starting
// (pitfalls S26). That is right only when the program loads the filter
// itself, so it is a warning (-Wdeny-exec). An AppArmor exec grant
// beside such a filter is an error: the outputs would contradict each other.
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
    if (!effective.isDenial())
      return;
    // An AppArmor exec grant beside a filter that denies execve: the two
    // outputs would say opposite things about the same program.
    // `may not exec` (every path): deny-over-allow has already reported it
    // beside each `may exec` as a conflict.
    bool reported = llvm::any_of(p.files, [](const FileRule &f) {
      return f.deny && (f.perms & PermExec) &&
             llvm::any_of(f.origins, [](const Origin &o) {
               return o.isIntent && !o.pathScoped;
             });
    });
    // A child profile's program runs under this filter too: its exec
    // grants contradict it as well.
    std::vector<const FileRule *> grants;
    for (const FileRule &f : p.files)
      grants.push_back(&f);
    for (const Policy &c : p.children)
      for (const FileRule &f : c.files)
        grants.push_back(&f);
    bool contradicted = false;
    for (const FileRule *f : grants) {
      if (f->deny || !(f->perms & PermExec))
        continue;
      contradicted = true;
      if (reported)
        continue;
      diags.report(DiagID::err_exec_grant_seccomp_denied,
                   f->origins.front().loc, f->path, p.name, effective.str());
      diags.report(DiagID::note_execve_denied_here,
                   rule ? rule->origin.loc : p.loc);
    }
    if (!contradicted)
      diags.report(DiagID::warn_denies_exec, rule ? rule->origin.loc : p.loc,
                   p.name);
  }
};
} // namespace

std::unique_ptr<Pass> polc::createCheckExecPass() {
  return std::make_unique<CheckExecPass>();
}
