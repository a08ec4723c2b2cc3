//===- CheckMultiplexers.cpp - socketcall and ipc must not swallow denials ===//
//
// On x86, s390x and ppc64le, socket calls also arrive through socketcall(2)
// and System V IPC through ipc(2), whose arguments sit behind a pointer
// (pitfalls S5, S6). A rule for `socket` becomes the direct syscall plus
// "socketcall with first argument SYS_SOCKET" (libseccomp's, and polc's
// masked one: lower-multiplexed-calls); but an unconditional rule for the
// multiplexer itself swallows those, so allowing socketcall while denying
// socket would let socket through socketcall. That is an error at both
// statements: seccomp cannot tell which call socketcall makes.
//
// For the same reason a network intent's grant of socket(2) cannot be
// narrowed to its address families there (IRGen makes it unconditional on
// those arches): a warning, -Wsocketcall, once per statement.
//
//===----------------------------------------------------------------------===//
#include "polc/Transforms/Passes.h"

#include "llvm/ADT/STLExtras.h"

#include <set>

using namespace polc;
using namespace polc::ir;

namespace {
class CheckMultiplexersPass : public Pass {
public:
  llvm::StringRef getName() const override { return "check-multiplexers"; }
  void run(Policy &p, DiagnosticEngine &diags) override {
    std::set<std::pair<const char *, const char *>> reported;
    for (const SyscallRule &mux : p.syscalls) {
      // A conditional rule for the multiplexer is checked against the
      // calls' own multiplexer rules by lower-multiplexed-calls.
      if ((mux.name != "socketcall" && mux.name != "ipc") || mux.conditional)
        continue;
      for (const SyscallRule &r : p.syscalls) {
        if (!r.action.isStricterThan(mux.action))
          continue;
        for (kb::Arch a : p.arches) {
          std::optional<llvm::StringRef> via = kb::getMultiplexer(r.name, a);
          if (!via || *via != mux.name ||
              !reported
                   .insert({mux.origin.detail.getPointer(),
                            r.origin.detail.getPointer()})
                   .second)
            continue;
          diags.report(DiagID::err_multiplexer_conflict, mux.origin.loc,
                       mux.origin.text, mux.name, kb::getArchInfo(a).name,
                       r.name, r.origin.text);
          diags.report(DiagID::note_conflicting_stmt, r.origin.loc);
          break;
        }
      }
    }
    warnUnnarrowed(p, diags);
  }

private:
  /// Socket grants left unconditional on a multiplexing arch, unless the
  /// default allows anyway.
  static void warnUnnarrowed(const Policy &p, DiagnosticEngine &diags) {
    struct Unnarrowed {
      const Origin *origin;
      std::vector<std::string> names;
      std::vector<kb::Arch> arches;
    };
    std::vector<Unnarrowed> byStmt;
    for (const SyscallRule &r : p.syscalls) {
      if (!r.unnarrowed || r.action == p.defaultAction)
        continue;
      auto it = llvm::find_if(byStmt, [&](const Unnarrowed &u) {
        return u.origin->detail == r.origin.detail;
      });
      if (it == byStmt.end())
        it = byStmt.insert(byStmt.end(), Unnarrowed{&r.origin, {}, {}});
      if (!llvm::is_contained(it->names, r.name))
        it->names.push_back(r.name);
      for (const auto &entry : r.numbers)
        if (!llvm::is_contained(it->arches, entry.first))
          it->arches.push_back(entry.first);
    }
    for (const Unnarrowed &u : byStmt) {
      std::string names;
      for (const std::string &n : u.names)
        names += (names.empty() ? "'" : ", '") + n + "'";
      diags.report(DiagID::warn_socket_unnarrowed, u.origin->loc,
                   u.origin->text, names, kb::formatArchList(u.arches));
    }
  }
};
} // namespace

std::unique_ptr<Pass> polc::createCheckMultiplexersPass() {
  return std::make_unique<CheckMultiplexersPass>();
}
