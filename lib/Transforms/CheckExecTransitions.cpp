//===- CheckExecTransitions.cpp - one exec mode per path ------------------===//
//
// AppArmor holds one exec mode per path: `/x ix,` beside `/x Px -> foo,`
// is refused by apparmor_parser ("conflicting x modifiers"), and polc must
// not pick one of two statements that say different things (pitfalls A6).
// Runs before merge-duplicates, which then merges the rules of one path.
//
//===----------------------------------------------------------------------===//
#include "polc/Transforms/Passes.h"

#include "llvm/ADT/StringMap.h"

using namespace polc;
using namespace polc::ir;

namespace {
class CheckExecTransitionsPass : public Pass {
public:
  llvm::StringRef getName() const override { return "check-exec-transitions"; }
  void run(Policy &p, DiagnosticEngine &diags) override {
    llvm::StringMap<const FileRule *> first;
    for (const FileRule &r : p.files) {
      if (r.deny || !(r.perms & PermExec))
        continue;
      auto [it, inserted] = first.try_emplace(r.path, &r);
      if (inserted)
        continue;
      const FileRule &o = *it->second;
      if (o.execMode == r.execMode && o.execScrub == r.execScrub &&
          o.execTarget == r.execTarget)
        continue;
      diags.report(DiagID::err_exec_transition_conflict,
                   r.origins.front().loc, r.path, describeExec(r),
                   describeExec(o));
      diags.report(DiagID::note_other_exec_transition,
                   o.origins.front().loc);
    }
  }
};
} // namespace

std::unique_ptr<Pass> polc::createCheckExecTransitionsPass() {
  return std::make_unique<CheckExecTransitionsPass>();
}
