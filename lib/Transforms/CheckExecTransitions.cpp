//===- CheckExecTransitions.cpp - one exec mode per path ------------------===//
//
// AppArmor holds one exec mode per path: `/x ix,` beside `/x Px -> foo,`
// is refused by apparmor_parser ("conflicting x modifiers"), and polc must
// not pick one of two statements that say different things (pitfalls A6).
// Two globs that may match one program with different modes are refused
// too ("profile has merged rule with conflicting x modifiers"); an exact
// path beside a glob is fine, since AppArmor gives the exact path
// precedence. Runs before merge-duplicates, which then merges the rules of
// one path.
//
//===----------------------------------------------------------------------===//
#include "polc/Transforms/Passes.h"

#include "polc/IR/Glob.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"

using namespace polc;
using namespace polc::ir;

namespace {
/// The literal characters before the first glob character, or after the
/// last one (escapes removed): two globs are disjoint when these differ.
std::string literalEnd(llvm::StringRef glob, bool prefix) {
  std::string lit;
  for (size_t i = 0; i < glob.size(); ++i) {
    char c = glob[i];
    if (c == '\\' && i + 1 < glob.size()) {
      lit += glob[++i];
      continue;
    }
    if (llvm::StringRef("*?[]{}").contains(c)) {
      if (prefix)
        return lit;
      lit.clear();
      continue;
    }
    lit += c;
  }
  return lit;
}

/// False only when no path can match both globs.
bool mayOverlap(llvm::StringRef a, llvm::StringRef b) {
  std::string pa = literalEnd(a, true), pb = literalEnd(b, true);
  if (!llvm::StringRef(pa).startswith(pb) &&
      !llvm::StringRef(pb).startswith(pa))
    return false;
  std::string sa = literalEnd(a, false), sb = literalEnd(b, false);
  return llvm::StringRef(sa).endswith(sb) || llvm::StringRef(sb).endswith(sa);
}

bool sameMode(const FileRule &a, const FileRule &b) {
  return a.execMode == b.execMode && a.execScrub == b.execScrub &&
         a.execTarget == b.execTarget;
}

class CheckExecTransitionsPass : public Pass {
public:
  llvm::StringRef getName() const override { return "check-exec-transitions"; }
  bool runsOnChildren() const override { return true; }
  void run(Policy &p, DiagnosticEngine &diags) override {
    llvm::StringMap<const FileRule *> first;
    for (const FileRule &r : p.files) {
      if (r.deny || !(r.perms & PermExec))
        continue;
      auto [it, inserted] = first.try_emplace(r.path, &r);
      if (inserted)
        continue;
      const FileRule &o = *it->second;
      if (sameMode(o, r))
        continue;
      diags.report(DiagID::err_exec_transition_conflict,
                   r.origins.front().loc, r.path, describeExec(r),
                   describeExec(o));
      diags.report(DiagID::note_other_exec_transition,
                   o.origins.front().loc);
    }
    // Distinct globs, pairwise, each pair once.
    std::vector<const FileRule *> globs;
    for (const auto &entry : first)
      if (hasGlobChars(entry.second->path))
        globs.push_back(entry.second);
    llvm::sort(globs, [](const FileRule *a, const FileRule *b) {
      return a->origins.front().loc.getPointer() <
             b->origins.front().loc.getPointer();
    });
    for (size_t i = 0; i < globs.size(); ++i)
      for (size_t j = i + 1; j < globs.size(); ++j) {
        const FileRule &a = *globs[i], &b = *globs[j];
        if (sameMode(a, b) || !mayOverlap(a.path, b.path))
          continue;
        diags.report(DiagID::err_exec_transition_overlap,
                     b.origins.front().loc, b.path, describeExec(b), a.path,
                     describeExec(a));
        diags.report(DiagID::note_other_exec_transition,
                     a.origins.front().loc);
      }
  }
};
} // namespace

std::unique_ptr<Pass> polc::createCheckExecTransitionsPass() {
  return std::make_unique<CheckExecTransitionsPass>();
}
