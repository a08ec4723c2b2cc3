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
//===----------------------------------------------------------------------===//
#include "polc/Transforms/Passes.h"

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
  }
};
} // namespace

std::unique_ptr<Pass> polc::createCheckMultiplexersPass() {
  return std::make_unique<CheckMultiplexersPass>();
}
