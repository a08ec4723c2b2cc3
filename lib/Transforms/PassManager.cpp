//===- PassManager.cpp - the pipeline of Passes.def -----------------------===//
#include "polc/Transforms/Passes.h"

using namespace polc;

std::vector<std::unique_ptr<Pass>> polc::createDefaultPipeline() {
  std::vector<std::unique_ptr<Pass>> passes;
#define PASS(NAME, CLASS, DESCRIPTION) passes.push_back(create##CLASS());
#include "polc/Transforms/Passes.def"
  return passes;
}

void polc::runPasses(ir::Module &module, DiagnosticEngine &diags) {
  auto passes = createDefaultPipeline();
  for (ir::Policy &p : module.policies)
    for (auto &pass : passes) {
      pass->run(p, diags);
      if (pass->runsOnChildren())
        for (ir::Policy &child : p.children)
          pass->run(child, diags);
    }
}
