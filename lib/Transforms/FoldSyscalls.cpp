//===- FoldSyscalls.cpp - per-arch syscall sets ---------------------------===//
//
// Groups the (already non-overlapping) syscall rules per target arch and
// action, sorted by syscall number: the form the seccomp backend lowers.
// A syscall absent on an arch has no number there and is left out of it.
//
//===----------------------------------------------------------------------===//
#include "polc/Transforms/Passes.h"

#include "llvm/ADT/STLExtras.h"

#include <map>
#include <tuple>

using namespace polc;
using namespace polc::ir;

namespace {
class FoldSyscallsPass : public Pass {
public:
  llvm::StringRef getName() const override { return "fold-syscalls"; }
  void run(Policy &p, DiagnosticEngine &) override {
    p.folded.clear();
    for (kb::Arch arch : p.arches) {
      auto key = [](const Action &a) {
        return std::make_tuple(static_cast<int>(a.kind), a.errnoValue,
                               a.traceValue);
      };
      std::map<std::tuple<int, unsigned, unsigned>, size_t> index;
      ArchSyscalls as{arch, {}};
      for (const SyscallRule &r : p.syscalls) {
        auto nr = r.numbers.find(arch);
        if (nr == r.numbers.end())
          continue;
        if (r.conditional) {
          as.conditional.push_back({nr->second, r.name, r.action, r.cond});
          continue;
        }
        auto [it, inserted] = index.try_emplace(key(r.action), as.byAction.size());
        if (inserted)
          as.byAction.push_back({r.action, {}});
        as.byAction[it->second].second.push_back({nr->second, r.name});
      }
      // Deterministic: actions by precedence, then syscalls by number.
      llvm::sort(as.byAction, [&](const auto &a, const auto &b) {
        return key(a.first) < key(b.first);
      });
      for (auto &entry : as.byAction)
        llvm::sort(entry.second);
      llvm::stable_sort(as.conditional, [](const auto &a, const auto &b) {
        return std::tie(a.nr, a.cond) < std::tie(b.nr, b.cond);
      });
      p.folded.push_back(std::move(as));
    }
  }
};
} // namespace

std::unique_ptr<Pass> polc::createFoldSyscallsPass() {
  return std::make_unique<FoldSyscallsPass>();
}
