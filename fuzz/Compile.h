//===- Compile.h - the whole compiler in memory, for the fuzz targets -----===//
#ifndef POLC_FUZZ_COMPILE_H
#define POLC_FUZZ_COMPILE_H

#include "llvm/ADT/StringRef.h"

#include <string>

namespace polc::fuzz {

/// Compiles \p policy through every phase and backend in memory; aborts
/// (a finding) when an emitted filter is one the kernel would refuse or does
/// not run. Returns whether it compiled without errors, and the diagnostics
/// in \p diagnostics when given.
bool compilePolicy(llvm::StringRef policy, std::string *diagnostics = nullptr);

/// Prints \p what and \p input to stderr and aborts: a finding.
[[noreturn]] void fail(const std::string &what, llvm::StringRef input);

} // namespace polc::fuzz

#endif
