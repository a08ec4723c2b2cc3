//===- DenyOverAllow.cpp - resolve overlapping syscall rules --------------===//
//
// libseccomp merges rules for one syscall in its own way; polc decides first.
// For each syscall the strictest action wins (the kernel's precedence among
// stacked filters, and AppArmor's "deny wins"). A statement all of whose
// rules lose is dead (-Wdead-rule). An object-scoped grant that loses to a
// denial of every object (`may exec /usr/bin/perl` against `may not exec`)
// cannot be represented by seccomp, which cannot see paths: that is an error
// at both statements.
//
// File, network and capability rules are left to AppArmor, where deny wins
// by itself; a statement whose every AppArmor grant a denial covers is
// reported dead all the same. Two actions of equal precedence (two errno
// values) for one syscall are an error: no order decides between them.
//
//===----------------------------------------------------------------------===//
#include "polc/IR/Glob.h"
#include "polc/Transforms/Passes.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"

#include <optional>
#include <set>
#include <tuple>

using namespace polc;
using namespace polc::ir;

namespace {
class DenyOverAllowPass : public Pass {
public:
  llvm::StringRef getName() const override { return "deny-over-allow"; }
  bool runsOnChildren() const override { return true; }

  void run(Policy &p, DiagnosticEngine &diags) override {
    // The winning unconditional rule per syscall and arch: rules in `on`
    // blocks compete only on their own arches.
    llvm::StringMap<size_t> winner;
    // Statement pairs already reported as errors: no dead-rule warning too.
    std::set<std::pair<const char *, const char *>> conflicts;
    for (size_t i = 0; i < p.syscalls.size(); ++i) {
      const SyscallRule &r = p.syscalls[i];
      if (r.conditional)
        continue;
      for (const std::string &k : keysOf(r)) {
        auto [it, inserted] = winner.try_emplace(k, i);
        if (inserted)
          continue;
        const SyscallRule &w = p.syscalls[it->second];
        if (r.action.isStricterThan(w.action)) {
          it->second = i;
        } else if (r.action.kind == w.action.kind && r.action != w.action &&
                   conflicts.insert({r.origin.detail.getPointer(),
                                     w.origin.detail.getPointer()})
                       .second) {
          // Same precedence, different data (two errnos): nothing decides.
          diags.report(DiagID::err_conflicting_actions, r.origin.loc, r.name,
                       r.action.str(), w.action.str());
          diags.report(DiagID::note_conflicting_stmt, w.origin.loc);
        }
      }
    }
    // Per statement: how many rules it made, how many lost.
    llvm::DenseMap<const char *, unsigned> made, lost;
    llvm::DenseMap<const char *, const Origin *> voidedBy;
    // Intents' conditional rules voided by an unconditional one: (statement,
    // syscall, the winner's index).
    std::set<std::tuple<const char *, std::string, size_t>> overridden;
    std::vector<SyscallRule> kept;
    std::vector<bool> dropped(p.syscalls.size());
    for (size_t i = 0; i < p.syscalls.size(); ++i) {
      SyscallRule &r = p.syscalls[i];
      const char *key = r.origin.detail.getPointer();
      ++made[key];
      if (r.conditional) {
        if (std::optional<size_t> by = resolveConditional(p, i, winner, conflicts, diags)) {
          dropped[i] = true;
          ++lost[key];
          voidedBy[key] = &p.syscalls[*by].origin;
          if (r.origin.isIntent)
            overridden.insert({key, r.name, *by});
        }
        continue;
      }
      // The arches where another action wins: the rule leaves them.
      std::vector<std::string> keys = keysOf(r);
      std::vector<kb::Arch> lostOn;
      bool lostAll = true;
      for (size_t k = 0; k < keys.size(); ++k) {
        size_t w = winner[keys[k]];
        SyscallRule &win = p.syscalls[w];
        if (w == i || win.action == r.action) { // the winner, or a duplicate
          lostAll = false;
          continue;
        }
        win.overrides = true;
        voidedBy[key] = &win.origin;
        if (!r.numbers.empty())
          lostOn.push_back(std::next(r.numbers.begin(), k)->first);
        if (r.origin.isIntent && r.origin.pathScoped && win.origin.isIntent &&
            !win.origin.pathScoped &&
            conflicts.insert({key, win.origin.detail.getPointer()}).second) {
          diags.report(DiagID::err_cannot_enforce_conflict, r.origin.loc,
                       r.origin.text, win.origin.text,
                       "the paths of '" + r.name + "'");
          diags.report(DiagID::note_conflicting_stmt, win.origin.loc);
          diags.report(DiagID::note_conflict_fix, win.origin.loc,
                       "remove '" + win.origin.text +
                           "': AppArmor already denies every path the policy "
                           "does not grant");
        }
      }
      if (lostAll) {
        ++lost[key];
        dropped[i] = true;
        continue;
      }
      for (kb::Arch a : lostOn)
        r.numbers.erase(a);
    }
    noteOverriddenNarrowing(p, overridden);
    reportDead(p, made, lost, voidedBy, conflicts, diags);
    reportDeadAppArmorGrants(p, diags);
    // Rules with the winning action stay (on the arches where they win),
    // duplicates too: later passes warn per statement, and merge-duplicates
    // folds them.
    for (size_t i = 0; i < p.syscalls.size(); ++i)
      if (!dropped[i])
        kept.push_back(std::move(p.syscalls[i]));
    p.syscalls = std::move(kept);
  }

private:
  /// An intent's narrowed rule (socket only for its address families) that
  /// an unconditional rule voids: the intent's enforcement record says that
  /// the other statement decides the syscall, whatever its arguments
  /// (`syscall allow socket` makes the narrowing moot).
  static void noteOverriddenNarrowing(
      Policy &p,
      const std::set<std::tuple<const char *, std::string, size_t>> &overridden) {
    std::set<std::tuple<const char *, std::string, const char *>> done;
    for (const auto &[key, name, by] : overridden) {
      const SyscallRule &u = p.syscalls[by];
      if (!done.insert({key, name, u.origin.detail.getPointer()}).second)
        continue;
      for (Coverage &c : p.coverage)
        if (c.origin.detail.getPointer() == key)
          c.seccompNote += "; '" + u.origin.text + "' gives '" + name + "' '" +
                           u.action.str() +
                           "' whatever its arguments, which decides it";
    }
  }

  /// A conditional rule against the syscall's unconditional winner and the
  /// other conditional rules. Returns the winner when it loses (is dead):
  /// the unconditional action is at least as strict. A stricter conditional
  /// rule beside an unconditional one that is not the default cannot be emitted
  /// (libseccomp's unconditional rule swallows it); two conditional rules
  /// with different actions must not overlap. Both are errors.
  std::optional<size_t> resolveConditional(Policy &p, size_t i,
                          const llvm::StringMap<size_t> &winner,
                          std::set<std::pair<const char *, const char *>> &conflicts,
                          DiagnosticEngine &diags) {
    SyscallRule &r = p.syscalls[i];
    const char *key = r.origin.detail.getPointer();
    auto w = winner.find(keysOf(r).front());
    if (w != winner.end()) {
      SyscallRule &u = p.syscalls[w->second];
      if (!r.action.isStricterThan(u.action)) {
        if (r.action != u.action)
          u.overrides = true;
        return w->second;
      }
      if (u.action != p.defaultAction &&
          conflicts.insert({key, u.origin.detail.getPointer()}).second) {
        diags.report(DiagID::err_condition_under_unconditional, r.origin.loc,
                     r.origin.text, u.origin.text, r.name);
        diags.report(DiagID::note_conflicting_stmt, u.origin.loc);
      }
    }
    for (size_t j = 0; j < i; ++j) {
      const SyscallRule &o = p.syscalls[j];
      if (!o.conditional || o.name != r.name || o.action == r.action ||
          o.numbers != r.numbers || !mayOverlap(o.cond, r.cond))
        continue;
      if (conflicts.insert({key, o.origin.detail.getPointer()}).second) {
        diags.report(DiagID::err_condition_overlap, r.origin.loc,
                     r.origin.text, o.origin.text, r.name);
        diags.report(DiagID::note_conflicting_stmt, o.origin.loc);
      }
    }
    return std::nullopt;
  }

  /// The competitions a rule takes part in: one per arch it has a number
  /// on (a rule for a syscall absent everywhere competes once, by name).
  static std::vector<std::string> keysOf(const SyscallRule &r) {
    std::vector<std::string> keys;
    for (const auto &entry : r.numbers)
      keys.push_back(r.name + "@" + kb::getArchInfo(entry.first).name.str());
    if (keys.empty())
      keys.push_back(r.name);
    return keys;
  }

  /// AppArmor resolves deny-over-allow itself, so these rules stay; but a
  /// statement all of whose AppArmor grants a denial covers is dead.
  void reportDeadAppArmorGrants(const Policy &p, DiagnosticEngine &diags) {
    llvm::DenseMap<const char *, unsigned> made, covered;
    llvm::DenseMap<const char *, const Origin *> by;
    std::vector<const Origin *> order;
    auto record = [&](llvm::ArrayRef<Origin> origins, const Origin *cover) {
      for (const Origin &o : origins) {
        const char *key = o.detail.getPointer();
        if (!made.count(key))
          order.push_back(&o);
        ++made[key];
        if (cover) {
          ++covered[key];
          by[key] = cover;
        }
      }
    };
    for (const FileRule &r : p.files) {
      if (r.deny)
        continue;
      // Several denials may cover one grant between them (read and write).
      const Origin *cover = nullptr;
      unsigned denied = 0;
      for (const FileRule &d : p.files)
        // An `owner` denial leaves the files of other owners granted.
        if (d.deny && (!d.owner || r.owner) && (d.perms & r.perms) &&
            globCovers(d.path, r.path)) {
          denied |= d.perms;
          cover = &d.origins.front();
        }
      record(r.origins, (r.perms & ~denied) == 0 ? cover : nullptr);
    }
    for (const NetworkRule &r : p.network) {
      if (r.deny)
        continue;
      const Origin *cover = nullptr;
      for (const NetworkRule &d : p.network)
        if (d.deny && d.covers(r))
          cover = &d.origins.front();
      record(r.origins, cover);
    }
    for (const CapabilityRule &r : p.capabilities) {
      if (r.deny)
        continue;
      const Origin *cover = nullptr;
      for (const CapabilityRule &d : p.capabilities)
        if (d.deny && d.name == r.name)
          cover = &d.origins.front();
      record(r.origins, cover);
    }
    llvm::sort(order, [](const Origin *a, const Origin *b) {
      return a->detail.getPointer() < b->detail.getPointer();
    });
    for (const Origin *o : order) {
      const char *key = o->detail.getPointer();
      if (o->fromGroup || covered.lookup(key) != made.lookup(key))
        continue;
      diags.report(DiagID::warn_dead_rule, o->loc, o->text,
                   "denials cover everything it grants");
      diags.report(DiagID::note_voided_by, by.lookup(key)->loc);
    }
  }

  void reportDead(const Policy &p,
                  const llvm::DenseMap<const char *, unsigned> &made,
                  const llvm::DenseMap<const char *, unsigned> &lost,
                  const llvm::DenseMap<const char *, const Origin *> &voidedBy,
                  const std::set<std::pair<const char *, const char *>> &conflicts,
                  DiagnosticEngine &diags) {
    // Warn once per statement whose every rule lost, in source order, unless
    // it came from a group (a group's grants are meant to be overridable).
    llvm::DenseSet<const char *> done;
    for (const SyscallRule &r : p.syscalls) {
      const char *key = r.origin.detail.getPointer();
      if (r.origin.fromGroup || !done.insert(key).second)
        continue;
      auto l = lost.find(key);
      if (l == lost.end() || l->second != made.lookup(key))
        continue;
      const Origin *by = voidedBy.lookup(key);
      if (conflicts.count({key, by->detail.getPointer()}))
        continue;
      diags.report(DiagID::warn_dead_rule, r.origin.loc, r.origin.text,
                   r.conditional
                       ? "an unconditional rule at least as strict covers "
                         "every syscall it names"
                       : "a stricter rule applies to every syscall it names");
      diags.report(DiagID::note_voided_by, by->loc);
    }
  }
};
} // namespace

std::unique_ptr<Pass> polc::createDenyOverAllowPass() {
  return std::make_unique<DenyOverAllowPass>();
}
