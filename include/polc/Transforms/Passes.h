//===- Passes.h - IR passes -------------------------------------*- C++ -*-===//
#ifndef POLC_TRANSFORMS_PASSES_H
#define POLC_TRANSFORMS_PASSES_H

#include "polc/IR/IR.h"
#include "polc/Support/Diagnostics.h"

#include <memory>
#include <vector>

namespace polc {

/// A transformation or check over one policy's IR.
class Pass {
public:
  virtual ~Pass() = default;
  virtual llvm::StringRef getName() const = 0;
  virtual void run(ir::Policy &policy, DiagnosticEngine &diags) = 0;
  /// Whether the pass also runs on each of a policy's child profiles
  /// (ir::Policy::children), right after the policy: a pass over AppArmor
  /// rules (files, network, capabilities) treats a child's rules as it
  /// treats the policy's. A child holds no syscall rules (its grants' are
  /// in the policy's filter), so the syscall passes run on the policy only.
  virtual bool runsOnChildren() const { return false; }
};

#define PASS(NAME, CLASS, DESCRIPTION) std::unique_ptr<Pass> create##CLASS();
#include "polc/Transforms/Passes.def"

/// Every pass of Passes.def, in pipeline order.
std::vector<std::unique_ptr<Pass>> createDefaultPipeline();

/// Runs the default pipeline on every policy of \p module, and the passes
/// that say so on each child profile of it.
void runPasses(ir::Module &module, DiagnosticEngine &diags);

} // namespace polc

#endif
