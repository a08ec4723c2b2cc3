//===- Program.cpp - IR to seccomp::Program -------------------------------===//
#include "polc/Seccomp/Program.h"

#include "llvm/ADT/STLExtras.h"

using namespace polc;
using namespace polc::seccomp;

Program seccomp::lowerToSeccomp(const ir::Policy &policy) {
  Program prog;
  prog.name = policy.name;
  prog.defaultAction = policy.defaultAction;
  for (const ir::ArchSyscalls &as : policy.folded) {
    ArchSection sec{as.arch, {}};
    for (const auto &[action, calls] : as.byAction)
      for (const auto &[nr, name] : calls)
        sec.rules.push_back(Rule{nr, name, action});
    llvm::sort(sec.rules,
               [](const Rule &a, const Rule &b) { return a.nr < b.nr; });
    prog.sections.push_back(std::move(sec));
  }
  return prog;
}
