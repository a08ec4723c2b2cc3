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
};

#define PASS(NAME, CLASS, DESCRIPTION) std::unique_ptr<Pass> create##CLASS();
#include "polc/Transforms/Passes.def"

/// Every pass of Passes.def, in pipeline order.
std::vector<std::unique_ptr<Pass>> createDefaultPipeline();

/// Runs the default pipeline on every policy of \p module.
void runPasses(ir::Module &module, DiagnosticEngine &diags);

} // namespace polc

#endif
