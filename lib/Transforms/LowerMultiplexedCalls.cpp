//===- LowerMultiplexedCalls.cpp - the socketcall and ipc rules of a call -===//
//
// On x86, s390x and ppc64le the socket calls also arrive through
// socketcall(2) and the System V IPC calls through ipc(2), and some only
// there (accept, send, recv on x86 and s390x; semop on all three;
// semtimedop on x86): pitfalls S5, S6. For every unconditional rule of such
// a call, this pass adds the multiplexer's rule on that arch, with the same
// action and origin, conditional on the call number in the first argument,
// compared on the bits the kernel reads:
//
//   socketcall: (a0 & 0xffffffff) == SYS_ACCEPT   (net/socket.c: int call)
//   ipc:        (a0 & 0xffff) == SEMOP            (ipc/syscall.c: the upper
//                                                  16 bits are a version)
//
// so that a caller cannot dodge a denial with bits the kernel ignores
// (socketcall(0x100000001) is socket() on ppc64le and s390x; ipc(0x10017) is
// shmget on every arch). For a grant the masked compare admits exactly the
// calls the kernel runs as that operation (or, on s390x, fails with EINVAL
// for a nonzero version), so it allows nothing else.
//
// A call with a direct syscall keeps its rule: libseccomp adds its own
// multiplexer rule for it, comparing the call number exactly, which the
// masked rule (same action) subsumes. A call the arch makes only through
// the multiplexer (its number is libseccomp's pseudo-number, IRGen) gets
// the multiplexer's rule alone; the backends emit nothing by the
// pseudo-number.
//
// Runs after deny-over-allow (each call then has one action per arch) and
// check-multiplexers, before remove-default-rules (which drops a
// multiplexer rule with its call's rule). libseccomp lets an unconditional
// rule swallow every conditional rule of the same syscall, whatever the
// actions (pitfalls S17): beside an unconditional multiplexer rule at least
// as strict, no rule is made (it would be dead); beside a weaker one,
// check-multiplexers has reported an error. An unconditional multiplexer
// rule equal to the default action does not count: remove-default-rules
// drops it (with -Wredundant-rule), and libseccomp's own rule for a call
// with a direct syscall would apply the call's action through the
// multiplexer all the same. A conditional rule written for
// the multiplexer itself (`syscall deny ipc if call == 23`) that may match
// the same calls as a call's rule with another action is an error, as
// between any two conditional rules.
//
//===----------------------------------------------------------------------===//
#include "polc/Transforms/Passes.h"

#include <set>

using namespace polc;
using namespace polc::ir;

namespace {
class LowerMultiplexedCallsPass : public Pass {
public:
  llvm::StringRef getName() const override { return "lower-multiplexed-calls"; }

  void run(Policy &p, DiagnosticEngine &diags) override {
    std::set<std::pair<const char *, const char *>> reported;
    std::vector<SyscallRule> out;
    out.reserve(p.syscalls.size());
    for (size_t i = 0; i < p.syscalls.size(); ++i) {
      out.push_back(p.syscalls[i]);
      const SyscallRule &r = p.syscalls[i];
      if (r.conditional)
        continue; // Sema refuses conditions on multiplexed calls
      for (const auto &[arch, nr] : r.numbers) {
        std::optional<kb::MultiplexedCall> m =
            kb::getMultiplexedCall(r.name, arch);
        if (!m)
          continue;
        SyscallRule d{m->multiplexer.str(), r.action, r.origin,
                      {{arch, m->multiplexerNumber}}};
        d.multiplexedCall = r.name;
        d.overrides = r.overrides;
        d.conditional = true;
        d.cond.push_back(ArgCmp{0, ArgCmp::Op::MaskedEQ, m->callMask, m->call});
        if (sweptAside(p, d))
          continue;
        checkOverlaps(p, d, reported, diags);
        out.push_back(std::move(d));
      }
    }
    p.syscalls = std::move(out);
  }

private:
  /// Whether an unconditional rule for the multiplexer on the arch decides
  /// every call of \p d: libseccomp would drop \p d for it anyway. (A weaker
  /// one is check-multiplexers' error.)
  static bool sweptAside(const Policy &p, const SyscallRule &d) {
    return llvm::any_of(p.syscalls, [&](const SyscallRule &u) {
      return !u.conditional && u.name == d.name &&
             u.numbers.count(d.numbers.begin()->first) &&
             u.action != p.defaultAction;
    });
  }

  /// A conditional rule written for the multiplexer that may match the
  /// calls \p d matches, with another action: libseccomp would order them
  /// its own way.
  static void
  checkOverlaps(const Policy &p, const SyscallRule &d,
                std::set<std::pair<const char *, const char *>> &reported,
                DiagnosticEngine &diags) {
    for (const SyscallRule &c : p.syscalls) {
      if (!c.conditional || c.name != d.name || c.numbers != d.numbers ||
          c.action == d.action || !mayOverlap(c.cond, d.cond) ||
          !reported
               .insert({d.origin.detail.getPointer(),
                        c.origin.detail.getPointer()})
               .second)
        continue;
      diags.report(DiagID::err_condition_overlap, d.origin.loc, d.origin.text,
                   c.origin.text, d.name);
      diags.report(DiagID::note_conflicting_stmt, c.origin.loc);
    }
  }
};
} // namespace

std::unique_ptr<Pass> polc::createLowerMultiplexedCallsPass() {
  return std::make_unique<LowerMultiplexedCallsPass>();
}
