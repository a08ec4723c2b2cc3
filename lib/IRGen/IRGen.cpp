//===- IRGen.cpp ----------------------------------------------------------===//
#include "polc/IRGen/IRGen.h"

#include <set>

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MathExtras.h"

#include <map>

using namespace polc;
using namespace polc::ir;
using kb::Verb;
using kb::VerbClass;

namespace {

ir::Action lowerAction(const ast::Action &a) {
  switch (a.kind) {
  case ast::ActionKind::Allow: return {Action::Kind::Allow, 0};
  case ast::ActionKind::Deny: return {Action::Kind::Errno, a.resolvedErrno};
  case ast::ActionKind::KillProcess: return {Action::Kind::KillProcess, 0};
  case ast::ActionKind::KillThread: return {Action::Kind::KillThread, 0};
  case ast::ActionKind::Trap: return {Action::Kind::Trap, 0};
  case ast::ActionKind::Log: return {Action::Kind::Log, 0};
  case ast::ActionKind::Trace: return {Action::Kind::Trace, 0, a.resolvedTrace};
  case ast::ActionKind::Notify: return {Action::Kind::Notify, 0};
  }
  return {};
}

/// The statement's text on one line, for messages and comments.
std::string oneLine(llvm::StringRef text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space)
      out += ' ';
    space = false;
    out += c;
  }
  return out;
}

unsigned permsOf(Verb v) {
  unsigned p = 0;
  for (char c : kb::getVerbInfo(v).apparmorPerms) {
    switch (c) {
    case 'r': p |= PermRead; break;
    case 'w': p |= PermWrite; break;
    case 'a': p |= PermAppend; break;
    case 'l': p |= PermLink; break;
    case 'k': p |= PermLock; break;
    case 'm': p |= PermMap; break;
    case 'x': p |= PermExec; break;
    }
  }
  return p;
}

std::string verbList(const ast::IntentStmt &s) {
  std::string out;
  for (unsigned v : s.verbs) {
    if (!out.empty())
      out += ", ";
    out += kb::getVerbInfo(static_cast<Verb>(v)).spelling;
  }
  return out;
}

/// A kind of socket a network object names: an address family, a socket
/// type and a protocol, as Constants.def names (an empty type or protocol:
/// every one).
struct SocketKind {
  llvm::StringRef domain, type, protocol;
  bool operator==(const SocketKind &o) const {
    return domain == o.domain && type == o.type && protocol == o.protocol;
  }
  /// Whether every socket of \p k is one of this kind (an empty domain:
  /// every address family).
  bool covers(const SocketKind &k) const {
    return (domain.empty() || domain == k.domain) &&
           (type.empty() || type == k.type) &&
           (protocol.empty() || protocol == k.protocol);
  }
};

/// The kinds of socket the objects of \p s name; for a denial, only the
/// objects without a path (a path denies that socket path alone).
std::vector<SocketKind> socketKindsOf(const ast::IntentStmt &s) {
  std::vector<SocketKind> kinds;
  for (const auto &obj : s.objects) {
    if (s.negated && !obj.text.empty())
      continue;
    const kb::NetObjectInfo &info =
        kb::getNetObjectInfo(static_cast<kb::NetObject>(obj.kind));
    llvm::StringRef type = obj.sockType.empty()
                               ? info.socketType
                               : *kb::lookupSockType(obj.sockType);
    llvm::StringRef protocol =
        obj.protocol.empty() ? llvm::StringRef()
                             : *kb::lookupNetlinkProtocol(obj.protocol);
    // No domain: a type of every family (`raw`).
    llvm::SmallVector<llvm::StringRef, 2> domains = info.domains;
    if (domains.empty())
      domains.push_back("");
    for (llvm::StringRef d : domains)
      if (!llvm::is_contained(kinds, SocketKind{d, type, protocol}))
        kinds.push_back({d, type, protocol});
  }
  // A wider kind (`inet` beside `inet dgram`, `netlink` beside `netlink
  // route`) makes the narrower one redundant.
  std::vector<SocketKind> all = kinds;
  llvm::erase_if(kinds, [&](const SocketKind &k) {
    return llvm::any_of(all, [&](const SocketKind &w) {
      return !(w == k) && w.covers(k);
    });
  });
  return kinds;
}

/// "AF_INET, AF_INET6 sockets of type SOCK_STREAM and AF_UNIX sockets of
/// any type", for coverage notes.
std::string describeKinds(llvm::ArrayRef<SocketKind> kinds) {
  std::vector<std::pair<std::string, std::string>> byType;
  for (const SocketKind &k : kinds) {
    std::string of = k.type.empty() ? std::string("any type")
                                    : "type " + k.type.str();
    if (!k.protocol.empty())
      of = (k.type.empty() ? std::string("protocol ") : of + ", protocol ") +
           k.protocol.str();
    auto it = llvm::find_if(byType, [&](const auto &e) { return e.first == of; });
    if (it == byType.end())
      byType.push_back({of, k.domain.str()});
    else
      it->second += ", " + k.domain.str();
  }
  std::string out;
  for (const auto &[of, domains] : byType) {
    if (!out.empty())
      out += " and ";
    out += (domains.empty() ? std::string("sockets of every address family")
                            : domains + " sockets") +
           " of " + of;
  }
  return out;
}

/// "'socket', 'socketpair'"
std::string quotedList(llvm::ArrayRef<llvm::StringRef> names) {
  std::string out;
  for (llvm::StringRef n : names)
    out += (out.empty() ? "'" : ", '") + n.str() + "'";
  return out;
}

class Generator {
  /// Syscalls named in the policy's own unconditional `syscall` statements.
  std::set<std::string> namedExplicitly;
  /// The kinds of socket the policy's network denials name: no network
  /// grant lets socket(2) create them (a denial wins, as in AppArmor).
  std::vector<SocketKind> deniedSockets;

public:
  explicit Generator(const sema::CheckedPolicy &cp,
                     const sema::CheckedChild *child = nullptr)
      : cp(cp), child(child) {}

  Policy run() {
    p.name = child ? child->decl->name.text : cp.decl->name.text;
    p.loc = child ? child->decl->name.range.Start : cp.decl->name.range.Start;
    p.hat = child && child->decl->hat;
    if (cp.attach && !child)
      p.attach = cp.attach->text;
    p.arches = cp.arches;
    p.defaultAction = lowerAction(cp.defaultAction);
    if (cp.badArchAction) {
      p.badArchAction = lowerAction(*cp.badArchAction);
      p.badArchLoc = cp.badArchLoc;
    }
    p.baseline = cp.baseline;
    p.baselineLoc = cp.baselineLoc;
    // `may not` denies with the default action when that is a denial.
    denyAction = p.defaultAction.isDenial() ? p.defaultAction
                                            : Action::errno_(EPERM);
    const std::vector<sema::FlatStmt> &stmts =
        child ? child->stmts : cp.stmts;
    for (const sema::FlatStmt &fs : stmts) {
      if (auto *s = llvm::dyn_cast<ast::SyscallStmt>(fs.stmt))
        if (!fs.via && !s->condition)
          for (const ast::Name &n : s->names)
            namedExplicitly.insert(n.text);
      if (auto *s = llvm::dyn_cast<ast::IntentStmt>(fs.stmt))
        if (s->negated && !s->verbs.empty() && isNetwork(*s))
          for (const SocketKind &k : socketKindsOf(*s))
            if (!llvm::is_contained(deniedSockets, k))
              deniedSockets.push_back(k);
    }
    for (const sema::FlatStmt &fs : stmts) {
      stmtArches = fs.onlyArches.empty() ? p.arches : fs.onlyArches;
      Origin o;
      o.loc = fs.via ? fs.via->getLoc() : fs.stmt->getLoc();
      o.detail = fs.stmt->getLoc();
      o.text = oneLine(fs.stmt->getSourceText());
      o.fromGroup = fs.via != nullptr;
      o.advisory = fs.stmt->advisory;
      if (auto *s = llvm::dyn_cast<ast::SyscallStmt>(fs.stmt)) {
        Action action = lowerAction(s->action);
        if (s->condition) {
          lowerConditional(*s, fs, action, o);
          continue;
        }
        for (const ast::Name &n : s->names) {
          // A denial covers the name's whole family (open: openat, openat2,
          // creat): denying one entry point of an operation and not the
          // others is a bypass (pitfalls S7, S8). Grants stay exact, and so
          // does ENOSYS, which says "this entry point does not exist, use
          // the sibling" (clone3 and openat2 for glibc's fallback, S9).
          bool enosys = action.kind == Action::Kind::Errno &&
                        action.errnoValue == ENOSYS;
          // So do trace and notify, which hand the call to another process:
          // a tracer or supervisor asked about stat expects stat, not
          // fstat, and without one every member would fail with ENOSYS.
          bool handedOver = action.kind == Action::Kind::Trace ||
                            action.kind == Action::Kind::Notify;
          // Denying the struct form alone (clone3, openat2) leaves the
          // classic sibling, which seccomp can filter, as the way in.
          bool structForm =
              llvm::is_contained(kb::getFallbackSyscalls(), n.text);
          if (action.isDenial() && !enosys && !handedOver && !structForm) {
            // A sibling the policy names itself is left to that statement.
            for (llvm::StringRef member : kb::getSyscallFamily(n.text))
              if (member == n.text || !namedExplicitly.count(member.str()))
                addSyscall(member, action, o);
          } else {
            addSyscall(n.text, action, o);
          }
        }
        continue;
      }
      lowerIntent(llvm::cast<ast::IntentStmt>(*fs.stmt), o);
    }
    if (child) {
      // The child's program runs under the policy's seccomp filter: its
      // grants join the filter, its denials stay AppArmor's (the filter is
      // the whole policy's, and a child cannot narrow it).
      llvm::erase_if(p.syscalls, [](const SyscallRule &r) {
        return r.action.isDenial();
      });
      for (Coverage &c : p.coverage) {
        std::string where =
            (p.hat ? "in hat '" : "in child profile '") + p.name + "'";
        c.apparmorNote =
            c.apparmorNote.empty() ? where : where + "; " + c.apparmorNote;
        if (c.origin.isIntent && isDenialText(c.origin.text)) {
          c.seccomp = Enforcement::None;
          c.seccompNote =
              p.hat ? "a hat's denial is AppArmor's alone: the hat runs "
                      "under the policy's seccomp filter"
                    : "a child profile's denial is AppArmor's alone: the "
                      "child runs under the policy's seccomp filter";
        }
      }
      return std::move(p);
    }
    p.apparmorFlags = cp.apparmorFlags;
    // `limit`: AppArmor sets the hard limit when a process enters the
    // profile; the kernel enforces it from then on.
    for (const ast::LimitStmt *l : cp.limits) {
      Origin o;
      o.loc = o.detail = l->getLoc();
      o.text = oneLine(l->getSourceText());
      o.advisory = l->advisory;
      OtherRule r;
      r.text = "set rlimit " + l->resource.text + " <= " + l->value;
      r.origins.push_back(o);
      p.otherRules.push_back(std::move(r));
      Coverage cov;
      cov.origin = o;
      cov.apparmor = Enforcement::Full;
      cov.apparmorNote = "set when a process enters the profile (at exec), "
                         "as a hard limit the process can only lower";
      cov.seccompNote = "resource limits are no syscall filter: seccomp has "
                        "no part in them";
      p.coverage.push_back(std::move(cov));
    }
    // complain and unconfined: the profile decides nothing; no statement
    // may claim AppArmor's enforcement (pitfalls A15).
    for (llvm::StringRef mode : {"complain", "unconfined"})
      if (llvm::is_contained(p.apparmorFlags, mode))
        for (Coverage &c : p.coverage) {
          c.apparmor = Enforcement::None;
          c.apparmorNote = "the profile has flag '" + mode.str() +
                           "': AppArmor enforces none of its rules";
          // Nor may seccomp's note lean on AppArmor.
          size_t at;
          for (llvm::StringRef claim :
               {"AppArmor narrows them", "AppArmor alone denies this",
                "AppArmor alone denies them there"})
            while ((at = c.seccompNote.find(claim.str())) != std::string::npos)
              c.seccompNote.replace(at, claim.size(),
                                    "AppArmor, with flag '" + mode.str() +
                                        "', enforces nothing");
        }
    stmtArches = p.arches; // polc's own rules apply on every arch
    narrowGrantsUnderFlagDenials();
    denyIoUringByDefault();
    fallBackToClassicSiblings();
    denyNewerThanBaseline();
    return std::move(p);
  }

private:
  static bool isDenialText(llvm::StringRef text) {
    return text.ltrim().startswith("may not ") ||
           text.ltrim().startswith("advisory may not ");
  }

  /// `baseline kernel X.Y`: every syscall added after X.Y on a target arch
  /// gets ENOSYS there, whatever the default, unless a rule already names
  /// it on that arch (a statement of the policy or of a group, an intent,
  /// or one of polc's own rules above): a kernel of the baseline would
  /// answer ENOSYS itself, and a C library probing for the newer call falls
  /// back only on ENOSYS (pitfalls S18). The rule exists only on the arches
  /// where the syscall is newer (the time64 calls on 32-bit ABIs, i386's
  /// arch_prctl). Left out: calls a multiplexer also reaches on the arch
  /// (i386's direct socket and IPC calls), since libseccomp's rule for them
  /// also matches socketcall/ipc, which would take away the fallback.
  void denyNewerThanBaseline() {
    if (!p.baseline)
      return;
    Origin o;
    o.loc = o.detail = p.baselineLoc;
    o.text = "ENOSYS for syscalls newer than the baseline kernel " +
             p.baseline->str();
    o.fromGroup = true; // polc's own rule: never reported as dead
    std::map<std::string, std::map<kb::Arch, int>> newer;
    for (kb::Arch a : p.arches)
      for (llvm::StringRef name : kb::getSyscallsNewerThan(*p.baseline, a)) {
        if (kb::getMultiplexer(name, a))
          continue;
        bool named = llvm::any_of(p.syscalls, [&](const SyscallRule &r) {
          return r.name == name && r.numbers.count(a);
        });
        if (!named)
          newer[name.str()][a] = *kb::resolveSyscall(name, a);
      }
    for (auto &[name, numbers] : newer) {
      SyscallRule r{name, Action::errno_(ENOSYS), o, std::move(numbers)};
      r.fromBaseline = true;
      p.syscalls.push_back(std::move(r));
    }
  }

  /// clone3 and openat2 hide their flags from seccomp (pitfalls S9). When no
  /// statement names one, it gets ENOSYS, so glibc falls back to clone or
  /// openat, which the policy can filter: under a denying default (EPERM
  /// would stop glibc's pthread_create, which tries clone3 first), and under
  /// a permissive one when a sibling's arguments are filtered (else the
  /// struct form would bypass the filter).
  void fallBackToClassicSiblings() {
    Origin o;
    o.loc = o.detail = p.loc;
    o.text = "ENOSYS for syscalls with a classic fallback";
    o.fromGroup = true; // polc's own rule: never reported as dead
    bool denying = p.defaultAction.isDenial() &&
                   p.defaultAction != Action::errno_(ENOSYS);
    for (llvm::StringRef name : kb::getFallbackSyscalls()) {
      std::vector<llvm::StringRef> family = kb::getSyscallFamily(name);
      bool named = false, siblingFiltered = false;
      for (const SyscallRule &r : p.syscalls) {
        named |= r.name == name;
        siblingFiltered |= r.conditional && llvm::is_contained(family, r.name);
      }
      if (!named && (denying || siblingFiltered))
        addSyscall(name, Action::errno_(ENOSYS), o);
    }
  }

  /// io_uring operations never pass through seccomp (pitfalls S23): with a
  /// permissive default, each io_uring syscall that no statement names gets
  /// ENOSYS (so programs fall back to plain syscalls).
  void denyIoUringByDefault() {
    if (p.defaultAction.isDenial())
      return;
    Origin o;
    o.loc = o.detail = p.loc;
    o.text = "io_uring denied by default";
    o.fromGroup = true; // polc's own rule: never reported as dead
    for (llvm::StringRef name : kb::getImplicitlyDeniedSyscalls()) {
      bool named = llvm::any_of(p.syscalls, [&](const SyscallRule &r) {
        return r.name == name;
      });
      if (!named)
        addSyscall(name, Action::errno_(ENOSYS), o);
    }
  }

  /// One rule per syscall, arch and conjunction of the lowered condition;
  /// a condition that always holds on an arch is an unconditional rule
  /// there. Conditional rules stay exact: no family expansion.
  void lowerConditional(const ast::SyscallStmt &s, const sema::FlatStmt &fs,
                        Action action, const Origin &o) {
    for (const ast::Name &n : s.names)
      for (kb::Arch a : stmtArches) {
        auto it = fs.conditions.find({n.text, a});
        if (it == fs.conditions.end())
          continue;
        int nr = *kb::resolveSyscall(n.text, a);
        bool always = llvm::any_of(
            it->second, [](const sema::Conjunction &c) { return c.empty(); });
        if (always) {
          p.syscalls.push_back(SyscallRule{n.text, action, o, {{a, nr}}});
          continue;
        }
        for (const sema::Conjunction &conj : it->second) {
          SyscallRule r{n.text, action, o, {{a, nr}}};
          r.conditional = true;
          for (const sema::ArgTest &t : conj)
            r.cond.push_back(ArgCmp{t.arg, static_cast<ArgCmp::Op>(t.op),
                                    t.mask, t.value});
          p.syscalls.push_back(std::move(r));
        }
      }
  }

  /// What one intent did with the socket calls, for its coverage note.
  struct SocketNarrowing {
    std::vector<SocketKind> kinds;
    /// A grant's kinds that a network denial of the policy covers.
    std::vector<SocketKind> denied;
    llvm::SmallVector<llvm::StringRef, 2> calls;
    /// Arches where socketcall(2) also reaches a call, hiding its arguments.
    std::vector<kb::Arch> unnarrowedOn;
    unsigned conditionalRules = 0;
    /// "SUBJECT also arrive(s) through 'socketcall', ...", where SUBJECT
    /// names the calls; by default a pronoun for them.
    std::string alsoArrive(std::string subject = "") const {
      bool one = calls.size() == 1;
      if (subject.empty())
        subject = one ? "it" : "they";
      return subject + (one ? " also arrives" : " also arrive") +
             " through 'socketcall', whose arguments seccomp cannot see";
    }
  };

  /// The rules of socket call \p sc for the kinds of socket in \p n, with
  /// \p action: per arch, one conditional rule per kind, comparing `domain`
  /// on its low 32 bits and `type & SOCK_TYPE_MASK` (SOCK_NONBLOCK and
  /// SOCK_CLOEXEC may be ORed into the type). Where a multiplexer also
  /// reaches \p sc, seccomp cannot see its arguments (pitfalls S5): a grant
  /// is unconditional there and a denial is left to AppArmor.
  void addSocketRules(llvm::StringRef sc, Action action, const Origin &o,
                      SocketNarrowing &n) {
    n.calls.push_back(sc);
    if (n.kinds.empty())
      return;
    for (kb::Arch a : stmtArches) {
      std::optional<int> nr = kb::resolveSyscall(sc, a);
      if (!nr)
        continue;
      if (kb::getMultiplexer(sc, a)) {
        if (!llvm::is_contained(n.unnarrowedOn, a))
          n.unnarrowedOn.push_back(a);
        if (action.isDenial())
          continue;
        SyscallRule r{sc.str(), action, o, {{a, *nr}}};
        r.unnarrowed = true;
        p.syscalls.push_back(std::move(r));
        continue;
      }
      std::vector<kb::SyscallArg> sig = *kb::getSyscallSignature(sc, a);
      auto indexOf = [&](llvm::StringRef name) {
        return llvm::find_if(sig, [&](const kb::SyscallArg &arg) {
                 return arg.name == name;
               })->index;
      };
      for (const SocketKind &k : n.kinds) {
        SyscallRule r{sc.str(), action, o, {{a, *nr}}};
        r.conditional = true;
        // Both are 32-bit arguments: only their low 32 bits count (S12).
        if (!k.domain.empty())
          r.cond.push_back(ArgCmp{indexOf("domain"), ArgCmp::Op::MaskedEQ,
                                  0xffffffffu,
                                  *kb::lookupConstant(k.domain, a)});
        if (!k.type.empty())
          r.cond.push_back(ArgCmp{indexOf("type"), ArgCmp::Op::MaskedEQ,
                                  *kb::lookupConstant("SOCK_TYPE_MASK", a),
                                  *kb::lookupConstant(k.type, a)});
        if (!k.protocol.empty())
          r.cond.push_back(ArgCmp{indexOf("protocol"), ArgCmp::Op::MaskedEQ,
                                  0xffffffffu,
                                  *kb::lookupConstant(k.protocol, a)});
        llvm::sort(r.cond);
        p.syscalls.push_back(std::move(r));
        ++n.conditionalRules;
      }
    }
  }

  static bool isNetwork(const ast::IntentStmt &s) {
    return kb::getVerbInfo(static_cast<Verb>(s.verbs.front())).verbClass ==
           VerbClass::Network;
  }

  /// One rule for \p name on every arch of the statement where it exists:
  /// by its direct number, or, where the arch makes it only through
  /// socketcall/ipc (accept and semop on x86), by libseccomp's
  /// pseudo-number, which the lower-multiplexed-calls pass turns into the
  /// multiplexer's rule.
  void addSyscall(llvm::StringRef name, Action action, const Origin &o) {
    SyscallRule r{name.str(), action, o, {}};
    for (kb::Arch a : stmtArches)
      if (std::optional<int> nr = kb::resolveSyscall(name, a))
        r.numbers[a] = *nr;
      else if (std::optional<kb::MultiplexedCall> m =
                   kb::getMultiplexedCall(name, a))
        r.numbers[a] = m->pseudoNumber;
    p.syscalls.push_back(std::move(r));
  }

  /// `may [not] OPERATION, ...` (Operations.def): the syscall family in
  /// seccomp, the capabilities and rules in AppArmor, a grant or a denial
  /// alike. One coverage record for the statement.
  void lowerOperations(const ast::IntentStmt &s, const Origin &o) {
    Action action = s.negated ? denyAction : Action::allow();
    Coverage cov;
    cov.origin = o;
    cov.seccomp = Enforcement::Full;
    cov.apparmor = Enforcement::Full;
    std::vector<std::string> seccompNotes, apparmorNotes;
    std::string names;
    for (unsigned id : s.operations) {
      auto op = static_cast<kb::Operation>(id);
      const kb::OperationInfo &info = kb::getOperationInfo(op);
      names += (names.empty() ? "'" : ", '") + info.spelling.str() + "'";
      // Denying io_uring gives ENOSYS, as polc's own io_uring denial does,
      // unless the policy denies harder: programs fall back to plain
      // syscalls on ENOSYS only (pitfalls S18, S23).
      Action opAction = action;
      if (s.negated && op == kb::Operation::UseIoUring &&
          action.kind == Action::Kind::Errno)
        opAction = Action::errno_(ENOSYS);
      std::optional<uint64_t> protMask;
      if (op == kb::Operation::MapExecutable)
        protMask = uint64_t(4); // PROT_EXEC, checked per arch below
      if (op == kb::Operation::MapWritableExecutable)
        protMask = uint64_t(6);
      if (s.negated && protMask) {
        seccompNotes.push_back(lowerProtDenial(
            info, op == kb::Operation::MapExecutable, opAction, o));
        if (cov.seccomp == Enforcement::Full && !unfilteredProt.empty())
          cov.seccomp = Enforcement::Partial;
      } else {
        for (llvm::StringRef sc : info.syscalls)
          addSyscall(sc, opAction, o);
      }
      for (llvm::StringRef cap : info.capabilities)
        addCapability(cap, s.negated, o);
      for (llvm::StringRef rule : info.apparmorRules) {
        OtherRule r;
        r.text = rule.str();
        r.deny = s.negated;
        r.origins.push_back(o);
        p.otherRules.push_back(std::move(r));
      }
      bool anyAppArmor =
          !info.capabilities.empty() || !info.apparmorRules.empty();
      llvm::StringRef note = s.negated ? info.denyNote : info.grantNote;
      if (!note.empty()) {
        if (!anyAppArmor)
          cov.apparmor = Enforcement::None;
        else if (cov.apparmor == Enforcement::Full)
          cov.apparmor = Enforcement::Partial;
        apparmorNotes.push_back(s.operations.size() > 1
                                    ? info.spelling.str() + ": " + note.str()
                                    : note.str());
      }
      if (op == kb::Operation::CreateNamespaces)
        seccompNotes.push_back(lowerCloneNamespaces(s.negated, action, o));
      if (op == kb::Operation::Fork || op == kb::Operation::SpawnThreads)
        seccompNotes.push_back(
            lowerCloneThread(op == kb::Operation::SpawnThreads, s.negated,
                             action, o));
    }
    if (cov.apparmor == Enforcement::None && s.operations.size() > 1 &&
        llvm::any_of(s.operations, [](unsigned id) {
          const auto &i = kb::getOperationInfo(static_cast<kb::Operation>(id));
          return !i.capabilities.empty() || !i.apparmorRules.empty();
        }))
      cov.apparmor = Enforcement::Partial;
    std::string sc = (s.negated ? "denies" : "allows") +
                     std::string(" the syscalls of ") + names;
    for (const std::string &n : seccompNotes)
      if (!n.empty())
        sc += "; " + n;
    cov.seccompNote = sc;
    cov.apparmorNote = llvm::join(apparmorNotes, "; ");
    p.coverage.push_back(std::move(cov));
  }

  /// `may not map [writable] executable memory`: per arch, each of the
  /// four calls that shows `prot` is denied when `prot` holds PROT_EXEC
  /// (and PROT_WRITE). Returns what the note should add.
  std::string lowerProtDenial(const kb::OperationInfo &info, bool execOnly,
                              Action action, const Origin &o) {
    unfilteredProt.clear();
    for (llvm::StringRef sc : info.syscalls)
      for (kb::Arch a : stmtArches) {
        std::optional<int> nr = kb::resolveSyscall(sc, a);
        if (!nr)
          continue;
        std::optional<std::vector<kb::SyscallArg>> sig =
            kb::getSyscallSignature(sc, a);
        auto arg = sig ? llvm::find_if(*sig, [](const kb::SyscallArg &x) {
          return x.name == "prot";
        }) : std::vector<kb::SyscallArg>::iterator();
        if (!sig || arg == sig->end()) {
          if (!llvm::is_contained(unfilteredProt, a))
            unfilteredProt.push_back(a);
          continue;
        }
        uint64_t mask = *kb::lookupConstant("PROT_EXEC", a);
        if (!execOnly)
          mask |= *kb::lookupConstant("PROT_WRITE", a);
        SyscallRule r{sc.str(), action, o, {{a, *nr}}};
        r.conditional = true;
        r.cond.push_back(ArgCmp{arg->index, ArgCmp::Op::MaskedEQ, mask, mask});
        p.syscalls.push_back(std::move(r));
        flagDenials.push_back({sc.str(), a, arg->index, mask, mask});
      }
    std::string note =
        execOnly ? "when 'prot' holds PROT_EXEC (ld.so maps shared "
                   "libraries executable: a dynamically linked program "
                   "started under the filter cannot load them)"
                 : "when 'prot' holds both PROT_WRITE and PROT_EXEC";
    note += "; grants of these calls are narrowed to the rest";
    if (!unfilteredProt.empty())
      note += "; on " + kb::formatArchList(unfilteredProt) +
              " mmap takes its arguments behind a pointer, which seccomp "
              "cannot read: mmap is not denied there";
    return note;
  }

  /// A grant beside a denial on flag bits (`may map /x` with `may not map
  /// writable executable memory`; a clone grant with `may not create
  /// namespaces`): a seccomp filter cannot give a syscall an unconditional
  /// action beside a conditional one (libseccomp's unconditional rule
  /// swallows it, pitfalls S17), and the denial must win. So each
  /// unconditional grant of such a syscall on such an arch becomes
  /// conditional: the complement of the denials. Denials `(v & m) == m`
  /// with masks m: single-bit masks ORed give `(v & M) == 0`; one mask of
  /// several bits gives one rule per bit, `(v & b) == 0`; a mask that
  /// contains another is implied by it. Anything else is left as it is
  /// (deny-over-allow then reports the conflict).
  void narrowGrantsUnderFlagDenials() {
    if (flagDenials.empty())
      return;
    std::vector<SyscallRule> added;
    std::set<const SyscallRule *> emptied;
    for (SyscallRule &r : p.syscalls) {
      if (r.conditional || r.action.isDenial() ||
          r.action.kind == Action::Kind::Trace ||
          r.action.kind == Action::Kind::Notify)
        continue;
      for (auto it = r.numbers.begin(); it != r.numbers.end();) {
        kb::Arch a = it->first;
        std::vector<std::pair<uint64_t, uint64_t>> denials; // mask, value
        unsigned idx = 0;
        for (const FlagDenial &d : flagDenials)
          if (d.syscall == r.name && d.arch == a) {
            idx = d.arg;
            denials.push_back({d.mask, d.value});
          }
        // Drop a denial that another implies: all bits set, with a mask
        // that contains the other's.
        std::vector<std::pair<uint64_t, uint64_t>> minimal;
        for (const auto &dm : denials)
          if (!llvm::any_of(denials, [&](const auto &o) {
                return o != dm && o.second == o.first &&
                       dm.second == dm.first && (o.first & dm.first) == o.first;
              }) &&
              !llvm::is_contained(minimal, dm))
            minimal.push_back(dm);
        // The complement, as rules (a[arg] & mask) == value.
        std::vector<std::pair<uint64_t, uint64_t>> keep;
        if (!minimal.empty()) {
          if (llvm::all_of(minimal, [](const auto &m) {
                return llvm::isPowerOf2_64(m.first);
              })) {
            // Each bit must differ from its denial: one rule.
            uint64_t mask = 0, value = 0;
            bool contradiction = false;
            for (const auto &[m, v] : minimal) {
              if ((mask & m) && (value & m) != (m ^ v))
                contradiction = true; // both values denied: nothing left
              mask |= m;
              value |= (m ^ v);
            }
            if (!contradiction)
              keep.push_back({mask, value});
            else
              keep.push_back({0, 1}); // never holds: the grant goes
          } else if (minimal.size() == 1 &&
                     minimal[0].first == minimal[0].second) {
            for (uint64_t b = 1; b; b <<= 1)
              if (minimal[0].first & b)
                keep.push_back({b, 0});
          }
        }
        if (keep.empty()) {
          ++it;
          continue;
        }
        for (const auto &[m, v] : keep) {
          if (!m)
            continue; // nothing of the grant is left on this arch
          SyscallRule c{r.name, r.action, r.origin, {{a, it->second}}};
          c.conditional = true;
          c.cond.push_back(ArgCmp{idx, ArgCmp::Op::MaskedEQ, m, v});
          added.push_back(std::move(c));
        }
        it = r.numbers.erase(it);
        if (r.numbers.empty())
          emptied.insert(&r);
      }
    }
    // Rules narrowed on every arch they had go (a rule for a name absent on
    // every arch had none to begin with and stays).
    llvm::erase_if(p.syscalls,
                   [&](const SyscallRule &r) { return emptied.count(&r); });
    for (SyscallRule &r : added)
      p.syscalls.push_back(std::move(r));
  }

  /// `fork` and `spawn threads` are clone with or without CLONE_THREAD. A
  /// grant allows clone and clone3; a denial denies clone by that flag, on
  /// each arch's own argument, and clone3 falls back to ENOSYS.
  std::string lowerCloneThread(bool threads, bool negated, Action action,
                               const Origin &o) {
    if (!negated) {
      addSyscall("clone", action, o);
      addSyscall("clone3", action, o);
      return "clone and clone3 with any flags";
    }
    denyCloneFlags({{"CLONE_THREAD", threads}}, action, o);
    return threads ? "clone with CLONE_THREAD is denied, and clone3, whose "
                     "flags seccomp cannot see, gets ENOSYS unless a "
                     "statement names it"
                   : "clone without CLONE_THREAD is denied, and clone3, "
                     "whose flags seccomp cannot see, gets ENOSYS unless a "
                     "statement names it";
  }

  /// Denials of clone by its flags: for each (FLAG, set), one rule
  /// `(flags & FLAG) == (set ? FLAG : 0)` per arch, on that arch's own
  /// argument (flags is the second on s390x) with its constant.
  void denyCloneFlags(llvm::ArrayRef<std::pair<llvm::StringRef, bool>> flags,
                      Action action, const Origin &o) {
    for (kb::Arch a : stmtArches) {
      std::optional<int> nr = kb::resolveSyscall("clone", a);
      if (!nr)
        continue;
      std::vector<kb::SyscallArg> sig = *kb::getSyscallSignature("clone", a);
      unsigned idx = llvm::find_if(sig, [](const kb::SyscallArg &arg) {
                       return arg.name == "flags";
                     })->index;
      for (const std::pair<llvm::StringRef, bool> &f : flags) {
        uint64_t bit = *kb::lookupConstant(f.first, a);
        uint64_t value = f.second ? bit : 0;
        SyscallRule r{"clone", action, o, {{a, *nr}}};
        r.conditional = true;
        r.cond.push_back(ArgCmp{idx, ArgCmp::Op::MaskedEQ, bit, value});
        p.syscalls.push_back(std::move(r));
        flagDenials.push_back({"clone", a, idx, bit, value});
      }
    }
  }

  /// Namespaces also come from clone's CLONE_NEW* flags, which seccomp can
  /// test (clone3's it cannot: with clone filtered, clone3 gets ENOSYS,
  /// fallBackToClassicSiblings). A denial denies clone with any of them,
  /// one rule per flag (a masked equality per bit: there is no masked
  /// inequality, pitfalls S14); a grant leaves clone to the process verbs
  /// and rules that name it. Returns what the note should add.
  std::string lowerCloneNamespaces(bool negated, Action action,
                                   const Origin &o) {
    if (!negated)
      return "namespaces created by clone(2) need clone, which this does "
             "not grant";
    // CLONE_NEWTIME lies inside CSIGNAL for clone: unshare only.
    denyCloneFlags({{"CLONE_NEWNS", true},
                    {"CLONE_NEWCGROUP", true},
                    {"CLONE_NEWUTS", true},
                    {"CLONE_NEWIPC", true},
                    {"CLONE_NEWUSER", true},
                    {"CLONE_NEWPID", true},
                    {"CLONE_NEWNET", true}},
                   action, o);
    return "clone with a CLONE_NEW* flag is denied too, and clone3, whose "
           "flags seccomp cannot see, gets ENOSYS unless a statement names it";
  }

  /// `may [not] PEER-VERB PEER, ...` (Peers.def): one AppArmor signal or
  /// ptrace rule per peer; the verb's syscalls in seccomp, allowed by a
  /// grant, denied only by a denial of `any` peer (seccomp cannot tell
  /// one target process from another).
  void lowerPeers(const ast::IntentStmt &s, const Origin &o) {
    const kb::PeerVerbInfo &info =
        kb::getPeerVerbInfo(static_cast<kb::PeerVerb>(*s.peerVerb));
    // This profile's own name, as other profiles' rules name it.
    std::string self = child ? cp.decl->name.text + "//" + p.name : p.name;
    bool anyPeer = false;
    for (const ast::IntentStmt::Object &obj : s.objects) {
      bool isSelf = obj.kind == 1 || (obj.kind == 0 && obj.text == self);
      anyPeer |= obj.kind == 3;
      OtherRule r;
      r.text = kb::formatPeerRule(
          static_cast<kb::PeerVerb>(*s.peerVerb), isSelf && !s.negated,
          obj.kind == 3 ? llvm::StringRef() : llvm::StringRef(isSelf ? self : obj.text));
      r.deny = s.negated;
      r.audit = s.audit;
      r.execPath = obj.onExec;
      r.origins.push_back(o);
      p.otherRules.push_back(std::move(r));
    }
    Coverage cov;
    cov.origin = o;
    cov.apparmor = Enforcement::Full;
    std::string calls = quotedList(info.syscalls);
    if (info.syscalls.empty()) {
      cov.seccomp = Enforcement::None;
      cov.seccompNote = info.seccompNote.str();
    } else if (!s.negated) {
      for (llvm::StringRef sc : info.syscalls)
        addSyscall(sc, Action::allow(), o);
      cov.seccomp = Enforcement::Partial;
      cov.seccompNote = "allows " + calls + "; " + info.seccompNote.str() +
                        ": they reach every process the kernel's own checks "
                        "allow";
    } else if (anyPeer) {
      for (llvm::StringRef sc : info.syscalls)
        addSyscall(sc, denyAction, o);
      cov.seccomp = Enforcement::Full;
      cov.seccompNote = "denies " + calls;
    } else {
      cov.seccomp = Enforcement::None;
      cov.seccompNote = info.seccompNote.str() + "; AppArmor alone denies this";
    }
    p.coverage.push_back(std::move(cov));
  }

  void lowerIntent(const ast::IntentStmt &s, Origin o) {
    o.isIntent = true;
    o.pathScoped = !s.objects.empty();
    if (!s.operations.empty()) {
      lowerOperations(s, o);
      return;
    }
    if (s.peerVerb) {
      // Peers are not paths: a denial of some peers does not void grants
      // of the same syscalls, as a path-scoped denial would not.
      lowerPeers(s, o);
      return;
    }
    Coverage cov;
    cov.origin = o;
    auto cls = kb::getVerbInfo(static_cast<Verb>(s.verbs.front())).verbClass;
    std::string verbs = verbList(s);

    // seccomp: grants allow the verbs' families; a denial without objects
    // denies the syscalls that serve only that verb. A network grant's
    // socket calls are narrowed to its objects' kinds of socket.
    bool anySyscall = false;
    SocketNarrowing sockets;
    if (cls == VerbClass::Network) {
      sockets.kinds = socketKindsOf(s);
      if (!s.negated)
        for (auto it = sockets.kinds.begin(); it != sockets.kinds.end();) {
          if (llvm::any_of(deniedSockets,
                           [&](const SocketKind &d) { return d.covers(*it); })) {
            sockets.denied.push_back(*it);
            it = sockets.kinds.erase(it);
          } else {
            ++it;
          }
        }
    }
    for (unsigned v : s.verbs) {
      const kb::VerbInfo &info = kb::getVerbInfo(static_cast<Verb>(v));
      if (!s.negated) {
        for (llvm::StringRef sc : info.grantSyscalls) {
          anySyscall = true;
          if (llvm::is_contained(kb::getSocketCalls(), sc)) {
            if (!llvm::is_contained(sockets.calls, sc))
              addSocketRules(sc, Action::allow(), o, sockets);
          } else {
            addSyscall(sc, Action::allow(), o);
          }
        }
      } else if (s.objects.empty()) {
        for (llvm::StringRef sc : info.denyAllSyscalls)
          addSyscall(sc, denyAction, o), anySyscall = true;
      }
    }
    // A network denial denies creating its kinds of socket: in seccomp as in
    // AppArmor, whatever its verbs (`deny network inet stream` denies every
    // operation).
    if (s.negated && !sockets.kinds.empty())
      for (llvm::StringRef sc : kb::getSocketCalls())
        addSocketRules(sc, denyAction, o, sockets);

    switch (cls) {
    case VerbClass::File: {
      unsigned perms = 0;
      for (unsigned v : s.verbs)
        perms |= permsOf(static_cast<Verb>(v));
      // Exec grants 'm' because running code maps it; denying exec must not
      // deny mapping (that would stop every library from loading).
      if (s.negated && !llvm::is_contained(s.verbs, unsigned(Verb::Map)))
        perms &= ~unsigned(PermMap);
      if (s.objects.empty()) {
        // `may not VERB`: every path.
        FileRule &r = addFile("/**", perms, s.negated, o);
        r.owner = s.owner;
        r.audit = s.audit;
      }
      for (const auto &obj : s.objects)
        addFileObject(s, obj, perms, o);
      cov.apparmor = Enforcement::Full;
      bool createOrDelete = llvm::any_of(s.verbs, [](unsigned v) {
        return v == unsigned(Verb::Create) || v == unsigned(Verb::Delete);
      });
      if (createOrDelete && !s.negated) {
        cov.apparmor = Enforcement::Partial;
        cov.apparmorNote = "AppArmor 3 has no separate create or delete "
                           "permission: 'w' also allows writing";
      }
      if (s.negated) {
        cov.seccomp = anySyscall ? Enforcement::Full : Enforcement::None;
        cov.seccompNote =
            anySyscall ? "denies " + verbs + " syscalls for every path"
                       : "seccomp cannot see paths; AppArmor alone denies this";
      } else {
        cov.seccomp = Enforcement::Partial;
        cov.seccompNote = "allows the " + verbs +
                          " syscalls for every path; seccomp cannot see "
                          "paths, AppArmor narrows them";
      }
      break;
    }
    case VerbClass::Network: {
      for (const auto &obj : s.objects) {
        const kb::NetObjectInfo &info =
            kb::getNetObjectInfo(static_cast<kb::NetObject>(obj.kind));
        // A pathname socket is a file to AppArmor: connecting or sending
        // to it needs 'w' on the path. Denying one socket path denies that
        // path only, not the whole family.
        if (!obj.text.empty())
          addFile(obj.text, PermWrite, s.negated, o).audit = s.audit;
        llvm::StringRef type =
            obj.sockType.empty() ? info.type : llvm::StringRef(obj.sockType);
        // AppArmor 3 cannot select a netlink protocol: a grant of one
        // allows the whole family (said below), and `deny network netlink`
        // for a denial of one would deny what the policy does not.
        if (s.negated && !obj.protocol.empty())
          continue;
        if (obj.text.empty() || !s.negated) {
          if (info.families.empty()) // a type of every family: `network raw`
            addNetwork("", type, s.negated, o, s.audit);
          for (llvm::StringRef fam : info.families)
            addNetwork(fam, type, s.negated, o, s.audit);
        }
      }
      bool onlyPaths = llvm::all_of(
          s.objects, [](const auto &obj) { return !obj.text.empty(); });
      std::string protocols;
      for (const auto &obj : s.objects)
        if (!obj.protocol.empty())
          protocols += (protocols.empty() ? "'" : ", '") + obj.protocol + "'";
      bool onlyProtocols = llvm::all_of(
          s.objects, [](const auto &obj) { return !obj.protocol.empty(); });
      cov.apparmor = Enforcement::Partial;
      if (s.negated && onlyProtocols) {
        cov.apparmor = Enforcement::None;
        cov.apparmorNote = "AppArmor 3 network rules cannot select a netlink "
                           "protocol: the denial is left to seccomp";
      } else if (s.negated && onlyPaths) {
        cov.apparmor = Enforcement::Full;
      } else if (s.useNetwork) {
        // `use network`: every operation, which is what AppArmor's network
        // rules select (but not a netlink protocol, below).
        cov.apparmor =
            protocols.empty() ? Enforcement::Full : Enforcement::Partial;
      } else {
        cov.apparmorNote =
            s.negated ? "AppArmor 3 network rules select family and type "
                        "only: the denial covers every operation on them"
                      : "AppArmor 3 network rules select family and type "
                        "only: they allow every operation, and no port or "
                        "address can be restricted";
      }
      if (!protocols.empty() && !(s.negated && onlyProtocols)) {
        std::string proto =
            s.negated
                ? "it has no rule for netlink protocol " + protocols +
                      ", which AppArmor 3 cannot select"
                : "AppArmor 3 network rules cannot select a netlink "
                  "protocol: they allow every netlink socket, not " +
                      protocols + " alone";
        cov.apparmorNote =
            cov.apparmorNote.empty() ? proto : cov.apparmorNote + "; " + proto;
      }
      // pitfalls A13: where socketcall(2) hides socket's arguments from
      // seccomp, AppArmor's denial is what closes that path.
      if (s.negated && !sockets.kinds.empty() &&
          !sockets.unnarrowedOn.empty() && !onlyProtocols) {
        std::string closes =
            "its 'deny network' rules also close the 'socketcall' path on " +
            kb::formatArchList(sockets.unnarrowedOn) +
            ", which seccomp cannot see";
        cov.apparmorNote =
            cov.apparmorNote.empty() ? closes : cov.apparmorNote + "; " + closes;
      }
      if (s.negated && sockets.kinds.empty()) {
        cov.seccomp = Enforcement::None;
        cov.seccompNote = "seccomp cannot see socket paths; AppArmor alone "
                          "denies this";
      } else if (s.negated && !sockets.conditionalRules) {
        cov.seccomp = Enforcement::None;
        cov.seccompNote =
            "on " + kb::formatArchList(sockets.unnarrowedOn) + " " +
            sockets.alsoArrive(quotedList(sockets.calls)) +
            (onlyProtocols ? std::string("; nothing denies this")
             : protocols.empty()
                 ? std::string("; AppArmor alone denies this")
                 : "; AppArmor alone denies this, except netlink protocol " +
                       protocols + ", which nothing denies");
      } else if (s.negated) {
        cov.seccomp = Enforcement::Partial;
        cov.seccompNote = "denies " + quotedList(sockets.calls) + " for " +
                          describeKinds(sockets.kinds);
        if (!sockets.unnarrowedOn.empty())
          cov.seccompNote +=
              " except on " + kb::formatArchList(sockets.unnarrowedOn) +
              ", where " + sockets.alsoArrive() +
              (onlyProtocols ? std::string(", so nothing denies them there")
               : protocols.empty()
                   ? std::string(", so AppArmor alone denies them there")
                   : ", so AppArmor alone denies them there, except "
                     "netlink protocol " +
                         protocols + ", which nothing denies there");
        cov.seccompNote += "; sockets the process already has (inherited, "
                           "received) are not affected";
      } else {
        cov.seccomp = Enforcement::Partial;
        cov.seccompNote = "allows the " + verbs + " syscalls";
        if (!sockets.calls.empty()) {
          cov.seccompNote += ", " + quotedList(sockets.calls) + " only for " +
                             (sockets.kinds.empty()
                                  ? std::string("no socket")
                                  : describeKinds(sockets.kinds));
          if (!sockets.unnarrowedOn.empty() && !sockets.kinds.empty())
            cov.seccompNote += " (for every socket on " +
                               kb::formatArchList(sockets.unnarrowedOn) +
                               ", where " + sockets.alsoArrive() + ")";
          if (!sockets.denied.empty())
            cov.seccompNote += " (a denial covers " +
                               describeKinds(sockets.denied) + ")";
        }
        cov.seccompNote += "; seccomp cannot see addresses or ports";
      }
      break;
    }
    case VerbClass::Privilege:
      if (s.useAbstraction) {
        for (const auto &obj : s.objects)
          p.abstractions.push_back({obj.text, {o}});
        cov.apparmor = Enforcement::Full;
        cov.seccomp = Enforcement::None;
        cov.seccompNote = "an abstraction is a set of AppArmor rules; seccomp "
                          "grants nothing for it (other statements, such as "
                          "'use runtime', grant the syscalls)";
        break;
      }
      for (const auto &obj : s.objects)
        addCapability(obj.text, s.negated, o, s.audit);
      cov.apparmor = Enforcement::Full;
      cov.seccomp = Enforcement::None;
      cov.seccompNote = "capabilities are not syscalls; seccomp cannot "
                        "restrict them";
      break;
    }
    p.coverage.push_back(std::move(cov));
  }

  FileRule &addFile(const std::string &path, unsigned perms, bool deny,
                    const Origin &o) {
    FileRule r;
    r.path = path;
    r.perms = perms;
    r.deny = deny;
    r.origins.push_back(o);
    p.files.push_back(std::move(r));
    return p.files.back();
  }
  /// One path of a file intent, with its qualifiers and exec transition.
  void addFileObject(const ast::IntentStmt &s,
                     const ast::IntentStmt::Object &obj, unsigned perms,
                     const Origin &o) {
    FileRule &r = addFile(obj.text, perms, s.negated, o);
    r.owner = s.owner;
    r.audit = s.audit;
    using Exec = ast::IntentStmt::Exec;
    switch (obj.execMode) {
    case Exec::Inherit: r.execMode = ExecMode::Inherit; break;
    case Exec::Profile: r.execMode = ExecMode::Profile; break;
    case Exec::Child: r.execMode = ExecMode::Child; break;
    case Exec::Unconfined: r.execMode = ExecMode::Unconfined; break;
    }
    r.execScrub = obj.execScrub;
    r.execTarget = obj.execTarget;
  }
  void addNetwork(llvm::StringRef family, llvm::StringRef type, bool deny,
                  const Origin &o, bool audit = false) {
    NetworkRule r;
    r.family = family.str();
    r.type = type.str();
    r.deny = deny;
    r.audit = audit;
    r.origins.push_back(o);
    p.network.push_back(std::move(r));
  }
  void addCapability(llvm::StringRef name, bool deny, const Origin &o,
                     bool audit = false) {
    CapabilityRule r;
    r.name = name.str();
    r.deny = deny;
    r.audit = audit;
    r.origins.push_back(o);
    p.capabilities.push_back(std::move(r));
  }

  /// Conditional denials `(a[arg] & mask) == mask` made by operations,
  /// which narrowGrantsUnderFlagDenials keeps grants from swallowing.
  struct FlagDenial {
    std::string syscall;
    kb::Arch arch;
    unsigned arg;
    uint64_t mask;
    uint64_t value; ///< the denial is (a[arg] & mask) == value
  };
  std::vector<FlagDenial> flagDenials;
  /// The arches where the last lowerProtDenial could not see `prot`.
  std::vector<kb::Arch> unfilteredProt;

  const sema::CheckedPolicy &cp;
  const sema::CheckedChild *child;
  Policy p;
  /// The arches the statement being lowered applies to.
  std::vector<kb::Arch> stmtArches;
  Action denyAction;
};

} // namespace

ir::Module polc::generateIR(llvm::ArrayRef<sema::CheckedPolicy> policies) {
  ir::Module m;
  for (const sema::CheckedPolicy &cp : policies) {
    Policy p = Generator(cp).run();
    for (const sema::CheckedChild &ch : cp.children) {
      Policy c = Generator(cp, &ch).run();
      for (ir::SyscallRule &r : c.syscalls)
        p.syscalls.push_back(std::move(r));
      for (ir::Coverage &cov : c.coverage)
        p.coverage.push_back(std::move(cov));
      c.syscalls.clear();
      c.coverage.clear();
      p.children.push_back(std::move(c));
    }
    m.policies.push_back(std::move(p));
  }
  return m;
}
