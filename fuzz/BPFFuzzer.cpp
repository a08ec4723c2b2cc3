//===- BPFFuzzer.cpp - the BPF emulator on arbitrary programs and data ----===//
//
// Input: one flag byte, a struct seccomp_data (64 bytes), then the program,
// 8 bytes per instruction (as bpf::decode reads a filter file). Flag bit 0
// decodes the program big-endian; bit 1 "repairs" it so that more programs
// get past validation: jumps are folded into range and the last instruction
// becomes a return.
//
// What must hold: validate() and run() return, whatever the bytes; a program
// validate() accepts runs to a result (never an error) within as many steps
// as it has instructions; a program it refuses is refused by run() with the
// same reason.
//
//===----------------------------------------------------------------------===//
#include "polc/BPF/Emulator.h"

#include <linux/filter.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

using namespace polc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 + sizeof(seccomp_data))
    return 0;
  uint8_t flags = data[0];
  seccomp_data sd;
  std::memcpy(&sd, data + 1, sizeof sd);
  llvm::ArrayRef<uint8_t> code(data + 1 + sizeof sd, size - 1 - sizeof sd);
  std::vector<bpf::Insn> prog = bpf::decode(code, flags & 1);
  if (prog.size() != code.size() / 8)
    abort();
  if (flags & 2 && !prog.empty()) {
    for (size_t pc = 0; pc < prog.size(); ++pc) {
      bpf::Insn &in = prog[pc];
      size_t room = prog.size() - pc - 1; // instructions after this one
      if (BPF_CLASS(in.code) != BPF_JMP || room == 0)
        continue;
      if (BPF_OP(in.code) == BPF_JA)
        in.k %= room;
      in.jt %= room;
      in.jf %= room;
    }
    prog.back().code = BPF_RET | BPF_K;
  }
  std::string why = bpf::validate(prog);
  bpf::Result r = bpf::run(prog, sd);
  if (!why.empty()) {
    if (r.error != why) {
      fprintf(stderr, "validate: '%s' but run: '%s'\n", why.c_str(),
              r.error.c_str());
      abort();
    }
    return 0;
  }
  if (!r.ok()) {
    fprintf(stderr, "a valid program did not run to a result: %s\n",
            r.error.c_str());
    abort();
  }
  if (r.executed == 0 || r.executed > prog.size()) {
    fprintf(stderr, "%u instructions executed of %zu\n", r.executed,
            prog.size());
    abort();
  }
  return 0;
}
