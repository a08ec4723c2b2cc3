//===- Conditions.h - argument conditions to seccomp comparisons -*- C++ -*-===//
//
// A condition on syscall arguments, resolved for one syscall on one arch
// against its signature (KB Signatures.def) and constants (Constants.def),
// and lowered to what libseccomp and the OCI format can express: a
// disjunction of conjunctions, each comparing every argument at most once
// (pitfalls S16), 32-bit arguments on their low 32 bits only (S12), and no
// comparison of a pointer (S10) or ordering of a signed 64-bit value (S13);
// a 32-bit argument's comparisons become a set of low-32-bit values,
// emitted as masked equalities on aligned blocks.
//
//===----------------------------------------------------------------------===//
#ifndef POLC_SEMA_CONDITIONS_H
#define POLC_SEMA_CONDITIONS_H

#include "polc/AST/AST.h"
#include "polc/KB/KnowledgeBase.h"
#include "polc/Support/Diagnostics.h"

#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace polc::sema {

/// One comparison seccomp makes: `args[arg] OP value`, or for MaskedEQ
/// `(args[arg] & mask) == value`. IRGen copies it into ir::ArgCmp, the same
/// shape on the IR side of the boundary (Sema may not see IR), where the
/// passes evaluate and compare conditions.
struct ArgTest {
  enum class Op { EQ, NE, LT, LE, GT, GE, MaskedEQ };
  unsigned arg = 0;
  Op op = Op::EQ;
  uint64_t mask = ~uint64_t(0);
  uint64_t value = 0;
  bool operator==(const ArgTest &o) const {
    return arg == o.arg && op == o.op && mask == o.mask && value == o.value;
  }
  bool operator<(const ArgTest &o) const {
    return std::tie(arg, op, mask, value) < std::tie(o.arg, o.op, o.mask, o.value);
  }
};

/// Tests on distinct arguments, sorted by argument; empty means "always".
using Conjunction = llvm::SmallVector<ArgTest, 2>;
/// Conjunctions ORed; empty means "never".
using DNF = std::vector<Conjunction>;

/// Reports one diagnostic; lowering calls it for each problem it finds.
using ConditionReporter =
    std::function<void(DiagID, llvm::SMRange, llvm::ArrayRef<std::string>)>;

/// Lowers \p cond for \p syscall on \p arch. Returns std::nullopt after
/// reporting why it cannot be lowered.
std::optional<DNF> lowerCondition(const ast::Condition &cond,
                                  llvm::StringRef syscall, kb::Arch arch,
                                  const ConditionReporter &report);

} // namespace polc::sema

#endif
