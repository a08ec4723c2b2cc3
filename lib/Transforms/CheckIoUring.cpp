//===- CheckIoUring.cpp - warn when io_uring is allowed -------------------===//
//
// Operations submitted through an io_uring ring (open, read, write, connect,
// ...) never pass through seccomp (pitfalls S23). IRGen denies the io_uring
// syscalls under a permissive default; a policy that allows them gets
// -Wio-uring, once, at the statement that does. Runs before
// remove-default-rules, which would drop an allow equal to the default.
//
//===----------------------------------------------------------------------===//
#include "polc/Transforms/Passes.h"

using namespace polc;
using namespace polc::ir;

namespace {
class CheckIoUringPass : public Pass {
public:
  llvm::StringRef getName() const override { return "check-io-uring"; }
  void run(Policy &p, DiagnosticEngine &diags) override {
    for (const SyscallRule &r : p.syscalls)
      if (r.name == "io_uring_setup" && !r.action.isDenial()) {
        diags.report(DiagID::warn_io_uring, r.origin.loc, r.origin.text);
        return;
      }
  }
};
} // namespace

std::unique_ptr<Pass> polc::createCheckIoUringPass() {
  return std::make_unique<CheckIoUringPass>();
}
