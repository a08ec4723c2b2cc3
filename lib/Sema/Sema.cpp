//===- Sema.cpp -----------------------------------------------------------===//
#include "polc/Sema/Sema.h"

#include <map>

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include <set>

using namespace polc;
using namespace polc::ast;
using namespace polc::sema;
using kb::Arch;

namespace {

/// An action that withholds the call: a `syscall` statement with it covers
/// the syscall's family (IRGen). ENOSYS does not: it points at a sibling;
/// nor do trace and notify, which hand the very calls named to a tracer or
/// supervisor.
bool deniesFamily(const Action &a) {
  return a.kind != ActionKind::Allow && a.kind != ActionKind::Log &&
         a.kind != ActionKind::Trace && a.kind != ActionKind::Notify &&
         !(a.kind == ActionKind::Deny && a.resolvedErrno == ENOSYS);
}

std::vector<llvm::StringRef> toRefs(const std::vector<std::string> &v) {
  return std::vector<llvm::StringRef>(v.begin(), v.end());
}

class Checker {
public:
  explicit Checker(DiagnosticEngine &diags) : diags(diags) {}

  std::optional<std::vector<CheckedPolicy>> run(Module &user, Module &builtin) {
    for (const LetDecl &d : user.variables)
      declareVariable(d);
    for (Block &g : builtin.groups)
      declareGroup(g);
    for (Block &g : user.groups)
      declareGroup(g);
    llvm::StringMap<const Block *> policies;
    for (Block &p : user.policies) {
      policyNames.insert(p.name.text);
      auto [it, inserted] = policies.try_emplace(p.name.text, &p);
      if (!inserted) {
        diags.reportRange(DiagID::err_redefinition_policy, p.name.range,
                          p.name.text);
        diags.report(DiagID::note_previous_definition,
                     it->second->name.range.Start);
      }
    }
    // Statements of every group are checked once, even if unused.
    for (Block *g : groupOrder)
      for (auto &s : g->stmts)
        checkStmt(*s, /*inGroup=*/true, {});
    std::vector<CheckedPolicy> out;
    for (Block &p : user.policies)
      out.push_back(checkPolicy(p));
    if (diags.hasErrors())
      return std::nullopt;
    return out;
  }

private:
  void declareGroup(Block &g) {
    auto [it, inserted] = groups.try_emplace(g.name.text, &g);
    if (!inserted) {
      diags.reportRange(DiagID::err_redefinition_group, g.name.range,
                        g.name.text);
      diags.report(DiagID::note_previous_definition,
                   it->second->name.range.Start);
      return;
    }
    groupOrder.push_back(&g);
  }

  CheckedPolicy checkPolicy(Block &p) {
    CheckedPolicy cp;
    llvm::StringMap<const UseStmt *> used;
    cp.decl = &p;
    const ArchStmt *archStmt = nullptr;
    DefaultStmt *defaultStmt = nullptr;
    DefaultArchStmt *defaultArchStmt = nullptr;
    const BaselineStmt *baselineStmt = nullptr;
    const AttachStmt *attachStmt = nullptr;
    const AppArmorFlagsStmt *flagsStmt = nullptr;
    auto once = [&](const Stmt *&seen, const Stmt &s, llvm::StringRef kw) {
      if (seen) {
        diags.reportRange(DiagID::err_duplicate_stmt, s.getRange(), kw,
                          p.name.text);
        diags.report(DiagID::note_previous_definition, seen->getLoc());
        return false;
      }
      seen = &s;
      return true;
    };
    for (auto &sp : p.stmts) {
      Stmt &s = *sp;
      if (auto *a = llvm::dyn_cast<ArchStmt>(&s)) {
        const Stmt *seen = archStmt;
        if (once(seen, s, "arch"))
          archStmt = a;
      } else if (auto *d = llvm::dyn_cast<DefaultStmt>(&s)) {
        const Stmt *seen = defaultStmt;
        if (once(seen, s, "default"))
          defaultStmt = d;
      } else if (auto *at = llvm::dyn_cast<AttachStmt>(&s)) {
        const Stmt *seen = attachStmt;
        if (once(seen, s, "attach"))
          attachStmt = at;
      } else if (auto *da = llvm::dyn_cast<DefaultArchStmt>(&s)) {
        const Stmt *seen = defaultArchStmt;
        if (once(seen, s, "default arch"))
          defaultArchStmt = da;
      } else if (auto *b = llvm::dyn_cast<BaselineStmt>(&s)) {
        const Stmt *seen = baselineStmt;
        if (once(seen, s, "baseline"))
          baselineStmt = b;
      } else if (auto *f = llvm::dyn_cast<AppArmorFlagsStmt>(&s)) {
        const Stmt *seen = flagsStmt;
        if (once(seen, s, "apparmor flags"))
          flagsStmt = f;
      } else if (auto *l = llvm::dyn_cast<LimitStmt>(&s)) {
        const Stmt *seen = nullptr;
        for (const LimitStmt *o : cp.limits)
          if (o->resource.text == l->resource.text)
            seen = o;
        if (once(seen, s, "limit " + l->resource.text) && checkLimit(*l))
          cp.limits.push_back(l);
      }
    }
    if (flagsStmt)
      checkAppArmorFlags(*flagsStmt, cp);
    if (attachStmt) {
      // A path as a file statement's: variables expanded, the glob checked.
      const Word &w = attachStmt->path;
      std::vector<std::string> paths;
      if ((w.kind != Word::Kind::Path && w.kind != Word::Kind::String) ||
          !(llvm::StringRef(w.text).startswith("/") ||
            llvm::StringRef(w.text).startswith("@{")))
        diags.reportRange(DiagID::err_attach_not_path, w.range);
      else if (!checkPath(w, "attach", &paths))
        ; // reported
      else if (paths.size() != 1)
        diags.reportRange(DiagID::err_attach_several_paths, w.range, w.text,
                          std::to_string(paths.size()) + " paths",
                          llvm::join(paths, ", "));
      else {
        Word expanded = w;
        expanded.text = paths.front();
        cp.attach = expanded;
      }
    }
    // Target arches first: syscall names are checked against them.
    if (archStmt) {
      for (const Name &n : archStmt->arches) {
        std::optional<Arch> a = kb::lookupArch(n.text);
        if (!a) {
          auto spellings = kb::getArchSpellings();
          diags.reportRange(DiagID::err_unknown_arch, n.range, n.text,
                            didYouMean(n.text, spellings));
          continue;
        }
        if (llvm::is_contained(cp.arches, *a)) {
          diags.reportRange(DiagID::warn_duplicate_arch, n.range, n.text);
          continue;
        }
        cp.arches.push_back(*a);
      }
    } else {
      cp.arches.push_back(kb::getNativeArch());
    }
    if (defaultStmt) {
      checkAction(defaultStmt->action);
      if (defaultStmt->action.kind == ActionKind::Notify)
        diags.reportRange(DiagID::err_notify_default,
                          defaultStmt->action.range);
      cp.defaultAction = defaultStmt->action;
    } else {
      diags.reportRange(DiagID::err_policy_without_default, p.name.range,
                        p.name.text);
      diags.report(DiagID::note_default_hint, p.name.range.Start);
    }
    if (defaultArchStmt)
      checkDefaultArch(*defaultArchStmt, cp);
    if (baselineStmt)
      checkBaseline(*baselineStmt, cp);
    baseline = cp.baseline ? &*cp.baseline : nullptr;
    for (auto &sp : p.stmts) {
      Stmt &s = *sp;
      if (llvm::isa<DefaultStmt>(s) || llvm::isa<ArchStmt>(s) ||
          llvm::isa<AttachStmt>(s) || llvm::isa<DefaultArchStmt>(s) ||
          llvm::isa<BaselineStmt>(s) || llvm::isa<AppArmorFlagsStmt>(s) ||
          llvm::isa<LimitStmt>(s))
        continue;
      if (auto *u = llvm::dyn_cast<UseStmt>(&s)) {
        auto [it, inserted] = used.try_emplace(u->group.text, u);
        if (!inserted) {
          diags.reportRange(DiagID::warn_duplicate_use, u->group.range,
                            u->group.text, p.name.text);
          diags.report(DiagID::note_previous_definition, it->second->getLoc());
          continue;
        }
        llvm::SmallVector<const Block *, 4> stack;
        expandUse(*u, *u, cp, stack);
        continue;
      }
      if (auto *on = llvm::dyn_cast<OnStmt>(&s)) {
        checkOn(*on, p, cp);
        continue;
      }
      if (auto *c = llvm::dyn_cast<ChildStmt>(&s)) {
        checkChild(*c, cp);
        continue;
      }
      checkStmt(s, /*inGroup=*/false, cp.arches);
      cp.stmts.push_back(FlatStmt{&s, nullptr});
    }
    warnFamilySiblingsGranted(cp);
    baseline = nullptr;
    for (FlatStmt &fs : cp.stmts)
      lowerConditions(fs, fs.onlyArches.empty()
                              ? llvm::ArrayRef<Arch>(cp.arches)
                              : llvm::ArrayRef<Arch>(fs.onlyArches));
    for (CheckedChild &ch : cp.children)
      for (FlatStmt &fs : ch.stmts)
        lowerConditions(fs, cp.arches);
    checkChildExecs(cp.stmts, cp, nullptr);
    for (const CheckedChild &ch : cp.children)
      checkChildExecs(ch.stmts, cp, ch.decl);
    warnUnusedChildren(cp);
    return cp;
  }

  /// `limit RESOURCE VALUE` (Rlimits.def): a resource AppArmor knows and a
  /// value apparmor_parser takes for it.
  bool checkLimit(const LimitStmt &l) {
    std::optional<kb::RlimitKind> kind = kb::lookupRlimit(l.resource.text);
    if (!kind) {
      diags.reportRange(DiagID::err_unknown_rlimit, l.resource.range,
                        l.resource.text,
                        didYouMean(l.resource.text, kb::getRlimitNames()));
      return false;
    }
    std::string want;
    bool ok = kb::isRlimitValue(*kind, l.value, want);
    if (!ok)
      diags.reportRange(DiagID::err_rlimit_value, l.valueRange, l.value,
                        l.resource.text, want);
    return ok;
  }

  /// `apparmor flags NAME, ...`: the flags apparmor_parser 3.0.8 knows
  /// (checked against it: 'debug', 'prompt', 'default_allow' are refused),
  /// at most one of each exclusive set; a mode that enforces nothing
  /// (complain, unconfined) is a warning (pitfalls A15).
  void checkAppArmorFlags(const AppArmorFlagsStmt &f, CheckedPolicy &cp) {
    if (f.what.text != "flags") {
      llvm::StringRef cands[] = {"flags"};
      diags.reportRange(DiagID::err_apparmor_stmt_unknown, f.what.range,
                        f.what.text, didYouMean(f.what.text, cands));
      return;
    }
    static const llvm::StringRef known[] = {
        "enforce",          "complain",          "kill",
        "unconfined",       "audit",             "mediate_deleted",
        "delegate_deleted", "attach_disconnected", "no_attach_disconnected",
        "chroot_relative",  "namespace_relative", "chroot_attach",
        "chroot_no_attach"};
    // apparmor_parser refuses two flags of one set.
    static const std::vector<llvm::StringRef> exclusive[] = {
        {"enforce", "complain", "kill", "unconfined"},
        {"mediate_deleted", "delegate_deleted"},
        {"attach_disconnected", "no_attach_disconnected"},
        {"chroot_relative", "namespace_relative"},
        {"chroot_attach", "chroot_no_attach"}};
    std::vector<const Name *> seen;
    for (const Name &n : f.flags) {
      if (!llvm::is_contained(known, n.text)) {
        diags.reportRange(DiagID::err_unknown_apparmor_flag, n.range, n.text,
                          didYouMean(n.text, known));
        continue;
      }
      if (llvm::is_contained(cp.apparmorFlags, n.text)) {
        diags.reportRange(DiagID::warn_duplicate_apparmor_flag, n.range,
                          n.text);
        continue;
      }
      bool conflict = false;
      for (const auto &set : exclusive) {
        if (!llvm::is_contained(set, n.text))
          continue;
        for (const Name *o : seen)
          if (llvm::is_contained(set, o->text)) {
            diags.reportRange(DiagID::err_apparmor_flag_conflict, n.range,
                              n.text, o->text);
            diags.report(DiagID::note_previous_definition, o->range.Start);
            conflict = true;
          }
      }
      if (conflict)
        continue;
      if (n.text == "complain" || n.text == "unconfined")
        diags.reportRange(DiagID::warn_apparmor_not_enforcing, n.range,
                          n.text, cp.decl->name.text);
      seen.push_back(&n);
      cp.apparmorFlags.push_back(n.text);
    }
  }

  /// `child NAME { ... }` and `hat NAME { ... }`: intents and `use` only (a
  /// child profile or hat is AppArmor's; its program runs under the
  /// policy's seccomp filter). Children and hats share one namespace: both
  /// are loaded as POLICY//NAME.
  void checkChild(ChildStmt &c, CheckedPolicy &cp) {
    for (const CheckedChild &other : cp.children)
      if (other.decl->name.text == c.name.text) {
        if (other.decl->hat != c.hat)
          diags.reportRange(DiagID::err_hat_child_same_name, c.name.range,
                            c.name.text, kindName(*other.decl), kindName(c),
                            cp.decl->name.text);
        else
          diags.reportRange(c.hat ? DiagID::err_redefinition_hat
                                  : DiagID::err_redefinition_child,
                            c.name.range, c.name.text, cp.decl->name.text);
        diags.report(DiagID::note_previous_definition,
                     other.decl->name.range.Start);
        return;
      }
    CheckedPolicy tmp;
    tmp.arches = cp.arches;
    llvm::StringMap<const UseStmt *> used;
    for (auto &sp : c.stmts) {
      Stmt &s = *sp;
      if (auto *u = llvm::dyn_cast<UseStmt>(&s)) {
        if (!used.try_emplace(u->group.text, u).second)
          continue;
        llvm::SmallVector<const Block *, 4> stack;
        expandUse(*u, *u, tmp, stack);
        continue;
      }
      if (!llvm::isa<IntentStmt>(s)) {
        llvm::StringRef kw = s.getSourceText().take_while(
            [](char ch) { return ch != ' ' && ch != '\t' && ch != '\n'; });
        diags.reportRange(c.hat ? DiagID::err_hat_stmt : DiagID::err_child_stmt,
                          s.getRange(), kw);
        continue;
      }
      checkStmt(s, /*inGroup=*/false, cp.arches);
      tmp.stmts.push_back(FlatStmt{&s, nullptr});
    }
    cp.children.push_back(CheckedChild{&c, std::move(tmp.stmts)});
  }

  static llvm::StringRef kindName(const ChildStmt &c) {
    return c.hat ? "hat" : "child profile";
  }

  /// `as child NAME` needs a `child NAME` block in the same policy, and a
  /// child profile has no children of its own (AppArmor nests one level).
  void checkChildExecs(const std::vector<FlatStmt> &stmts,
                       const CheckedPolicy &cp, const ChildStmt *inChild) {
    for (const FlatStmt &fs : stmts) {
      auto *s = llvm::dyn_cast<IntentStmt>(fs.stmt);
      if (!s)
        continue;
      for (const IntentStmt::Object &obj : s->objects) {
        if (obj.execMode != IntentStmt::Exec::Child)
          continue;
        llvm::SMRange r = fs.via ? fs.via->getRange() : obj.execRange;
        if (inChild) {
          diags.reportRange(inChild->hat ? DiagID::err_exec_child_in_hat
                                         : DiagID::err_exec_child_nested,
                            r, obj.execTarget, inChild->name.text);
          continue;
        }
        auto target = llvm::find_if(cp.children, [&](const CheckedChild &ch) {
          return ch.decl->name.text == obj.execTarget;
        });
        if (target == cp.children.end()) {
          diags.reportRange(DiagID::err_exec_child_undeclared, r,
                            obj.execTarget, cp.decl->name.text);
        } else if (target->decl->hat) {
          // A hat is what a process enters with change_hat(2) and leaves
          // again; a program executed into it is not what the policy means.
          diags.reportRange(DiagID::err_exec_child_is_hat, r, obj.execTarget,
                            cp.decl->name.text);
          diags.report(DiagID::note_hat_declared,
                       target->decl->name.range.Start, obj.execTarget);
        }
      }
    }
  }

  /// A child profile that no `may exec PATH as child NAME` of the policy
  /// enters confines nothing (a hat is entered by change_hat(2) instead).
  void warnUnusedChildren(const CheckedPolicy &cp) {
    for (const CheckedChild &ch : cp.children) {
      if (ch.decl->hat)
        continue;
      bool entered = llvm::any_of(cp.stmts, [&](const FlatStmt &fs) {
        auto *s = llvm::dyn_cast<IntentStmt>(fs.stmt);
        return s && llvm::any_of(s->objects, [&](const IntentStmt::Object &o) {
                 return o.execMode == IntentStmt::Exec::Child &&
                        o.execTarget == ch.decl->name.text;
               });
      });
      if (!entered)
        diags.reportRange(DiagID::warn_child_unused, ch.decl->name.range,
                          ch.decl->name.text, cp.decl->name.text);
    }
  }

  /// A family denial does not reach a sibling the policy itself names in
  /// an unconditional `syscall` statement (IRGen leaves it to that
  /// statement); when that statement grants, the operation stays reachable
  /// through the sibling, which deserves a word.
  void warnFamilySiblingsGranted(const CheckedPolicy &cp) {
    std::map<std::string, const SyscallStmt *> granted;
    for (const FlatStmt &fs : cp.stmts)
      if (auto *s = llvm::dyn_cast<SyscallStmt>(fs.stmt))
        if (!fs.via && !s->condition && !deniesFamily(s->action))
          for (const Name &n : s->names)
            granted.emplace(n.text, s);
    for (const FlatStmt &fs : cp.stmts) {
      auto *s = llvm::dyn_cast<SyscallStmt>(fs.stmt);
      if (!s || fs.via || s->condition || !deniesFamily(s->action))
        continue;
      for (const Name &n : s->names)
        for (llvm::StringRef m : kb::getSyscallFamily(n.text)) {
          auto it = granted.find(m.str());
          if (m == n.text || it == granted.end())
            continue;
          diags.reportRange(DiagID::warn_family_sibling_granted, n.range,
                            n.text, m);
          diags.report(DiagID::note_granted_here, it->second->getLoc(), m);
        }
    }
  }

  /// `default arch ACTION`: a denial only. Anything else would let a process
  /// run its syscalls unfiltered through an ABI the policy does not list
  /// (pitfalls S1, S4).
  void checkDefaultArch(DefaultArchStmt &s, CheckedPolicy &cp) {
    checkAction(s.action);
    ActionKind k = s.action.kind;
    if (k == ActionKind::Allow || k == ActionKind::Log ||
        k == ActionKind::Trace || k == ActionKind::Notify) {
      llvm::StringRef text(s.action.range.Start.getPointer(),
                           s.action.range.End.getPointer() -
                               s.action.range.Start.getPointer());
      diags.reportRange(DiagID::err_bad_arch_action, s.action.range, text);
      return;
    }
    cp.badArchAction = s.action;
    cp.badArchLoc = s.getLoc();
  }

  /// `baseline kernel X.Y`: a mainline release polc has syscall data for.
  void checkBaseline(const BaselineStmt &s, CheckedPolicy &cp) {
    const Word &w = s.version;
    std::optional<kb::KernelVersion> v;
    if (w.kind == Word::Kind::Version)
      v = kb::KernelVersion::parse(w.text);
    if (!v) {
      diags.reportRange(DiagID::err_baseline_not_version, w.range, w.text);
      return;
    }
    kb::KernelVersion oldest = kb::getOldestBaseline();
    if (*v < oldest) {
      diags.reportRange(DiagID::err_baseline_too_old, w.range, w.text,
                        oldest.str());
      return;
    }
    if (v->patch) {
      diags.reportRange(DiagID::err_baseline_patch_level, w.range, w.text,
                        kb::KernelVersion{v->major, v->minor, 0}.str());
      return;
    }
    if (!kb::isMainlineRelease(*v)) {
      diags.reportRange(DiagID::err_baseline_not_release, w.range, w.text,
                        std::to_string(v->major),
                        std::to_string(*kb::getLastMinorRelease(v->major)));
      return;
    }
    cp.baseline = v;
    cp.baselineLoc = s.getLoc();
  }

  /// A grant of a syscall newer than the baseline replaces polc's ENOSYS
  /// for it (IRGen), so the program sees ENOSYS or the call depending on
  /// the kernel: say so (only for statements written in the policy).
  void warnGrantNewerThanBaseline(const SyscallStmt &s,
                                  llvm::ArrayRef<Arch> arches) {
    if (!baseline || (s.action.kind != ActionKind::Allow &&
                      s.action.kind != ActionKind::Log))
      return;
    for (const Name &n : s.names) {
      llvm::SmallVector<Arch, 4> newer;
      for (Arch a : arches)
        // A call a multiplexer also reaches keeps its rule (IRGen).
        if (kb::isNewerThanBaseline(n.text, a, *baseline) &&
            !kb::getMultiplexer(n.text, a))
          newer.push_back(a);
      if (newer.empty())
        continue;
      // The release on the first arch that has it; name the arches when
      // the call is newer on some of them only.
      kb::KernelVersion added = *kb::getSyscallVersion(n.text, newer.front());
      std::string where;
      if (newer.size() != arches.size() ||
          llvm::any_of(newer, [&](Arch a) {
            return !(*kb::getSyscallVersion(n.text, a) == added);
          })) {
        where = " on ";
        for (size_t i = 0; i < newer.size(); ++i)
          where += (i ? ", " : "") + kb::getArchInfo(newer[i]).name.str();
      }
      diags.reportRange(DiagID::warn_grant_newer_than_baseline, n.range,
                        n.text, added.str(), where, baseline->str());
    }
  }

  /// `on ARCH, ... { syscall ... }`: the arches must be targets of the
  /// policy; only syscall statements, which are checked for those arches.
  void checkOn(OnStmt &on, const Block &p, CheckedPolicy &cp) {
    std::vector<Arch> arches;
    for (const Name &n : on.arches) {
      std::optional<Arch> a = kb::lookupArch(n.text);
      if (!a) {
        diags.reportRange(DiagID::err_unknown_arch, n.range, n.text,
                          didYouMean(n.text, kb::getArchSpellings()));
        continue;
      }
      if (!llvm::is_contained(cp.arches, *a)) {
        diags.reportRange(DiagID::err_on_arch_not_target, n.range, n.text,
                          p.name.text);
        continue;
      }
      if (!llvm::is_contained(arches, *a))
        arches.push_back(*a);
    }
    for (auto &inner : on.stmts) {
      if (!llvm::isa<SyscallStmt>(*inner)) {
        diags.reportRange(DiagID::err_on_only_syscall, inner->getRange());
        continue;
      }
      checkStmt(*inner, /*inGroup=*/false, arches);
      FlatStmt fs{inner.get(), nullptr};
      fs.onlyArches = arches;
      cp.stmts.push_back(std::move(fs));
    }
  }

  /// The conditions of \p fs for the policy's arches (problems were
  /// reported when the statement was checked).
  static void lowerConditions(FlatStmt &fs, llvm::ArrayRef<Arch> arches) {
    auto *s = llvm::dyn_cast<SyscallStmt>(fs.stmt);
    if (!s || !s->condition)
      return;
    ConditionReporter silent = [](DiagID, llvm::SMRange,
                                  llvm::ArrayRef<std::string>) {};
    for (const Name &n : s->names)
      for (Arch a : arches)
        if (kb::resolveSyscall(n.text, a) && !kb::getMultiplexer(n.text, a))
          if (std::optional<DNF> d = lowerCondition(*s->condition, n.text, a, silent))
            fs.conditions[{n.text, a}] = std::move(*d);
  }

  /// Appends the statements of the group \p u names, recursively.
  void expandUse(const UseStmt &u, const UseStmt &top, CheckedPolicy &cp,
                 llvm::SmallVectorImpl<const Block *> &stack) {
    auto it = groups.find(u.group.text);
    if (it == groups.end()) {
      std::vector<llvm::StringRef> names;
      for (const Block *g : groupOrder)
        names.push_back(g->name.text);
      diags.reportRange(DiagID::err_unknown_group, u.group.range, u.group.text,
                        didYouMean(u.group.text, names));
      return;
    }
    const Block *g = it->second;
    if (llvm::is_contained(stack, g)) {
      diags.reportRange(DiagID::err_group_cycle, u.group.range, u.group.text);
      return;
    }
    stack.push_back(g);
    for (const auto &s : g->stmts) {
      if (auto *inner = llvm::dyn_cast<UseStmt>(s.get()))
        expandUse(*inner, top, cp, stack);
      else if (llvm::isa<IntentStmt>(*s) || llvm::isa<SyscallStmt>(*s))
        cp.stmts.push_back(FlatStmt{s.get(), &top});
    }
    stack.pop_back();
  }

  void checkStmt(Stmt &s, bool inGroup, llvm::ArrayRef<Arch> arches) {
    switch (s.getKind()) {
    case Stmt::Kind::Attach:
    case Stmt::Kind::Arch:
    case Stmt::Kind::Default:
    case Stmt::Kind::DefaultArch:
    case Stmt::Kind::Baseline:
      if (inGroup) {
        llvm::StringRef kw = s.getSourceText().take_while(
            [](char c) { return c != ' ' && c != '\t' && c != '\n'; });
        diags.reportRange(DiagID::err_stmt_not_in_group, s.getRange(), kw);
      }
      return;
    case Stmt::Kind::Use:
      return; // resolved when a policy expands it
    case Stmt::Kind::AppArmorFlags:
      if (inGroup)
        diags.reportRange(DiagID::err_stmt_not_in_group, s.getRange(),
                          "apparmor");
      return;
    case Stmt::Kind::Limit:
      if (inGroup)
        diags.reportRange(DiagID::err_stmt_not_in_group, s.getRange(),
                          "limit");
      return;
    case Stmt::Kind::Child:
      if (inGroup)
        diags.reportRange(DiagID::err_stmt_not_in_group, s.getRange(),
                          llvm::cast<ChildStmt>(s).keyword());
      return; // in a policy, checkChild
    case Stmt::Kind::On:
      if (inGroup)
        diags.reportRange(DiagID::err_stmt_not_in_group, s.getRange(), "on");
      return; // in a policy, checkOn
    case Stmt::Kind::Intent:
      checkIntent(llvm::cast<IntentStmt>(s));
      warnNetlinkDenialUnenforced(llvm::cast<IntentStmt>(s), arches);
      return;
    case Stmt::Kind::Syscall:
      checkSyscall(llvm::cast<SyscallStmt>(s), inGroup, arches);
      return;
    }
  }

  /// A denial of a netlink protocol is seccomp's alone (AppArmor 3 cannot
  /// select one), and seccomp cannot see socket's arguments where
  /// socketcall(2) also reaches it: nothing enforces it there.
  void warnNetlinkDenialUnenforced(const IntentStmt &s,
                                   llvm::ArrayRef<Arch> arches) {
    if (!s.negated || s.advisory)
      return;
    for (const IntentStmt::Object &obj : s.objects) {
      if (obj.protocol.empty())
        continue;
      std::vector<Arch> hidden;
      for (Arch a : arches)
        if (kb::getMultiplexer("socket", a))
          hidden.push_back(a);
      if (!hidden.empty())
        diags.reportRange(DiagID::warn_netlink_denial_multiplexed, obj.range,
                          obj.protocol, kb::formatArchList(hidden));
    }
  }

  void checkAction(Action &a) {
    if (a.kind == ActionKind::Trace) {
      unsigned long long v = 0;
      if (llvm::StringRef(a.traceValue->text).getAsInteger(0, v) || v > 0xffff)
        diags.reportRange(DiagID::err_trace_out_of_range, a.traceValue->range,
                          a.traceValue->text);
      else
        a.resolvedTrace = static_cast<unsigned>(v);
      return;
    }
    if (a.kind != ActionKind::Deny)
      return;
    if (!a.errnoValue) {
      a.resolvedErrno = EPERM;
      return;
    }
    const Word &w = *a.errnoValue;
    if (w.kind == Word::Kind::Number) {
      unsigned long long v = 0;
      if (llvm::StringRef(w.text).getAsInteger(0, v) || v >= 4095) {
        diags.reportRange(DiagID::err_errno_out_of_range, w.range, w.text);
        return;
      }
      a.resolvedErrno = static_cast<unsigned>(v);
      return;
    }
    if (std::optional<unsigned> e = kb::lookupErrno(w.text)) {
      a.resolvedErrno = *e;
      return;
    }
    auto names = kb::getErrnoNames();
    diags.reportRange(DiagID::err_unknown_errno, w.range, w.text,
                      didYouMean(w.text, names));
  }

  /// A syscall name must exist on some arch libseccomp knows. In a policy,
  /// each target arch that lacks it gets a warning (no rule there) unless
  /// the statement names a sibling that exists there; a group is checked
  /// once, for any policy's arches, so only unknown names count.
  void checkSyscall(SyscallStmt &s, bool inGroup, llvm::ArrayRef<Arch> arches) {
    if (!checkedStmts.insert(&s).second)
      return;
    checkAction(s.action);
    // Both hand the call to another process that must exist and be trusted
    // (pitfalls S22).
    if (s.action.kind == ActionKind::Trace)
      diags.reportRange(DiagID::warn_trace, s.action.range);
    if (s.action.kind == ActionKind::Notify)
      diags.reportRange(DiagID::warn_notify, s.action.range);
    expandSyscallSets(s);
    for (const Name &n : s.names) {
      if (n.fromSet) // members absent on an arch are skipped there
        continue;
      bool known = llvm::any_of(kb::getAllArches(), [&](Arch a) {
        return kb::syscallExists(n.text, a);
      });
      if (!known) {
        auto names = toRefs(kb::getSyscallNames(kb::getAllArches()));
        diags.reportRange(DiagID::err_unknown_syscall, n.range, n.text,
                          didYouMean(n.text, names));
        continue;
      }
      if (inGroup)
        continue;
      for (Arch a : arches) {
        // A call the arch makes only through socketcall/ipc (accept on
        // x86) exists: its rule is the multiplexer's (IRGen).
        if (kb::syscallExists(n.text, a))
          continue;
        // Naming a sibling that exists there (epoll_wait with epoll_pwait
        // on aarch64) is the portable way to write it: no warning then. A
        // denial covers the family anyway (IRGen), except ENOSYS.
        std::vector<llvm::StringRef> family = kb::getSyscallFamily(n.text);
        bool familyDenial = deniesFamily(s.action);
        bool covered = llvm::any_of(s.names, [&](const Name &other) {
          return llvm::is_contained(family, other.text) &&
                 kb::syscallExists(other.text, a);
        }) || (familyDenial && llvm::any_of(family, [&](llvm::StringRef m) {
          return kb::syscallExists(m, a);
        }));
        if (covered)
          continue;
        std::string hint;
        for (llvm::StringRef sibling : family)
          if (kb::syscallExists(sibling, a)) {
            hint = ("; name '" + sibling + "' for it there").str();
            break;
          }
        diags.reportRange(DiagID::warn_syscall_absent_on_arch, n.range,
                          n.text, kb::getArchInfo(a).name, hint);
      }
    }
    if (s.condition)
      checkCondition(s, inGroup ? kb::getAllArches() : arches);
    if (!inGroup)
      warnGrantNewerThanBaseline(s, arches);
  }

  /// Replaces each `@set` among the statement's names by its members
  /// (sorted, each name once in the statement), which keep the set's range.
  void expandSyscallSets(SyscallStmt &s) {
    llvm::SmallVector<Name, 4> names;
    std::set<std::string> seen;
    for (const Name &n : s.names)
      if (!llvm::StringRef(n.text).startswith("@"))
        seen.insert(n.text);
    for (Name &n : s.names) {
      if (!llvm::StringRef(n.text).startswith("@")) {
        names.push_back(std::move(n));
        continue;
      }
      if (!kb::getSyscallSet(n.text)) {
        std::vector<llvm::StringRef> sets;
        for (const kb::SyscallSetInfo &info : kb::getSyscallSets())
          sets.push_back(info.name);
        diags.reportRange(DiagID::err_unknown_syscall_set, n.range, n.text,
                          didYouMean(n.text, sets));
        continue;
      }
      for (llvm::StringRef m : kb::expandSyscallSet(n.text))
        if (seen.insert(m.str()).second)
          names.push_back(Name{m.str(), n.range, /*fromSet=*/true});
    }
    s.names = std::move(names);
  }

  /// Lowers the condition for each name on each arch where it exists, to
  /// report what cannot be expressed (each problem once).
  void checkCondition(const SyscallStmt &s, llvm::ArrayRef<Arch> arches) {
    std::set<std::pair<const char *, std::string>> seen;
    ConditionReporter report = [&](DiagID id, llvm::SMRange r,
                                   llvm::ArrayRef<std::string> args) {
      std::string key = std::to_string(static_cast<unsigned>(id));
      for (const std::string &a : args)
        key += "\x1f" + a;
      if (seen.insert({r.Start.getPointer(), key}).second)
        diags.reportWithArgs(id, r, args);
    };
    for (const Name &n : s.names)
      for (Arch a : arches) {
        if (!kb::syscallExists(n.text, a))
          continue;
        if (std::optional<llvm::StringRef> mux = kb::getMultiplexer(n.text, a)) {
          report(DiagID::err_condition_multiplexed, n.range,
                 {n.text, kb::getArchInfo(a).name.str(), mux->str()});
          continue;
        }
        std::optional<DNF> d = lowerCondition(*s.condition, n.text, a, report);
        if (d && d->empty())
          report(DiagID::warn_condition_never, s.condition->range,
                 {n.text, kb::getArchInfo(a).name.str()});
      }
    // A conditional denial stays exact; siblings left out are a bypass.
    if (!deniesFamily(s.action))
      return;
    for (const Name &n : s.names) {
      std::string missing;
      for (llvm::StringRef m : kb::getSyscallFamily(n.text)) {
        bool named = llvm::any_of(s.names, [&](const Name &x) { return x.text == m; });
        bool exists = llvm::any_of(arches, [&](Arch a) {
          return kb::syscallExists(m, a);
        });
        // clone3 and openat2 get ENOSYS from polc itself (IRGen).
        bool fallsBack = llvm::is_contained(kb::getFallbackSyscalls(), m);
        if (!named && exists && !fallsBack)
          missing += (missing.empty() ? "'" : ", '") + m.str() + "'";
      }
      if (!missing.empty())
        report(DiagID::warn_condition_partial_family, n.range,
               {n.text, missing});
    }
  }

  /// Checks a path word and expands its variables: \p expanded gets one
  /// path per combination of the variables' values (`@{WWW}/**` with
  /// `let @{WWW} = /var/www, /srv/www`: two paths).
  bool checkPath(const Word &w, llvm::StringRef verb,
                 std::vector<std::string> *expanded = nullptr) {
    if (w.kind != Word::Kind::Path && w.kind != Word::Kind::String) {
      diags.reportRange(DiagID::err_expected_path, w.range, verb, w.text);
      return false;
    }
    if (w.text.empty()) {
      diags.reportRange(DiagID::err_empty_path, w.range);
      return false;
    }
    if (w.text[0] != '/' && !llvm::StringRef(w.text).startswith("@{")) {
      diags.reportRange(DiagID::err_expected_path, w.range, verb, w.text);
      return false;
    }
    for (char c : w.text)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
        diags.reportRange(DiagID::err_path_control_char, w.range);
        return false;
      }
    if (!checkGlob(w))
      return false;
    std::optional<std::vector<std::string>> paths = expandVariables(w);
    if (!paths)
      return false;
    for (const std::string &p : *paths) {
      if (p.empty() || p[0] != '/') {
        diags.reportRange(DiagID::err_expected_path, w.range, verb, p);
        return false;
      }
      Word e = w;
      e.text = p;
      lintCanonical(e);
    }
    if (expanded)
      *expanded = std::move(*paths);
    return true;
  }

  /// Where the character at \p at of a word's text is in the source (the
  /// text of a string has its \" decoded: one character for two).
  static llvm::SMLoc locInWord(const Word &w, size_t at) {
    const char *src = w.range.Start.getPointer();
    if (w.kind != Word::Kind::String)
      return llvm::SMLoc::getFromPointer(src + at);
    ++src;
    for (size_t k = 0; k < at; ++k)
      src += src[0] == '\\' && src[1] == '"' ? 2 : 1;
    return llvm::SMLoc::getFromPointer(src);
  }

  /// The paths a word stands for once its `@{NAME}` references are replaced
  /// by their values; std::nullopt after reporting an undefined variable.
  std::optional<std::vector<std::string>> expandVariables(const Word &w) {
    std::vector<std::string> out{""};
    llvm::StringRef t(w.text);
    for (size_t i = 0; i < t.size(); ++i) {
      if (t[i] == '\\' && i + 1 < t.size()) {
        for (std::string &o : out)
          o += t.substr(i, 2);
        ++i;
        continue;
      }
      if (t[i] == '@' && i + 1 < t.size() && t[i + 1] == '{') {
        size_t close = t.find('}', i);
        llvm::StringRef name = t.slice(i + 2, close);
        auto it = variables.find(name);
        if (close == llvm::StringRef::npos || it == variables.end()) {
          llvm::SMLoc at = locInWord(w, i);
          llvm::SMLoc end = close == llvm::StringRef::npos
                                ? w.range.End
                                : locInWord(w, close + 1);
          diags.reportRange(DiagID::err_undefined_variable,
                            llvm::SMRange(at, end), name);
          return std::nullopt;
        }
        // A variable none of whose values was valid: its declaration has
        // its error, and the path has no expansion to check (the fuzz
        // target 'pipeline' found the path then used as if it had one).
        if (it->second.empty())
          return std::nullopt;
        std::vector<std::string> next;
        for (const std::string &o : out)
          for (const std::string &v : it->second)
            next.push_back(o + v);
        out = std::move(next);
        i = close;
        continue;
      }
      for (std::string &o : out)
        o += t[i];
    }
    return out;
  }

  /// `let @{NAME} = PATH, ...`: the name must be `@{IDENTIFIER}`, declared
  /// once; every value an absolute path (which may use variables declared
  /// before it).
  void declareVariable(const LetDecl &d) {
    llvm::StringRef n(d.name.text);
    bool shaped = d.name.kind == Word::Kind::Path && n.startswith("@{") &&
                  n.endswith("}") && n.size() > 3 &&
                  (llvm::isAlpha(n[2]) || n[2] == '_') &&
                  llvm::all_of(n.drop_front(2).drop_back(), [](char c) {
                    return llvm::isAlnum(c) || c == '_';
                  });
    if (!shaped) {
      diags.reportRange(DiagID::err_variable_name, d.name.range, d.name.text);
      return;
    }
    llvm::StringRef name = n.drop_front(2).drop_back();
    auto prev = variableDecls.find(name);
    if (prev != variableDecls.end()) {
      diags.reportRange(DiagID::err_redefinition_variable, d.name.range,
                        name);
      diags.report(DiagID::note_previous_definition,
                   prev->second->name.range.Start);
      return;
    }
    variableDecls[name] = &d;
    std::vector<std::string> values;
    bool ok = true;
    for (const Word &v : d.values) {
      bool isPath = (v.kind == Word::Kind::Path ||
                     v.kind == Word::Kind::String) &&
                    (llvm::StringRef(v.text).startswith("/") ||
                     llvm::StringRef(v.text).startswith("@{"));
      if (!isPath) {
        diags.reportRange(DiagID::err_variable_value, v.range, v.text, name);
        ok = false;
        continue;
      }
      std::vector<std::string> e;
      if (!checkPath(v, "let", &e)) {
        ok = false;
        continue;
      }
      llvm::append_range(values, e);
    }
    // A variable with a bad value is still declared (no error at each use).
    (void)ok;
    variables[name] = std::move(values);
  }

  /// A path's globbing must be well formed, as apparmor_parser requires:
  /// classes and alternations closed, no ']' or '}' without its opener, no
  /// brace inside a class, no empty class. A backslash makes a character
  /// literal (the fix-it).
  bool checkGlob(const Word &w) {
    llvm::StringRef t(w.text);
    size_t base = w.kind == Word::Kind::String ? 1 : 0;
    auto fail = [&](size_t at, llvm::StringRef what, char c) {
      llvm::SMLoc loc = locInWord(w, at);
      diags.reportRange(DiagID::err_path_glob, llvm::SMRange(loc, loc), what,
                        std::string(1, c));
      return false;
    };
    (void)base;
    std::vector<size_t> braces;
    size_t classAt = llvm::StringRef::npos;
    for (size_t i = 0; i < t.size(); ++i) {
      char c = t[i];
      if (c == '\\') {
        ++i;
        continue;
      }
      if (classAt != llvm::StringRef::npos) {
        if (c == ']') {
          if (i == classAt + 1 ||
              (i == classAt + 2 && t[classAt + 1] == '^'))
            return fail(classAt, "an empty class '[]'", '[');
          classAt = llvm::StringRef::npos;
        } else if (c == '{' || c == '}') {
          return fail(i, "a brace inside '[...]'", c);
        }
        continue;
      }
      switch (c) {
      case '[': classAt = i; break;
      case ']': return fail(i, "']' without '['", c);
      case '{': braces.push_back(i); break;
      case '}':
        if (braces.empty())
          return fail(i, "'}' without '{'", c);
        braces.pop_back();
        break;
      default: break;
      }
    }
    if (classAt != llvm::StringRef::npos)
      return fail(classAt, "an unclosed '['", '[');
    if (!braces.empty())
      return fail(braces.back(), "an unclosed '{'", '{');
    return true;
  }

  /// AppArmor matches the path after symlinks are resolved: on a usrmerged
  /// system (Debian 12) '/bin/sh' is '/usr/bin/sh', and a rule on the
  /// symlinked spelling never matches (pitfalls A8).
  void lintCanonical(const Word &w) {
    static const std::pair<llvm::StringRef, llvm::StringRef> links[] = {
        {"/bin/", "/usr/bin/"},     {"/sbin/", "/usr/sbin/"},
        {"/lib/", "/usr/lib/"},     {"/lib32/", "/usr/lib32/"},
        {"/lib64/", "/usr/lib64/"}, {"/libx32/", "/usr/libx32/"},
        {"/var/run/", "/run/"},     {"/var/lock/", "/run/lock/"}};
    llvm::StringRef path(w.text);
    for (const auto &[from, to] : links)
      if (path.startswith(from) || path == from.drop_back()) {
        std::string canonical =
            path == from.drop_back()
                ? to.drop_back().str()
                : (to + path.drop_front(from.size())).str();
        diags.reportRange(DiagID::warn_noncanonical_path, w.range, w.text,
                          canonical, from.drop_back(), to.drop_back());
        return;
      }
  }

  /// The objects of a network intent: `OBJECT [TYPE] [PROTOCOL] [PATH]`,
  /// where TYPE (`stream`, `dgram`, ...) narrows an object of every socket
  /// type (a family: `inet6 dgram`, `unix stream`), PROTOCOL a netlink
  /// object to one protocol (`netlink route`) and PATH names a unix socket.
  void checkNetworkObjects(IntentStmt &s,
                           llvm::ArrayRef<llvm::ArrayRef<Word>> objs,
                           llvm::StringRef firstVerb, llvm::SMLoc end) {
    if (objs.empty()) {
      diags.report(DiagID::err_expected_object, end, firstVerb,
                   "a network object ('tcp', 'udp', 'unix', 'inet', ...)");
      return;
    }
    for (llvm::ArrayRef<Word> o : objs) {
      if (o.empty()) {
        diags.report(DiagID::err_expected_object, end, firstVerb,
                     "a network object");
        continue;
      }
      std::optional<kb::NetObject> no;
      if (o[0].kind == Word::Kind::Ident)
        no = kb::lookupNetObject(o[0].text);
      if (!no) {
        diags.reportRange(DiagID::err_unknown_network_object, o[0].range,
                          o[0].text,
                          didYouMean(o[0].text, kb::getNetObjectSpellings()));
        continue;
      }
      const kb::NetObjectInfo &info = kb::getNetObjectInfo(*no);
      bool takesProtocol = *no == kb::NetObject::Netlink;
      std::string type, protocol;
      if (o.size() > 1 && o[1].kind == Word::Kind::Ident &&
          !(takesProtocol && kb::lookupNetlinkProtocol(o[1].text))) {
        if (!kb::lookupSockType(o[1].text)) {
          if (takesProtocol) {
            std::vector<llvm::StringRef> words(
                kb::getNetlinkProtocolSpellings().begin(),
                kb::getNetlinkProtocolSpellings().end());
            llvm::append_range(words, kb::getSockTypeSpellings());
            diags.reportRange(DiagID::err_unknown_netlink_protocol,
                              o[1].range, o[1].text,
                              didYouMean(o[1].text, words));
          } else {
            diags.reportRange(
                DiagID::err_unknown_socket_type, o[1].range, o[1].text,
                didYouMean(o[1].text, kb::getSockTypeSpellings()));
          }
          continue;
        }
        if (!info.type.empty()) {
          diags.reportRange(DiagID::err_network_object_type, o[1].range,
                            o[0].text, info.type);
          continue;
        }
        type = o[1].text;
        o = o.drop_front();
      }
      // `netlink [TYPE] PROTOCOL`: socket(2)'s `protocol` argument.
      if (takesProtocol && o.size() > 1 && o[1].kind == Word::Kind::Ident) {
        if (!kb::lookupNetlinkProtocol(o[1].text)) {
          diags.reportRange(
              DiagID::err_unknown_netlink_protocol, o[1].range, o[1].text,
              didYouMean(o[1].text, kb::getNetlinkProtocolSpellings()));
          continue;
        }
        protocol = o[1].text;
        o = o.drop_front();
        if (o.size() > 1 && o[1].kind == Word::Kind::Ident &&
            kb::lookupSockType(o[1].text)) {
          diags.reportRange(DiagID::err_netlink_type_order, o[1].range,
                            o[1].text, protocol);
          continue;
        }
      }
      std::vector<std::string> paths{""};
      if (o.size() > 1) {
        if (!info.takesPath) {
          diags.reportRange(DiagID::err_network_object_path, o[1].range);
          continue;
        }
        if (!checkPath(o[1], firstVerb, &paths))
          continue;
        if (o.size() > 2) {
          diags.reportRange(DiagID::err_path_needs_comma, o[2].range,
                            o[1].text, o[2].text);
          continue;
        }
      }
      for (const std::string &path : paths) {
        IntentStmt::Object obj{static_cast<unsigned>(*no), path, o[0].range};
        obj.sockType = type;
        obj.protocol = protocol;
        s.objects.push_back(std::move(obj));
      }
    }
  }

  /// `may use abstraction NAME, ...`: AppArmor abstractions polc knows
  /// (a missing include is a hard error for apparmor_parser, A14); a denial
  /// has no AppArmor form.
  void checkAbstractions(IntentStmt &s, std::vector<llvm::ArrayRef<Word>> objs,
                         llvm::SMLoc end) {
    if (s.negated) {
      diags.reportRange(DiagID::err_abstraction_denied, objs[0][0].range);
      return;
    }
    objs[0] = objs[0].drop_front();
    if (objs[0].empty() && objs.size() == 1) {
      diags.report(DiagID::err_expected_object, end, "use abstraction",
                   "an abstraction name ('base', 'nameservice', ...)");
      return;
    }
    s.useAbstraction = true;
    for (llvm::ArrayRef<Word> o : objs) {
      if (o.empty()) {
        diags.report(DiagID::err_expected_object, end, "use abstraction",
                     "an abstraction name");
        continue;
      }
      if (o.size() > 1) {
        diags.reportRange(DiagID::err_path_needs_comma, o[1].range, o[0].text,
                          o[1].text);
        continue;
      }
      if (o[0].kind != Word::Kind::Ident || !kb::isAbstraction(o[0].text)) {
        diags.reportRange(DiagID::err_unknown_abstraction, o[0].range,
                          o[0].text,
                          didYouMean(o[0].text, kb::getAbstractionNames()));
        continue;
      }
      s.objects.push_back({0, o[0].text, o[0].range});
    }
  }

  /// `PATH as inherit | profile NAME | child NAME | unconfined
  /// [keep environment]` on an exec grant: how the program runs (AppArmor's
  /// ix, Px, Cx, Ux; px, cx, ux with `keep environment`). The scrubbing
  /// forms are the default: a program that changes confinement must not
  /// inherit LD_PRELOAD and friends from a less trusted caller.
  bool checkExecTransition(const IntentStmt &s, llvm::ArrayRef<Word> o,
                           IntentStmt::Object &obj) {
    const Word &as = o[1];
    obj.execRange = llvm::SMRange(as.range.Start, o.back().range.End);
    std::string modeText = o.size() > 2 ? o[2].text : std::string();
    if (!llvm::is_contained(s.verbs, unsigned(kb::Verb::Exec))) {
      diags.reportRange(DiagID::err_exec_transition_no_exec, obj.execRange,
                        modeText);
      return false;
    }
    if (s.negated) {
      diags.reportRange(DiagID::err_exec_transition_denial, obj.execRange);
      return false;
    }
    static const llvm::StringRef modes[] = {"inherit", "profile", "child",
                                            "unconfined"};
    if (o.size() < 3 || o[2].kind != Word::Kind::Ident ||
        !llvm::is_contained(modes, o[2].text)) {
      llvm::SMRange r = o.size() > 2 ? o[2].range : as.range;
      diags.reportRange(DiagID::err_exec_transition_unknown, r, modeText,
                        modeText.empty() ? std::string()
                                         : didYouMean(modeText, modes));
      return false;
    }
    size_t next = 3;
    if (modeText == "inherit") {
      obj.execMode = (IntentStmt::Exec::Inherit);
    } else if (modeText == "unconfined") {
      obj.execMode = (IntentStmt::Exec::Unconfined);
    } else {
      obj.execMode = modeText == "profile" ? IntentStmt::Exec::Profile
                                         : IntentStmt::Exec::Child;
      // An identifier is a valid AppArmor profile name as it stands.
      if (o.size() < 4 || o[3].kind != Word::Kind::Ident ||
          o[3].text == "keep") {
        diags.reportRange(DiagID::err_exec_transition_name,
                          o.size() > 3 ? o[3].range : o[2].range, modeText);
        return false;
      }
      obj.execTarget = o[3].text;
      next = 4;
    }
    if (o.size() > next) {
      bool keep = modeText != "inherit" && o.size() == next + 2 &&
                  o[next].text == "keep" && o[next + 1].text == "environment";
      if (!keep) {
        diags.reportRange(DiagID::err_exec_transition_trailing,
                          o[next].range, o[next].text);
        return false;
      }
      obj.execScrub = false;
    }
    if (obj.execMode == (IntentStmt::Exec::Unconfined))
      diags.reportRange(DiagID::warn_exec_unconfined, obj.execRange,
                        obj.text);
    if (!obj.execScrub)
      diags.reportRange(DiagID::warn_exec_keep_environment, obj.execRange,
                        obj.text);
    if (obj.execMode == (IntentStmt::Exec::Profile) &&
        !policyNames.count(obj.execTarget))
      diags.reportRange(DiagID::warn_exec_profile_not_in_input, o[3].range,
                        obj.execTarget, obj.text);
    return true;
  }

  /// What may follow `may`, for did-you-mean: the verbs and the first word
  /// of each operation.
  static std::vector<llvm::StringRef> verbAndOperationSpellings() {
    std::vector<llvm::StringRef> out(kb::getVerbSpellings().begin(),
                                     kb::getVerbSpellings().end());
    for (llvm::StringRef sp : kb::getOperationSpellings())
      if (!llvm::is_contained(out, sp.split(' ').first))
        out.push_back(sp.split(' ').first);
    for (llvm::StringRef sp : kb::getPeerVerbSpellings())
      if (!llvm::is_contained(out, sp.split(' ').first))
        out.push_back(sp.split(' ').first);
    return out;
  }

  /// The words of \p g joined by single spaces, if all are identifiers.
  static std::optional<std::string> joinIdents(llvm::ArrayRef<Word> g) {
    std::string out;
    for (const Word &w : g) {
      if (w.kind != Word::Kind::Ident)
        return std::nullopt;
      out += (out.empty() ? "" : " ") + w.text;
    }
    return out;
  }

  /// How many leading words of \p words spell an entry of a table
  /// (\p lookup: by words joined with single spaces), the longest; 0: none.
  template <typename Lookup>
  static size_t longestSpelling(llvm::ArrayRef<Word> words, Lookup lookup) {
    size_t matched = 0;
    for (size_t n = 1; n <= words.size(); ++n)
      if (std::optional<std::string> sp = joinIdents(words.take_front(n)))
        if (lookup(*sp))
          matched = n;
    return matched;
  }

  /// `may [not] OPERATION, ...` (Operations.def): intents without objects,
  /// recognised by their whole spelling at the start of the statement (the
  /// longest that matches: `use io_uring` before the verb `use`, `create
  /// namespaces` before the file verb `create`). False when the statement
  /// does not start with one; then it is a verb statement.
  bool checkOperations(IntentStmt &s) {
    llvm::ArrayRef<Word> first = s.groups.front();
    size_t matched = longestSpelling(first, kb::lookupOperation);
    if (!matched)
      return false;
    std::string firstSpelling = *joinIdents(first.take_front(matched));
    for (llvm::ArrayRef<Word> g : s.groups) {
      if (g.empty())
        continue; // the parser reported it
      // The longest operation this group starts with. After `use X`, a
      // later group may leave out the `use` (`may not use bpf, perf`), as
      // `use` cannot start one: the grammar would read it as a statement.
      llvm::StringRef prefix;
      if (g.data() != s.groups.front().data() &&
          llvm::StringRef(firstSpelling).startswith("use "))
        prefix = "use ";
      size_t n = 0;
      for (size_t k = 1; k <= g.size(); ++k)
        if (std::optional<std::string> sp = joinIdents(g.take_front(k)))
          if (kb::lookupOperation(*sp) ||
              (!prefix.empty() && kb::lookupOperation(prefix.str() + *sp)))
            n = k;
      if (!n) {
        diags.reportRange(DiagID::err_unknown_operation,
                          llvm::SMRange(g.front().range.Start,
                                        g.back().range.End),
                          g.front().text, firstSpelling,
                          didYouMean(g.front().text,
                                     kb::getOperationSpellings()));
        continue;
      }
      std::string spelling = *joinIdents(g.take_front(n));
      if (!kb::lookupOperation(spelling))
        spelling = prefix.str() + spelling;
      if (n < g.size()) {
        diags.reportRange(DiagID::err_operation_object,
                          llvm::SMRange(g[n].range.Start, g.back().range.End),
                          spelling, g[n].text);
        continue;
      }
      unsigned op = static_cast<unsigned>(*kb::lookupOperation(spelling));
      if (!llvm::is_contained(s.operations, op))
        s.operations.push_back(op);
    }
    return true;
  }

  /// `may [not] PEER-VERB PEER, ...` (Peers.def): signals and ptrace
  /// between profiles, recognised by the verb's whole spelling (`be
  /// signalled by`). False when the statement does not start with one.
  bool checkPeers(IntentStmt &s) {
    llvm::ArrayRef<Word> first = s.groups.front();
    // `may audit signal PEER`: AppArmor's `audit signal ...`.
    bool audit = first.size() > 1 && first[0].kind == Word::Kind::Ident &&
                 first[0].text == "audit" &&
                 longestSpelling(first.drop_front(), kb::lookupPeerVerb);
    if (audit)
      first = first.drop_front();
    size_t matched = longestSpelling(first, kb::lookupPeerVerb);
    if (!matched) {
      // `may be traced self`: the start of a spelling, not all of it.
      if (first.empty() || first[0].kind != Word::Kind::Ident)
        return false;
      std::vector<llvm::StringRef> cands;
      for (llvm::StringRef sp : kb::getPeerVerbSpellings())
        if (sp.contains(' ') && sp.startswith(first[0].text + " "))
          cands.push_back(sp);
      if (cands.empty())
        return false;
      size_t n = std::min<size_t>(first.size(), 3);
      std::string got;
      for (const Word &w : first.take_front(n))
        got += (got.empty() ? "" : " ") + w.text;
      diags.reportRange(DiagID::err_unknown_verb,
                        llvm::SMRange(first[0].range.Start,
                                      first[n - 1].range.End),
                        got, didYouMean(got, cands));
      return true;
    }
    std::string spelling = *joinIdents(first.take_front(matched));
    s.peerVerb = static_cast<unsigned>(*kb::lookupPeerVerb(spelling));
    s.audit = audit;
    std::vector<llvm::ArrayRef<Word>> objs;
    if (matched < first.size() || s.groups.size() > 1)
      objs.push_back(first.drop_front(matched));
    for (size_t g = 1; g < s.groups.size(); ++g)
      objs.push_back(s.groups[g]);
    static const char *const expected =
        "a peer: a profile name, 'self', 'unconfined' or 'any'";
    if (objs.empty())
      diags.report(DiagID::err_expected_object, s.getRange().End, spelling,
                   expected);
    for (llvm::ArrayRef<Word> o : objs) {
      if (o.empty()) {
        diags.report(DiagID::err_expected_object, s.getRange().End, spelling,
                     expected);
        continue;
      }
      // `change profile to PEER on exec PATH`: AppArmor's exec condition.
      std::vector<std::string> execPaths{std::string()};
      if (o.size() > 1 && o[1].kind == Word::Kind::Ident && o[1].text == "on") {
        if (static_cast<kb::PeerVerb>(*s.peerVerb) !=
            kb::PeerVerb::ChangeProfile) {
          diags.reportRange(DiagID::err_on_exec_verb, o[1].range, spelling);
          continue;
        }
        if (o.size() < 4 || o[2].kind != Word::Kind::Ident ||
            o[2].text != "exec") {
          llvm::SMRange r = o.size() < 3 ? o[1].range : o[2].range;
          diags.reportRange(DiagID::err_on_exec_path, r);
          continue;
        }
        if (o.size() > 4) {
          diags.reportRange(DiagID::err_path_needs_comma, o[4].range,
                            o[3].text, o[4].text);
          continue;
        }
        execPaths.clear();
        if (!checkPath(o[3], "change profile to", &execPaths))
          continue;
      } else if (o.size() > 1) {
        diags.reportRange(DiagID::err_path_needs_comma, o[1].range, o[0].text,
                          o[1].text);
        continue;
      }
      const Word &w = o[0];
      // AppArmor profile names as `peer=` takes them unquoted: no glob, no
      // space or quote (a glob would match profiles the policy never
      // named).
      bool ok = !w.text.empty() &&
                (w.kind == Word::Kind::Ident || w.kind == Word::Kind::Path ||
                 w.kind == Word::Kind::String) &&
                llvm::all_of(w.text, [](char c) {
                  return llvm::isAlnum(c) || llvm::StringRef("_-.:/+").contains(c);
                });
      if (!ok) {
        diags.reportRange(DiagID::err_invalid_peer, w.range, w.text, spelling);
        continue;
      }
      IntentStmt::Object obj;
      obj.text = w.text;
      obj.range = w.range;
      // `self`, `unconfined` and `any` unquoted; "self" in quotes is a
      // profile of that name.
      obj.kind = w.kind != Word::Kind::Ident         ? 0
                 : w.text == "self"                  ? 1
                 : w.text == "unconfined"            ? 2
                 : w.text == "any"                   ? 3
                                                     : 0;
      // One object per expansion of the condition's variables.
      for (const std::string &e : execPaths) {
        obj.onExec = e;
        s.objects.push_back(obj);
      }
    }
    return true;
  }

  void checkIntent(IntentStmt &s) {
    if (!checkedStmts.insert(&s).second)
      return;
    if (checkOperations(s))
      return;
    if (checkPeers(s))
      return;
    // Verbs: the leading identifiers of the first group that are verbs.
    auto &first = s.groups.front();
    size_t i = 0;
    std::optional<kb::VerbClass> cls;
    llvm::StringRef firstVerb;
    const Word *qualifier = nullptr; // the first `owner` or `audit`
    const Word *ownerWord = nullptr, *auditWord = nullptr;
    for (; i < first.size(); ++i) {
      const Word &w = first[i];
      if (w.kind != Word::Kind::Ident)
        break;
      if (!cls && (w.text == "owner" || w.text == "audit")) {
        (w.text == "owner" ? s.owner : s.audit) = true;
        (w.text == "owner" ? ownerWord : auditWord) = &w;
        if (!qualifier)
          qualifier = &w;
        continue;
      }
      std::optional<kb::Verb> v = kb::lookupVerb(w.text);
      if (!v && !cls && ownerWord) {
        // `may owner signal x`: a peer verb, which `owner` does not qualify.
        size_t n = longestSpelling(llvm::ArrayRef<Word>(first).drop_front(i),
                                   kb::lookupPeerVerb);
        if (n) {
          diags.reportRange(
              DiagID::err_qualifier_not_file, ownerWord->range,
              ownerWord->text,
              *joinIdents(llvm::ArrayRef<Word>(first).slice(i, n)));
          return;
        }
      }
      if (!v) {
        if (!cls) {
          diags.reportRange(DiagID::err_unknown_verb, w.range, w.text,
                            didYouMean(w.text, verbAndOperationSpellings()));
          return;
        }
        break;
      }
      kb::VerbClass c = kb::getVerbInfo(*v).verbClass;
      if (cls && *cls != c) {
        diags.reportRange(DiagID::err_verb_class_mix, w.range, w.text,
                          firstVerb);
        return;
      }
      if (!cls)
        firstVerb = kb::getVerbInfo(*v).spelling;
      cls = c;
      if (!llvm::is_contained(s.verbs, static_cast<unsigned>(*v)))
        s.verbs.push_back(static_cast<unsigned>(*v));
      if (c == kb::VerbClass::Privilege) {
        ++i;
        break;
      }
    }
    if (!cls) {
      // Only qualifiers: `may owner /x`.
      llvm::SMRange r = i < first.size() ? first[i].range
                                         : llvm::SMRange(s.getRange().End,
                                                         s.getRange().End);
      if (i < first.size())
        diags.reportRange(DiagID::err_unknown_verb, r, first[i].text,
                          didYouMean(first[i].text, verbAndOperationSpellings()));
      else
        diags.report(DiagID::err_expected_object, r.Start, qualifier->text,
                     "a file verb");
      return;
    }
    // `owner` is a file condition; `audit` also applies to AppArmor's
    // network and capability rules (`audit network inet`), not to an
    // abstraction's include.
    if (ownerWord && *cls != kb::VerbClass::File) {
      diags.reportRange(DiagID::err_qualifier_not_file, ownerWord->range,
                        ownerWord->text, firstVerb);
      return;
    }
    if (auditWord && *cls == kb::VerbClass::Privilege && i < first.size() &&
        first[i].kind == Word::Kind::Ident && first[i].text == "abstraction") {
      diags.reportRange(DiagID::err_audit_abstraction, auditWord->range);
      return;
    }
    // Object groups: the rest of the first group, then each later group.
    std::vector<llvm::ArrayRef<Word>> objs;
    if (i < first.size())
      objs.push_back(llvm::ArrayRef<Word>(first).drop_front(i));
    else if (s.groups.size() > 1)
      objs.push_back({}); // `may read, /x`: an empty first object
    for (size_t g = 1; g < s.groups.size(); ++g)
      objs.push_back(s.groups[g]);

    llvm::SMLoc end = s.getRange().End;
    switch (*cls) {
    case kb::VerbClass::File:
      if (objs.empty() && !s.negated) {
        diags.report(DiagID::err_expected_object, end, firstVerb,
                     "at least one path");
        return;
      }
      for (llvm::ArrayRef<Word> o : objs) {
        if (o.empty()) {
          diags.report(DiagID::err_expected_object, end, firstVerb, "a path");
          continue;
        }
        std::vector<std::string> paths;
        if (!checkPath(o[0], firstVerb, &paths))
          continue;
        IntentStmt::Object obj;
        obj.text = paths.front();
        obj.range = o[0].range;
        if (o.size() > 1 && o[1].kind == Word::Kind::Ident &&
            o[1].text == "as") {
          if (!checkExecTransition(s, o, obj))
            continue;
        } else if (o.size() > 1) {
          diags.reportRange(DiagID::err_path_needs_comma, o[1].range,
                            o[0].text, o[1].text);
          continue;
        }
        // One object per expansion of the path's variables.
        for (const std::string &p : paths) {
          obj.text = p;
          s.objects.push_back(obj);
        }
      }
      return;
    case kb::VerbClass::Network:
      checkNetworkObjects(s, objs, firstVerb, end);
      return;
    case kb::VerbClass::Privilege: {
      // may use network OBJECT, ...: every network verb (AppArmor's
      // `network FAMILY`, which allows every operation).
      if (!objs.empty() && !objs[0].empty() &&
          objs[0][0].kind == Word::Kind::Ident &&
          objs[0][0].text == "network") {
        objs[0] = objs[0].drop_front();
        if (objs[0].empty() && objs.size() == 1)
          objs.clear();
        s.verbs.clear();
        for (kb::Verb v : kb::getAllVerbs())
          if (kb::getVerbInfo(v).verbClass == kb::VerbClass::Network)
            s.verbs.push_back(static_cast<unsigned>(v));
        s.useNetwork = true;
        checkNetworkObjects(s, objs, "use network", end);
        return;
      }
      // may use abstraction NAME, ...: `include <abstractions/NAME>`.
      if (!objs.empty() && !objs[0].empty() &&
          objs[0][0].kind == Word::Kind::Ident &&
          objs[0][0].text == "abstraction") {
        checkAbstractions(s, objs, end);
        return;
      }
      // may use capability NAME, NAME...
      if (objs.empty() || objs[0].empty() || objs[0][0].text != "capability") {
        llvm::SMRange r = objs.empty() || objs[0].empty()
                              ? llvm::SMRange(end, end)
                              : objs[0][0].range;
        llvm::StringRef got = objs.empty() || objs[0].empty()
                                  ? llvm::StringRef()
                                  : llvm::StringRef(objs[0][0].text);
        llvm::SmallVector<llvm::StringRef, 8> cands = {"capability", "network",
                                                       "abstraction"};
        for (llvm::StringRef sp : kb::getOperationSpellings())
          if (sp.consume_front("use "))
            cands.push_back(sp);
        diags.reportRange(DiagID::err_use_needs_capability, r,
                          got.empty() ? std::string() : didYouMean(got, cands));
        return;
      }
      objs[0] = objs[0].drop_front();
      if (objs[0].empty()) {
        diags.report(DiagID::err_expected_object, end, "use capability",
                     "a capability name");
        return;
      }
      for (llvm::ArrayRef<Word> o : objs) {
        if (o.empty())
          continue;
        for (const Word &w : o) {
          if (&w != &o[0]) {
            diags.reportRange(DiagID::err_path_needs_comma, w.range, o[0].text,
                              w.text);
            break;
          }
          if (w.kind != Word::Kind::Ident || !kb::isCapability(w.text)) {
            diags.reportRange(DiagID::err_unknown_capability, w.range, w.text,
                              didYouMean(w.text, kb::getCapabilityNames()));
            continue;
          }
          IntentStmt::Object obj;
          obj.text = w.text;
          obj.range = w.range;
          s.objects.push_back(std::move(obj));
        }
      }
      return;
    }
    }
  }

  DiagnosticEngine &diags;
  llvm::StringMap<Block *> groups;
  std::vector<Block *> groupOrder;
  llvm::DenseSet<const Stmt *> checkedStmts;
  /// Path variables (`let`): their values, and their declarations.
  llvm::StringMap<std::vector<std::string>> variables;
  llvm::StringMap<const LetDecl *> variableDecls;
  /// The names of the input's policies: targets of `as profile NAME`.
  llvm::StringSet<> policyNames;
  /// The baseline of the policy being checked, if any.
  const kb::KernelVersion *baseline = nullptr;
};

} // namespace

std::optional<std::vector<CheckedPolicy>>
sema::checkModule(Module &user, Module &builtin, DiagnosticEngine &diags) {
  return Checker(diags).run(user, builtin);
}
