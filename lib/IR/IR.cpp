//===- IR.cpp - IR printing -----------------------------------------------===//
#include "polc/IR/IR.h"

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
  case Kind::KillThread: return "kill thread";
  case Kind::KillProcess: return "kill process";
  }
  return "?";
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
    os << "  arch";
    for (kb::Arch a : p.arches)
      os << ' ' << kb::getArchInfo(a).name;
    os << "\n  default " << p.defaultAction.str() << "\n";
    for (const SyscallRule &r : p.syscalls)
      os << "  syscall " << r.name << ' ' << r.action.str() << " @"
         << formatLoc(sm, r.origin.loc) << "\n";
    for (const FileRule &r : p.files)
      os << "  file " << (r.deny ? "deny " : "") << r.path << ' '
         << formatPerms(r.perms, r.deny) << " @"
         << formatLoc(sm, r.origins.front().loc) << "\n";
    for (const NetworkRule &r : p.network)
      os << "  network " << (r.deny ? "deny " : "") << r.family
         << (r.type.empty() ? "" : " ") << r.type << " @"
         << formatLoc(sm, r.origins.front().loc) << "\n";
    for (const CapabilityRule &r : p.capabilities)
      os << "  capability " << (r.deny ? "deny " : "") << r.name << " @"
         << formatLoc(sm, r.origins.front().loc) << "\n";
    for (const ArchSyscalls &as : p.folded) {
      os << "  folded " << kb::getArchInfo(as.arch).name << "\n";
      for (const auto &[action, calls] : as.byAction) {
        os << "    " << action.str() << ':';
        for (const auto &[nr, name] : calls)
          os << ' ' << name << '=' << nr;
        os << "\n";
      }
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
