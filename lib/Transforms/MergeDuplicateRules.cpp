//===- MergeDuplicateRules.cpp - merge identical rules --------------------===//
//
// Identical syscall rules (same syscall, same action, same condition) merge
// into the first, on the union of their arches; file
// rules on the same path with the same polarity merge their permissions;
// network and capability rules merge by identity. Origins are kept, order is
// first appearance, so output stays deterministic.
//
//===----------------------------------------------------------------------===//
#include "polc/Transforms/Passes.h"

#include <map>
#include <tuple>

using namespace polc;
using namespace polc::ir;

namespace {

template <typename Rule, typename KeyFn, typename MergeFn>
void mergeBy(std::vector<Rule> &rules, KeyFn key, MergeFn merge) {
  std::vector<Rule> out;
  std::map<decltype(key(rules.front())), size_t> index;
  for (Rule &r : rules) {
    auto [it, inserted] = index.try_emplace(key(r), out.size());
    if (inserted)
      out.push_back(std::move(r));
    else
      merge(out[it->second], r);
  }
  rules = std::move(out);
}

class MergeDuplicateRulesPass : public Pass {
public:
  llvm::StringRef getName() const override { return "merge-duplicates"; }
  bool runsOnChildren() const override { return true; }
  void run(Policy &p, DiagnosticEngine &) override {
    if (!p.syscalls.empty())
      mergeBy(
          p.syscalls,
          [](const SyscallRule &r) {
            std::vector<std::tuple<unsigned, int, uint64_t, uint64_t>> cond;
            for (const ArgCmp &c : r.cond)
              cond.emplace_back(c.arg, static_cast<int>(c.op), c.mask, c.value);
            return std::make_tuple(r.name, r.action.kind, r.action.errnoValue,
                                   r.action.traceValue,
                                   r.conditional, cond,
                                   r.conditional ? r.numbers
                                                 : std::map<kb::Arch, int>());
          },
          [](SyscallRule &into, SyscallRule &from) {
            // Unconditional rules merge across arches: the merged rule
            // holds on every arch either one did (an `on` block's rule and
            // the same rule for all arches, a group's and an intent's).
            into.numbers.insert(from.numbers.begin(), from.numbers.end());
            into.overrides |= from.overrides;
            // Only the baseline's own rules are left out of the JSON.
            into.fromBaseline &= from.fromBaseline;
          });
    auto mergeOrigins = [](auto &into, auto &from) {
      into.origins.append(from.origins.begin(), from.origins.end());
    };
    if (!p.files.empty())
      mergeBy(
          p.files,
          [](const FileRule &r) {
            return std::make_tuple(r.path, r.deny, r.owner, r.audit);
          },
          [&](FileRule &into, FileRule &from) {
            // check-exec-transitions refused two exec modes on one path, so
            // at most one transition is set, or both are the same.
            if ((from.perms & PermExec) && !(into.perms & PermExec)) {
              into.execMode = from.execMode;
              into.execScrub = from.execScrub;
              into.execTarget = from.execTarget;
            }
            into.perms |= from.perms;
            mergeOrigins(into, from);
          });
    if (!p.network.empty())
      mergeBy(
          p.network,
          [](const NetworkRule &r) {
            return std::make_tuple(r.family, r.type, r.deny, r.audit);
          },
          mergeOrigins);
    if (!p.capabilities.empty())
      mergeBy(
          p.capabilities,
          [](const CapabilityRule &r) {
            return std::make_tuple(r.name, r.deny, r.audit);
          },
          mergeOrigins);
    if (!p.otherRules.empty())
      mergeBy(
          p.otherRules,
          [](const OtherRule &r) {
            return std::make_tuple(r.text, r.deny, r.audit, r.execPath);
          },
          mergeOrigins);
    if (!p.abstractions.empty())
      mergeBy(
          p.abstractions, [](const AbstractionRule &r) { return r.name; },
          mergeOrigins);
  }
};
} // namespace

std::unique_ptr<Pass> polc::createMergeDuplicateRulesPass() {
  return std::make_unique<MergeDuplicateRulesPass>();
}
