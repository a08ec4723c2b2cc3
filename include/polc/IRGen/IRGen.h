//===- IRGen.h - checked AST to IR ------------------------------*- C++ -*-===//
#ifndef POLC_IRGEN_IRGEN_H
#define POLC_IRGEN_IRGEN_H

#include "polc/IR/IR.h"
#include "polc/Sema/Sema.h"

namespace polc {

/// Lowers checked policies to IR: each intent through the verb table of the
/// knowledge base into seccomp syscall rules and AppArmor file, network and
/// capability rules, each with its origin and its coverage record.
ir::Module generateIR(llvm::ArrayRef<sema::CheckedPolicy> policies);

} // namespace polc

#endif
