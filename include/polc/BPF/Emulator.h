//===- Emulator.h - a classic-BPF emulator for seccomp filters --*- C++ -*-===//
//
// Runs a seccomp filter (the raw `struct sock_filter` array polc emits) on one
// `struct seccomp_data`, as the kernel would, after checking it the way the
// kernel's bpf_check_classic and seccomp_check_filter do: only the exact
// instruction codes seccomp allows, word loads aligned inside seccomp_data,
// scratch indices in range and scratch words read only after a store on
// every path, forward jumps that stay in the program, and a return at the
// end. A program validate() accepts always runs to a return value. Counts
// the instructions a run executes (the filter's cost on that syscall).
//
//===----------------------------------------------------------------------===//
#ifndef POLC_BPF_EMULATOR_H
#define POLC_BPF_EMULATOR_H

#include "llvm/ADT/ArrayRef.h"

#include <linux/seccomp.h>

#include <cstdint>
#include <string>
#include <vector>

namespace polc::bpf {

struct Insn {
  uint16_t code;
  uint8_t jt, jf;
  uint32_t k;
};

/// Decodes raw bytes (8 per instruction). libseccomp writes a filter for a
/// big-endian target in that byte order: pass \p bigEndianTarget for it.
std::vector<Insn> decode(llvm::ArrayRef<uint8_t> bytes,
                         bool bigEndianTarget = false);

/// Checks \p prog as the kernel does before accepting it; "" if valid.
std::string validate(llvm::ArrayRef<Insn> prog);

/// The result of one run: the filter's return value and how many
/// instructions ran, or why it could not run (then `error` is set).
struct Result {
  uint32_t ret = 0;
  unsigned executed = 0;
  std::string error;
  bool ok() const { return error.empty(); }
  uint32_t action() const { return ret & SECCOMP_RET_ACTION_FULL; }
  uint32_t data() const { return ret & SECCOMP_RET_DATA; }
};

/// Runs \p prog on \p data (validating it first).
Result run(llvm::ArrayRef<Insn> prog, const seccomp_data &data);

/// seccomp_data for syscall \p nr on \p auditArch, with \p args.
seccomp_data makeData(int nr, uint32_t auditArch,
                      llvm::ArrayRef<uint64_t> args = {});

} // namespace polc::bpf

#endif
