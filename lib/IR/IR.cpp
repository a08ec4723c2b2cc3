//===- IR.cpp - IR printing -----------------------------------------------===//
#include "polc/IR/IR.h"

#include <functional>

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

#include <cstring>

using namespace polc;
using namespace polc::ir;

std::string Action::str() const {
  switch (kind) {
  case Kind::Allow: return "allow";
  case Kind::Log: return "log";
  case Kind::Errno: {
    const char *n = strerrorname_np(static_cast<int>(errnoValue));
    return "errno " + (n ? std::string(n) : std::to_string(errnoValue));
  }
  case Kind::Trap: return "trap";
  case Kind::Trace: return "trace " + std::to_string(traceValue);
  case Kind::Notify: return "notify";
  case Kind::KillThread: return "kill thread";
  case Kind::KillProcess: return "kill process";
  }
  return "?";
}

std::string NetworkRule::str() const {
  std::string out = "network";
  for (const std::string *w : {&family, &type})
    if (!w->empty())
      out += " " + *w;
  return out;
}

std::string ir::formatCondition(const ArgCondition &cond) {
  std::string out;
  for (const ArgCmp &c : cond) {
    if (!out.empty())
      out += " && ";
    std::string a = "a" + std::to_string(c.arg);
    std::string v = llvm::utohexstr(c.value, /*LowerCase=*/true);
    switch (c.op) {
    case ArgCmp::Op::EQ: out += a + " == 0x" + v; break;
    case ArgCmp::Op::NE: out += a + " != 0x" + v; break;
    case ArgCmp::Op::LT: out += a + " < 0x" + v; break;
    case ArgCmp::Op::LE: out += a + " <= 0x" + v; break;
    case ArgCmp::Op::GT: out += a + " > 0x" + v; break;
    case ArgCmp::Op::GE: out += a + " >= 0x" + v; break;
    case ArgCmp::Op::MaskedEQ:
      out += "(" + a + " & 0x" + llvm::utohexstr(c.mask, true) + ") == 0x" + v;
      break;
    }
  }
  return out;
}

bool ir::evaluate(const ArgCondition &cond, llvm::ArrayRef<uint64_t> args) {
  for (const ArgCmp &c : cond) {
    uint64_t x = c.arg < args.size() ? args[c.arg] : 0;
    bool ok = false;
    switch (c.op) {
    case ArgCmp::Op::EQ: ok = x == c.value; break;
    case ArgCmp::Op::NE: ok = x != c.value; break;
    case ArgCmp::Op::LT: ok = x < c.value; break;
    case ArgCmp::Op::LE: ok = x <= c.value; break;
    case ArgCmp::Op::GT: ok = x > c.value; break;
    case ArgCmp::Op::GE: ok = x >= c.value; break;
    case ArgCmp::Op::MaskedEQ: ok = (x & c.mask) == c.value; break;
    }
    if (!ok)
      return false;
  }
  return true;
}

bool ir::mayOverlap(const ArgCondition &a, const ArgCondition &b) {
  auto isEq = [](const ArgCmp &c) {
    return c.op == ArgCmp::Op::EQ || c.op == ArgCmp::Op::MaskedEQ;
  };
  auto maskOf = [](const ArgCmp &c) {
    return c.op == ArgCmp::Op::EQ ? ~uint64_t(0) : c.mask;
  };
  for (const ArgCmp &x : a)
    for (const ArgCmp &y : b) {
      if (x.arg != y.arg)
        continue;
      if (isEq(x) && isEq(y) && ((x.value ^ y.value) & maskOf(x) & maskOf(y)))
        return false;
      llvm::SmallVector<uint64_t, 6> args(6, 0);
      args[x.arg] = x.value;
      if (x.op == ArgCmp::Op::EQ && !evaluate({y}, args))
        return false;
      args[y.arg] = y.value;
      if (y.op == ArgCmp::Op::EQ && !evaluate({x}, args))
        return false;
    }
  return true;
}

std::string ir::formatPerms(unsigned perms, bool deny) {
  std::string s;
  if (perms & PermRead) s += 'r';
  if (perms & PermWrite) s += 'w';
  // AppArmor rejects 'w' with 'a'; 'w' includes appending.
  if ((perms & PermAppend) && !(perms & PermWrite)) s += 'a';
  if (perms & PermLink) s += 'l';
  if (perms & PermLock) s += 'k';
  if (perms & PermMap) s += 'm';
  if (perms & PermExec) s += deny ? "x" : "ix";
  return s;
}

std::string ir::formatFilePerms(const FileRule &r) {
  if (r.deny || !(r.perms & PermExec) || r.execMode == ExecMode::Inherit)
    return formatPerms(r.perms, r.deny);
  std::string s = formatPerms(r.perms & ~unsigned(PermExec), r.deny);
  switch (r.execMode) {
  case ExecMode::Inherit: break;
  case ExecMode::Profile: s += r.execScrub ? "Px" : "px"; break;
  case ExecMode::Child: s += r.execScrub ? "Cx" : "cx"; break;
  case ExecMode::Unconfined: s += r.execScrub ? "Ux" : "ux"; break;
  }
  if (!r.execTarget.empty())
    s += " -> " + r.execTarget;
  return s;
}

std::string ir::describeExec(const FileRule &r) {
  std::string keep = r.execScrub ? "" : " keep environment";
  switch (r.execMode) {
  case ExecMode::Inherit: return "inherit";
  case ExecMode::Profile: return "profile " + r.execTarget + keep;
  case ExecMode::Child: return "child " + r.execTarget + keep;
  case ExecMode::Unconfined: return "unconfined" + keep;
  }
  return "?";
}

std::string ir::formatLoc(const llvm::SourceMgr &sm, llvm::SMLoc loc) {
  unsigned id = sm.FindBufferContainingLoc(loc);
  if (!id)
    return "";
  return (llvm::sys::path::filename(
              sm.getMemoryBuffer(id)->getBufferIdentifier()) +
          ":" + llvm::Twine(sm.getLineAndColumn(loc, id).first))
      .str();
}

static const char *enforcementName(Enforcement e) {
  switch (e) {
  case Enforcement::Full: return "full";
  case Enforcement::Partial: return "partial";
  case Enforcement::None: return "none";
  }
  return "?";
}

void ir::dump(const Module &module, const llvm::SourceMgr &sm,
              llvm::raw_ostream &os) {
  for (const Policy &p : module.policies) {
    os << "policy " << p.name << " @" << formatLoc(sm, p.loc) << "\n";
    if (p.attach)
      os << "  attach " << *p.attach << "\n";
    if (!p.apparmorFlags.empty())
      os << "  apparmor flags " << llvm::join(p.apparmorFlags, ", ") << "\n";
    os << "  arch";
    for (kb::Arch a : p.arches)
      os << ' ' << kb::getArchInfo(a).name;
    os << "\n  default " << p.defaultAction.str() << "\n";
    if (p.badArchLoc.isValid())
      os << "  default arch " << p.badArchAction.str() << "\n";
    if (p.baseline)
      os << "  baseline kernel " << p.baseline->str() << "\n";
    for (const SyscallRule &r : p.syscalls) {
      os << "  syscall " << r.name << ' ' << r.action.str();
      if (r.conditional)
        os << " on " << kb::getArchInfo(r.numbers.begin()->first).name
           << " if " << formatCondition(r.cond);
      if (!r.multiplexedCall.empty())
        os << " for " << r.multiplexedCall;
      // A baseline rule, or a socket grant polc cannot narrow, for some of
      // the arches where the syscall exists.
      if ((r.fromBaseline || r.unnarrowed) &&
          llvm::any_of(p.arches, [&](kb::Arch a) {
            return !r.numbers.count(a) && kb::resolveSyscall(r.name, a);
          })) {
        os << " on";
        const char *sep = " ";
        for (const auto &[arch, nr] : r.numbers) {
          os << sep << kb::getArchInfo(arch).name;
          sep = ", ";
        }
      }
      os << " @" << formatLoc(sm, r.origin.loc) << "\n";
    }
    // The AppArmor rules of the policy, then of each child profile.
    std::function<void(const Policy &, llvm::StringRef)> rules =
        [&](const Policy &q, llvm::StringRef in) {
          for (const FileRule &r : q.files)
            os << in << "file " << (r.audit ? "audit " : "")
               << (r.deny ? "deny " : "") << (r.owner ? "owner " : "")
               << r.path << ' ' << formatFilePerms(r) << " @"
               << formatLoc(sm, r.origins.front().loc) << "\n";
          for (const NetworkRule &r : q.network)
            os << in << "network " << (r.audit ? "audit " : "")
               << (r.deny ? "deny " : "")
               << llvm::StringRef(r.str()).substr(strlen("network "))
               << " @"
               << formatLoc(sm, r.origins.front().loc) << "\n";
          for (const AbstractionRule &r : q.abstractions)
            os << in << "abstraction " << r.name << " @"
               << formatLoc(sm, r.origins.front().loc) << "\n";
          for (const CapabilityRule &r : q.capabilities)
            os << in << "capability " << (r.audit ? "audit " : "")
               << (r.deny ? "deny " : "") << r.name
               << " @" << formatLoc(sm, r.origins.front().loc) << "\n";
          for (const OtherRule &r : q.otherRules)
            os << in << "rule " << (r.audit ? "audit " : "")
               << (r.deny ? "deny " : "") << r.text
               << (r.execPath.empty() ? "" : " on exec " + r.execPath)
               << " @"
               << formatLoc(sm, r.origins.front().loc) << "\n";
          for (const Policy &c : q.children) {
            os << in << (c.hat ? "hat " : "child ") << c.name << " @"
               << formatLoc(sm, c.loc)
               << "\n";
            rules(c, (in + "  ").str());
          }
        };
    rules(p, "  ");
    for (const ArchSyscalls &as : p.folded) {
      os << "  folded " << kb::getArchInfo(as.arch).name << "\n";
      for (const auto &[action, calls] : as.byAction) {
        os << "    " << action.str() << ':';
        for (const auto &[nr, name] : calls) {
          os << ' ' << name << '=';
          // A call the arch makes only through socketcall/ipc: its rule is
          // the multiplexer's, listed below.
          std::optional<kb::MultiplexedCall> m;
          if (nr < 0 && (m = kb::getMultiplexedCall(name, as.arch)))
            os << m->multiplexer << '(' << m->call << ')';
          else
            os << nr;
        }
        os << "\n";
      }
      for (const auto &c : as.conditional)
        os << "    " << c.action.str() << ": " << c.name << '=' << c.nr
           << " if " << formatCondition(c.cond) << "\n";
    }
    for (const Coverage &c : p.coverage) {
      os << "  enforce @" << formatLoc(sm, c.origin.detail) << " '"
         << c.origin.text << "' seccomp=" << enforcementName(c.seccomp)
         << " apparmor=" << enforcementName(c.apparmor) << "\n";
      if (!c.seccompNote.empty())
        os << "    seccomp: " << c.seccompNote << "\n";
      if (!c.apparmorNote.empty())
        os << "    apparmor: " << c.apparmorNote << "\n";
    }
  }
}
