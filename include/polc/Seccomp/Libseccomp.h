//===- Libseccomp.h - BPF and PFC through libseccomp ------------*- C++ -*-===//
#ifndef POLC_SECCOMP_LIBSECCOMP_H
#define POLC_SECCOMP_LIBSECCOMP_H

#include "polc/Seccomp/Program.h"

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace polc::seccomp {

/// Kernel limit on the instructions of one filter (BPF_MAXINSNS).
constexpr size_t MaxFilterInstructions = 4096;

/// The raw `struct sock_filter` array of \p program for all its arches in
/// one filter, as libseccomp generates it (arch check first, x32 numbers
/// rejected in x86_64 sections). Fails if libseccomp refuses a rule or the
/// filter is larger than the kernel accepts.
llvm::Expected<std::vector<uint8_t>> emitBPF(const Program &program);

/// libseccomp's pseudo-filter-code listing of the same filter.
llvm::Expected<std::string> emitPFC(const Program &program);

} // namespace polc::seccomp

#endif
