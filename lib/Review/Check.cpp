//===- Check.cpp ----------------------------------------------------------===//
#include "polc/Review/Check.h"

#include "polc/IR/Glob.h"
#include "polc/KB/KnowledgeBase.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"

#include <set>

using namespace polc;
using namespace polc::review;

namespace {

const llvm::StringMap<llvm::StringRef> &dangerousSyscalls() {
  static const llvm::StringMap<llvm::StringRef> m = {
#define DANGEROUS_SYSCALL(NAME, WHY) {NAME, WHY},
#include "polc/KB/Dangerous.def"
  };
  return m;
}

const llvm::StringMap<llvm::StringRef> &dangerousCaps() {
  static const llvm::StringMap<llvm::StringRef> m = {
#define DANGEROUS_CAP(NAME, WHY) {NAME, WHY},
#include "polc/KB/Dangerous.def"
  };
  return m;
}

/// A comment on the statement's line (after it) or alone on the line above.
/// polc's built-in groups are reviewed with polc, not with each policy.
bool isJustified(const llvm::SourceMgr &sm, llvm::SMLoc loc) {
  if (!loc.isValid())
    return true;
  unsigned buf = sm.FindBufferContainingLoc(loc);
  if (!buf ||
      sm.getMemoryBuffer(buf)->getBufferIdentifier() == kb::BuiltinBufferName)
    return true;
  llvm::StringRef text = sm.getMemoryBuffer(buf)->getBuffer();
  size_t at = loc.getPointer() - text.data();
  size_t lineStart = text.rfind('\n', at);
  lineStart = lineStart == llvm::StringRef::npos ? 0 : lineStart + 1;
  size_t lineEnd = text.find('\n', at);
  llvm::StringRef line = text.slice(lineStart, lineEnd);
  if (line.contains(" #") || line.contains("\t#"))
    return true;
  if (lineStart == 0)
    return false;
  size_t prevStart = text.rfind('\n', lineStart - 1);
  prevStart = prevStart == llvm::StringRef::npos ? 0 : prevStart + 1;
  return text.slice(prevStart, lineStart - 1).ltrim().startswith("#");
}

bool runs(const ir::Action &a) {
  return a.kind == ir::Action::Kind::Allow || a.kind == ir::Action::Kind::Log;
}

} // namespace

void review::lint(const ir::Module &module, DiagnosticEngine &diags) {
  const llvm::SourceMgr &sm = diags.getSourceMgr();
  for (const ir::Policy &p : module.policies) {
    // One finding per statement and syscall.
    std::set<std::pair<const char *, std::string>> seen;
    for (const ir::SyscallRule &r : p.syscalls) {
      if (!runs(r.action))
        continue;
      llvm::StringRef why = dangerousSyscalls().lookup(r.name);
      if (r.name == "ioctl" && !r.conditional)
        why = "reaches every driver's interface: without conditions on the "
              "request, any device the process can open is fully exposed";
      // A filtered personality or unshare is the point of the entry.
      if (r.conditional && (r.name == "personality" || r.name == "unshare"))
        continue;
      if (why.empty() || isJustified(sm, r.origin.detail))
        continue;
      // An intent (`may mount`) is one finding, at its first dangerous
      // syscall: the statement is what needs the comment.
      if (!seen.insert({r.origin.detail.getPointer(),
                        r.origin.isIntent ? std::string() : r.name})
               .second)
        continue;
      diags.report(DiagID::warn_check_unjustified, r.origin.detail, r.name, why);
    }
    for (const ir::CapabilityRule &c : p.capabilities) {
      llvm::StringRef why = dangerousCaps().lookup(c.name);
      if (c.deny || why.empty())
        continue;
      for (const ir::Origin &o : c.origins)
        // Not again for an intent reported at a syscall (`may use bpf`).
        if (!isJustified(sm, o.detail) &&
            !(o.isIntent && seen.count({o.detail.getPointer(), ""})) &&
            seen.insert({o.detail.getPointer(), "cap:" + c.name}).second)
          diags.report(DiagID::warn_check_unjustified, o.detail,
                       "capability " + c.name, why);
    }
    // Writable and executable: one rule with both, or two that overlap.
    constexpr unsigned writes = ir::PermWrite | ir::PermAppend;
    for (const ir::FileRule &x : p.files) {
      if (x.deny || !(x.perms & ir::PermExec))
        continue;
      for (const ir::FileRule &w : p.files) {
        if (w.deny || !(w.perms & writes))
          continue;
        if (&w != &x && !ir::globCovers(w.path, x.path) &&
            !ir::globCovers(x.path, w.path))
          continue;
        diags.report(DiagID::warn_check_write_exec, x.origins.front().detail,
                     x.path, w.path, ir::formatLoc(sm, w.origins.front().detail));
        break;
      }
    }
    lintDirectories(p, diags);
    for (const ir::Policy &c : p.children)
      lintDirectories(c, diags);
    lintSignalReceive(p, diags);
  }
}

/// A profile without `signal (receive) peer=unconfined` (or a receive rule
/// for every peer) cannot be stopped by systemd or `docker stop`: the
/// pinned features mediate signals whether or not the profile has signal
/// rules. Profiles that enforce nothing (`apparmor flags complain`) are
/// left alone.
void review::lintSignalReceive(const ir::Policy &p, DiagnosticEngine &diags) {
  if (llvm::is_contained(p.apparmorFlags, "complain") ||
      llvm::is_contained(p.apparmorFlags, "unconfined"))
    return;
  bool receives = llvm::any_of(p.otherRules, [](const ir::OtherRule &r) {
    llvm::StringRef t(r.text);
    return !r.deny && t.startswith("signal (") && t.contains("receive") &&
           (!t.contains(" peer=") || t.endswith(" peer=unconfined"));
  });
  if (!receives)
    diags.report(DiagID::warn_check_no_signal_receive, p.loc, p.name);
}

/// Directories need the trailing slash (pitfalls A2): `D/**` matches what
/// is below `D/`, never `D/` itself, so reading the tree without listing
/// the directory is the common slip; and a read of `D/` alone lists the
/// directory but reads none of its files.
void review::lintDirectories(const ir::Policy &p, DiagnosticEngine &diags) {
  auto reads = [](const ir::FileRule &r) {
    return !r.deny && (r.perms & ir::PermRead);
  };
  std::set<std::string> reported;
  const llvm::SourceMgr &sm = diags.getSourceMgr();
  for (const ir::FileRule &r : p.files) {
    if (!reads(r))
      continue;
    // polc's built-in groups are reviewed with polc.
    unsigned buf = sm.FindBufferContainingLoc(r.origins.front().detail);
    if (!buf || sm.getMemoryBuffer(buf)->getBufferIdentifier() ==
                    kb::BuiltinBufferName)
      continue;
    llvm::StringRef path(r.path);
    if (path.endswith("/**") && !path.endswith("\\/**")) {
      std::string dir = path.drop_back(2).str(); // "D/"
      if (ir::hasGlobChars(dir) || dir == "/")
        continue;
      bool listed = llvm::any_of(p.files, [&](const ir::FileRule &o) {
        return reads(o) && ir::globCovers(o.path, dir);
      });
      if (!listed && reported.insert(r.path).second)
        diags.report(DiagID::warn_check_dir_glob, r.origins.front().detail,
                     r.path, dir, path.drop_back(3));
    } else if (path.size() > 1 && path.endswith("/") &&
               !ir::hasGlobChars(path)) {
      bool below = llvm::any_of(p.files, [&](const ir::FileRule &o) {
        return reads(o) && o.path.size() > path.size() &&
               llvm::StringRef(o.path).startswith(path);
      });
      if (!below && reported.insert(r.path).second)
        diags.report(DiagID::warn_check_dir_only, r.origins.front().detail,
                     r.path, path.drop_back());
    }
  }
}
