//===- Program.cpp - IR to seccomp::Program -------------------------------===//
#include "polc/Seccomp/Program.h"

#include "llvm/ADT/STLExtras.h"

#include <cerrno>
#include <set>

using namespace polc;
using namespace polc::seccomp;

Program seccomp::lowerToSeccomp(const ir::Policy &policy) {
  Program prog;
  prog.name = policy.name;
  prog.defaultAction = policy.defaultAction;
  prog.badArchAction = policy.badArchAction;
  for (const ir::ArchSyscalls &as : policy.folded) {
    ArchSection sec{as.arch, {}};
    // Which of the section's rules are the baseline's, and which are socket
    // grants that cannot be narrowed here (folding keeps only numbers and
    // names; after merge-duplicates, one unconditional rule per syscall and
    // action remains).
    std::set<std::string> baseline;
    std::set<std::pair<std::string, std::string>> unnarrowed;
    for (const ir::SyscallRule &r : policy.syscalls) {
      if (r.fromBaseline && r.numbers.count(as.arch))
        baseline.insert(r.name);
      if (r.unnarrowed && r.numbers.count(as.arch))
        unnarrowed.insert({r.name, r.action.str()});
    }
    for (const auto &[action, calls] : as.byAction)
      for (const auto &[nr, name] : calls) {
        Rule r{nr, name, action, {},
               action == ir::Action::errno_(ENOSYS) && baseline.count(name) > 0};
        r.unnarrowed = unnarrowed.count({name, action.str()}) > 0;
        sec.rules.push_back(std::move(r));
      }
    for (const auto &c : as.conditional)
      sec.rules.push_back(Rule{c.nr, c.name, c.action, c.cond});
    llvm::stable_sort(sec.rules, [](const Rule &a, const Rule &b) {
      return std::tie(a.nr, a.cond) < std::tie(b.nr, b.cond);
    });
    prog.sections.push_back(std::move(sec));
  }
  return prog;
}
