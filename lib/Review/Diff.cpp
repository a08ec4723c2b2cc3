//===- Diff.cpp -----------------------------------------------------------===//
#include "polc/Review/Diff.h"

#include "polc/IR/Glob.h"
#include "polc/KB/KnowledgeBase.h"

#include "llvm/ADT/StringExtras.h"

#include <map>
#include <set>

using namespace polc;
using namespace polc::review;
namespace json = llvm::json;

namespace {

bool runs(const ir::Action &a) {
  return a.kind == ir::Action::Kind::Allow || a.kind == ir::Action::Kind::Log;
}

/// What one syscall gets on one arch.
struct SyscallState {
  std::optional<ir::Action> unconditional; ///< else the default, or rules
  std::set<std::string> rules;             ///< "ACTION if COND"
  std::set<std::string> allowIf;           ///< conditions under which it runs
  std::vector<ir::ArgCondition> allowConds; ///< the same, as conditions
  ir::Action fallback;                     ///< what the rest gets
  /// 0: never runs, 1: under some conditions, 2: always.
  int level() const {
    if (unconditional)
      return runs(*unconditional) ? 2 : 0;
    if (!allowIf.empty())
      return runs(fallback) ? 2 : 1;
    return runs(fallback) ? 2 : 0;
  }
  std::string str() const {
    if (unconditional)
      return unconditional->str();
    if (rules.empty())
      return fallback.str() + " (the default)";
    return llvm::join(rules, "; ") + "; otherwise " + fallback.str();
  }
};

using ArchView = std::map<std::string, SyscallState>;

std::map<kb::Arch, ArchView> viewOf(const ir::Policy &p) {
  std::map<kb::Arch, ArchView> out;
  for (const ir::ArchSyscalls &as : p.folded) {
    ArchView &v = out[as.arch];
    for (const auto &[action, calls] : as.byAction)
      for (const auto &[nr, name] : calls) {
        SyscallState &s = v[name];
        s.unconditional = action;
        s.fallback = p.defaultAction;
      }
    for (const auto &c : as.conditional) {
      SyscallState &s = v[c.name];
      s.fallback = p.defaultAction;
      std::string cond = ir::formatCondition(c.cond);
      s.rules.insert(c.action.str() + " if " + cond);
      if (runs(c.action)) {
        s.allowIf.insert(cond);
        s.allowConds.push_back(c.cond);
      }
    }
  }
  return out;
}

class Differ {
public:
  json::Array granted, revoked, changed;

  void add(json::Array &list, const std::string &policy, llvm::StringRef layer,
           const std::string &what, const std::string &detail) {
    list.push_back(json::Object{{"policy", policy},
                                {"layer", layer},
                                {"what", what},
                                {"detail", detail}});
  }

  void policy(const ir::Policy &a, const ir::Policy &b) {
    const std::string &n = b.name;
    if (a.defaultAction != b.defaultAction)
      add(runs(b.defaultAction) && !runs(a.defaultAction) ? granted
          : runs(a.defaultAction) && !runs(b.defaultAction) ? revoked
                                                           : changed,
          n, "seccomp", "default action",
          a.defaultAction.str() + " -> " + b.defaultAction.str());
    if (a.badArchAction != b.badArchAction)
      add(changed, n, "seccomp", "action for other arches",
          a.badArchAction.str() + " -> " + b.badArchAction.str());
    for (kb::Arch arch : b.arches)
      if (!llvm::is_contained(a.arches, arch))
        add(granted, n, "seccomp", "arch " + kb::getArchInfo(arch).name.str(),
            "newly listed: its syscalls are filtered instead of getting " +
                a.badArchAction.str());
    for (kb::Arch arch : a.arches)
      if (!llvm::is_contained(b.arches, arch))
        add(revoked, n, "seccomp", "arch " + kb::getArchInfo(arch).name.str(),
            "no longer listed: " + b.badArchAction.str());
    syscalls(a, b);
    profileRules(a, b);
    // Child profiles (AppArmor's `PARENT//CHILD`), matched by name; their
    // grants' syscalls are in the policy's filter, compared above.
    auto named = [&](const ir::Policy &c) {
      ir::Policy copy = c;
      copy.name = n + "//" + c.name;
      return copy;
    };
    for (const ir::Policy &cb : b.children) {
      auto it = llvm::find_if(a.children, [&](const ir::Policy &ca) {
        return ca.name == cb.name;
      });
      ir::Policy nb = named(cb);
      if (it == a.children.end()) {
        add(granted, nb.name, "apparmor",
            cb.hat ? "new hat" : "new child profile", "everything it grants");
        continue;
      }
      if (it->hat != cb.hat)
        add(changed, nb.name, "apparmor",
            cb.hat ? "child profile became a hat" : "hat became a child profile",
            cb.hat ? "entered with change_hat(2) instead of 'as child " +
                         cb.name + "'"
                   : "entered by 'as child " + cb.name +
                         "' instead of change_hat(2)");
      ir::Policy na = named(*it);
      profileRules(na, nb);
    }
    for (const ir::Policy &ca : a.children)
      if (llvm::none_of(b.children, [&](const ir::Policy &cb) {
            return ca.name == cb.name;
          }))
        add(revoked, n + "//" + ca.name, "apparmor",
            ca.hat ? "hat removed" : "child profile removed",
            ca.hat ? "a change_hat(2) to '" + ca.name + "' fails"
                   : "a program executed 'as child " + ca.name +
                         "' can no longer run");
  }

private:
  /// The AppArmor rules of one profile: the policy's, or a child's.
  void profileRules(const ir::Policy &a, const ir::Policy &b) {
    files(a, b);
    network(a, b);
    capabilities(a, b);
    otherRules(a, b);
    abstractions(a, b);
  }

  void syscalls(const ir::Policy &a, const ir::Policy &b) {
    std::map<kb::Arch, ArchView> va = viewOf(a), vb = viewOf(b);
    for (kb::Arch arch : b.arches) {
      if (!llvm::is_contained(a.arches, arch))
        continue;
      ArchView &x = va[arch], &y = vb[arch];
      std::set<std::string> names;
      for (auto &[k, v] : x)
        names.insert(k);
      for (auto &[k, v] : y)
        names.insert(k);
      std::string archName = kb::getArchInfo(arch).name.str();
      for (const std::string &name : names) {
        SyscallState s0 = x.count(name) ? x[name] : SyscallState{};
        SyscallState s1 = y.count(name) ? y[name] : SyscallState{};
        if (!x.count(name))
          s0.fallback = a.defaultAction;
        if (!y.count(name))
          s1.fallback = b.defaultAction;
        if (s0.str() == s1.str())
          continue;
        std::string detail = s0.str() + " -> " + s1.str();
        std::string what = "syscall " + name + " on " + archName;
        bool sometimes = s1.level() == 1 && s0.level() == 1;
        if (s1.level() > s0.level() ||
            (sometimes && !allowedWithin(s1.allowConds, s0.allowConds)))
          add(granted, b.name, "seccomp", what, detail);
        else if (s1.level() < s0.level() ||
                 (sometimes && !allowedWithin(s0.allowConds, s1.allowConds)))
          add(revoked, b.name, "seccomp", what, detail);
        else
          add(changed, b.name, "seccomp", what, detail);
      }
    }
  }

  /// Whether every call \p inner allows, \p outer allows too: each of
  /// inner's conditions holds only where one of outer's holds, because it
  /// makes every comparison that one makes (`domain == AF_NETLINK &&
  /// protocol == NETLINK_ROUTE` within `domain == AF_NETLINK`). Sufficient,
  /// not necessary: a reordering that it cannot prove equal counts as a
  /// grant, never the other way round.
  static bool allowedWithin(const std::vector<ir::ArgCondition> &inner,
                            const std::vector<ir::ArgCondition> &outer) {
    return llvm::all_of(inner, [&](const ir::ArgCondition &i) {
      return llvm::any_of(outer, [&](const ir::ArgCondition &o) {
        return llvm::all_of(o, [&](const ir::ArgCmp &c) {
          return llvm::is_contained(i, c);
        });
      });
    });
  }

  /// The permissions of \p r that \p rules (of the same polarity) cover: a
  /// rule covers when its glob covers r's path, it is no narrower (an
  /// `owner` rule does not cover one for every owner) and, for an exec
  /// grant, it runs the program the same way (ix does not cover Ux).
  static unsigned coveredPerms(const std::vector<ir::FileRule> &rules,
                               const ir::FileRule &r) {
    unsigned perms = 0;
    for (const ir::FileRule &o : rules) {
      if (o.deny != r.deny || !ir::globCovers(o.path, r.path) ||
          (o.owner && !r.owner))
        continue;
      unsigned p = o.perms;
      if (!r.deny && (p & ir::PermExec) &&
          (o.execMode != r.execMode || o.execScrub != r.execScrub ||
           o.execTarget != r.execTarget))
        p &= ~unsigned(ir::PermExec);
      perms |= p;
    }
    return perms;
  }

  /// `PERMS PATH` for the permissions \p perms of \p r, with its exec mode
  /// and `owner`.
  static std::string describe(const ir::FileRule &r, unsigned perms) {
    ir::FileRule part = r;
    part.perms = perms;
    return (r.owner ? "owner " : "") + ir::formatFilePerms(part) + " " + r.path;
  }

  /// An exec grant of the same path in \p rules with another exec mode.
  static const ir::FileRule *otherExecMode(const std::vector<ir::FileRule> &rules,
                                           const ir::FileRule &r) {
    if (r.deny || !(r.perms & ir::PermExec))
      return nullptr;
    for (const ir::FileRule &o : rules)
      if (!o.deny && (o.perms & ir::PermExec) && o.path == r.path &&
          o.owner == r.owner &&
          (o.execMode != r.execMode || o.execScrub != r.execScrub ||
           o.execTarget != r.execTarget))
        return &o;
    return nullptr;
  }

  /// How much an exec mode lets the program escape: leaving confinement
  /// most, then keeping the caller's environment.
  static int escapeRank(const ir::FileRule &r) {
    int rank = r.execMode == ir::ExecMode::Unconfined ? 2 : 0;
    bool scrubs = r.execMode != ir::ExecMode::Inherit;
    return rank + (scrubs && !r.execScrub ? 1 : 0);
  }

  void files(const ir::Policy &a, const ir::Policy &b) {
    // A program that keeps its exec permission but runs another way: one
    // entry, granted when the new way escapes more (ix -> Ux, Px -> px).
    for (const ir::FileRule &r : b.files)
      if (const ir::FileRule *o = otherExecMode(a.files, r)) {
        ir::FileRule before = *o, after = r;
        before.perms = after.perms = ir::PermExec;
        std::string detail = (r.owner ? "owner " : "") +
                             ir::formatFilePerms(before) + " -> " +
                             ir::formatFilePerms(after) + " " + r.path;
        int d = escapeRank(r) - escapeRank(*o);
        add(d > 0 ? granted : d < 0 ? revoked : changed, b.name, "apparmor",
            "exec mode", detail);
      }
    for (const ir::FileRule &r : b.files) {
      unsigned extra = r.perms & ~coveredPerms(a.files, r);
      if (otherExecMode(a.files, r))
        extra &= ~unsigned(ir::PermExec);
      if (!extra)
        continue;
      std::vector<std::string> widened;
      for (const ir::FileRule &o : a.files)
        if (o.deny == r.deny && (o.perms & extra) && o.path != r.path &&
            ir::globCovers(r.path, o.path))
          widened.push_back(o.path);
      std::string detail = describe(r, extra);
      if (!widened.empty())
        detail += " (widens " + llvm::join(widened, ", ") + ")";
      if (r.deny)
        add(revoked, b.name, "apparmor", "file denial", detail);
      else
        add(granted, b.name, "apparmor", "file", detail);
    }
    for (const ir::FileRule &r : a.files) {
      unsigned lost = r.perms & ~coveredPerms(b.files, r);
      if (otherExecMode(b.files, r))
        lost &= ~unsigned(ir::PermExec);
      if (!lost)
        continue;
      std::vector<std::string> narrowed;
      for (const ir::FileRule &o : b.files)
        if (o.deny == r.deny && (o.perms & lost) &&
            o.path != r.path && ir::globCovers(r.path, o.path))
          narrowed.push_back(o.path);
      std::string detail = describe(r, lost);
      if (!narrowed.empty())
        detail += " (narrowed to " + llvm::join(narrowed, ", ") + ")";
      if (r.deny)
        add(granted, b.name, "apparmor", "file denial removed", detail);
      else
        add(revoked, b.name, "apparmor", "file", detail);
    }
  }

  void network(const ir::Policy &a, const ir::Policy &b) {
    auto key = [](const ir::NetworkRule &r) {
      return (r.family.empty() ? "any" : r.family) + " " +
             (r.type.empty() ? "any" : r.type);
    };
    auto has = [&](const ir::Policy &p, const ir::NetworkRule &r) {
      return llvm::any_of(p.network, [&](const ir::NetworkRule &o) {
        return o.deny == r.deny && o.covers(r);
      });
    };
    for (const ir::NetworkRule &r : b.network)
      if (!has(a, r))
        add(r.deny ? revoked : granted, b.name, "apparmor",
            r.deny ? "network denial" : "network", key(r));
    for (const ir::NetworkRule &r : a.network)
      if (!has(b, r))
        add(r.deny ? granted : revoked, b.name, "apparmor",
            r.deny ? "network denial removed" : "network", key(r));
  }

  void capabilities(const ir::Policy &a, const ir::Policy &b) {
    auto has = [](const ir::Policy &p, const ir::CapabilityRule &r) {
      return llvm::any_of(p.capabilities, [&](const ir::CapabilityRule &o) {
        return o.deny == r.deny && o.name == r.name;
      });
    };
    for (const ir::CapabilityRule &r : b.capabilities)
      if (!has(a, r))
        add(r.deny ? revoked : granted, b.name, "apparmor",
            r.deny ? "capability denial" : "capability", r.name);
    for (const ir::CapabilityRule &r : a.capabilities)
      if (!has(b, r))
        add(r.deny ? granted : revoked, b.name, "apparmor",
            r.deny ? "capability denial removed" : "capability", r.name);
  }

  /// `set rlimit RESOURCE <= VALUE` (`limit`): a restriction, so a new
  /// limit revokes and a removed one grants; a changed value grants when it
  /// allows more (rlimitAllowance).
  static std::map<std::string, std::string> limitsOf(const ir::Policy &p) {
    std::map<std::string, std::string> out;
    for (const ir::OtherRule &r : p.otherRules) {
      llvm::StringRef t(r.text);
      if (!r.deny && t.consume_front("set rlimit ")) {
        auto [res, value] = t.split(" <= ");
        out[res.str()] = value.str();
      }
    }
    return out;
  }

  void limits(const ir::Policy &a, const ir::Policy &b) {
    std::map<std::string, std::string> la = limitsOf(a), lb = limitsOf(b);
    for (const auto &[res, value] : lb)
      if (!la.count(res))
        add(revoked, b.name, "apparmor", "limit " + res, "new: " + value);
    for (const auto &[res, value] : la) {
      auto it = lb.find(res);
      if (it == lb.end()) {
        add(granted, b.name, "apparmor", "limit " + res,
            "removed (was " + value + ")");
        continue;
      }
      if (it->second == value)
        continue;
      std::optional<kb::RlimitKind> kind = kb::lookupRlimit(res);
      double before = kind ? kb::rlimitAllowance(*kind, value) : 0;
      double after = kind ? kb::rlimitAllowance(*kind, it->second) : 0;
      add(after > before ? granted : after < before ? revoked : changed,
          b.name, "apparmor", "limit " + res, value + " -> " + it->second);
    }
  }

  /// signal, ptrace, change_profile, mount, umount, pivot_root: by their
  /// text (and a change_profile rule's exec condition); limits by resource
  /// (above).
  void otherRules(const ir::Policy &a, const ir::Policy &b) {
    limits(a, b);
    auto has = [](const ir::Policy &p, const ir::OtherRule &r) {
      return llvm::StringRef(r.text).startswith("set rlimit ") ||
             llvm::any_of(p.otherRules, [&](const ir::OtherRule &o) {
               // A change_profile rule with an exec condition lies within
               // one whose condition covers it (none: every program).
               return o.deny == r.deny && o.text == r.text &&
                      (o.execPath.empty() ||
                       ir::globCovers(o.execPath, r.execPath));
             });
    };
    auto what = [](const ir::OtherRule &r) {
      return r.execPath.empty() ? r.text
                                : r.text + " (on exec " + r.execPath + ")";
    };
    for (const ir::OtherRule &r : b.otherRules)
      if (!has(a, r))
        add(r.deny ? revoked : granted, b.name, "apparmor",
            r.deny ? "rule denial" : "rule", what(r));
    for (const ir::OtherRule &r : a.otherRules)
      if (!has(b, r))
        add(r.deny ? granted : revoked, b.name, "apparmor",
            r.deny ? "rule denial removed" : "rule", what(r));
  }

  /// `include <abstractions/NAME>`: grants, by name.
  void abstractions(const ir::Policy &a, const ir::Policy &b) {
    auto has = [](const ir::Policy &p, const ir::AbstractionRule &r) {
      return llvm::any_of(p.abstractions, [&](const ir::AbstractionRule &o) {
        return o.name == r.name;
      });
    };
    for (const ir::AbstractionRule &r : b.abstractions)
      if (!has(a, r))
        add(granted, b.name, "apparmor", "abstraction", r.name);
    for (const ir::AbstractionRule &r : a.abstractions)
      if (!has(b, r))
        add(revoked, b.name, "apparmor", "abstraction", r.name);
  }
};

} // namespace

json::Value review::diff(const ir::Module &before, const ir::Module &after) {
  Differ d;
  for (const ir::Policy &b : after.policies) {
    auto it = llvm::find_if(before.policies,
                            [&](const ir::Policy &a) { return a.name == b.name; });
    if (it == before.policies.end())
      d.add(d.granted, b.name, "policy", "new policy", "everything it grants");
    else
      d.policy(*it, b);
  }
  for (const ir::Policy &a : before.policies)
    if (llvm::none_of(after.policies,
                      [&](const ir::Policy &b) { return a.name == b.name; }))
      d.add(d.changed, a.name, "policy", "policy removed",
            "its outputs are no longer produced");
  return json::Object{{"granted", std::move(d.granted)},
                      {"revoked", std::move(d.revoked)},
                      {"changed", std::move(d.changed)}};
}

bool review::grantsMore(const json::Value &report) {
  const json::Array *g = report.getAsObject()->getArray("granted");
  return g && !g->empty();
}

void review::renderDiffMarkdown(const json::Value &report, llvm::raw_ostream &os) {
  const json::Object &root = *report.getAsObject();
  for (llvm::StringRef section : {"granted", "revoked", "changed"}) {
    const json::Array *list = root.getArray(section);
    os << "## " << char(llvm::toUpper(section[0])) << section.drop_front() << " ("
       << (list ? list->size() : 0) << ")\n\n";
    if (list)
      for (const json::Value &v : *list) {
        const json::Object &e = *v.getAsObject();
        os << "- `" << e.getString("policy").getValueOr("") << "` "
           << e.getString("layer").getValueOr("") << ": "
           << e.getString("what").getValueOr("") << ": "
           << e.getString("detail").getValueOr("") << "\n";
      }
    os << "\n";
  }
}
