//===- EmulatorTest.cpp - validate() refuses what the kernel refuses ------===//
//
// Regressions found by fuzz/BPFFuzzer.cpp: programs the old validate()
// accepted although the kernel refuses them, on which run() then failed
// (an unknown ALU operation) or read outside the scratch memory.
//
//===----------------------------------------------------------------------===//
#include "polc/BPF/Emulator.h"

#include <linux/filter.h>

#include "gtest/gtest.h"

using namespace polc;

namespace {

bpf::Insn stmt(uint16_t code, uint32_t k) { return {code, 0, 0, k}; }
const bpf::Insn retAllow = stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);

std::string check(std::vector<bpf::Insn> prog) {
  std::string why = bpf::validate(prog);
  bpf::Result r = bpf::run(prog, bpf::makeData(0, 0));
  EXPECT_EQ(r.error, why); // run() refuses exactly what validate() refuses
  return why;
}

TEST(Emulator, RefusesCodesSeccompDoesNotAllow) {
  // fuzz-bpf crash: ALU op 0xf0 was accepted, then run() said "bad alu op".
  EXPECT_EQ(check({stmt(BPF_ALU | 0xf0 | BPF_K, 1), retAllow}),
            "instruction not allowed in seccomp at 0");
  // BPF_MOD is classic BPF, but not in seccomp's whitelist.
  EXPECT_NE(check({stmt(BPF_ALU | BPF_MOD | BPF_K, 3), retAllow}), "");
  // Unknown jump operation; a byte load; a known class with stray bits.
  EXPECT_NE(check({{BPF_JMP | 0x70 | BPF_K, 0, 0, 0}, retAllow}), "");
  EXPECT_NE(check({stmt(BPF_LD | BPF_B | BPF_ABS, 0), retAllow}), "");
  EXPECT_NE(check({stmt(BPF_MISC | 0x08, 0), retAllow}), "");
  EXPECT_NE(check({stmt(BPF_RET | BPF_K | 0x40, 0)}), "");
}

TEST(Emulator, RefusesScratchReadsOutOfRangeOrUnwritten) {
  // M[k] with k >= 16 was read out of bounds.
  EXPECT_EQ(check({stmt(BPF_LD | BPF_MEM, 1000), retAllow}),
            "scratch index out of range at 0");
  EXPECT_EQ(check({stmt(BPF_LDX | BPF_MEM, 16), retAllow}),
            "scratch index out of range at 0");
  // Read before any store, or stored on only one of two paths.
  EXPECT_NE(check({stmt(BPF_LD | BPF_MEM, 3), retAllow}), "");
  EXPECT_NE(check({{BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0},
                   stmt(BPF_ST, 3),
                   stmt(BPF_LD | BPF_MEM, 3), retAllow}),
            "");
  // Stored on every path: accepted, and runs.
  EXPECT_EQ(check({stmt(BPF_LD | BPF_IMM, 7), stmt(BPF_ST, 3),
                   stmt(BPF_LD | BPF_MEM, 3), stmt(BPF_RET | BPF_A, 0)}),
            "");
  EXPECT_EQ(bpf::run({stmt(BPF_LD | BPF_IMM, 7), stmt(BPF_ST, 3),
                      stmt(BPF_LD | BPF_MEM, 3), stmt(BPF_RET | BPF_A, 0)},
                     bpf::makeData(0, 0))
                .ret,
            7u);
}

TEST(Emulator, RefusesShiftsAndDivisionsTheKernelRefuses) {
  EXPECT_NE(check({stmt(BPF_ALU | BPF_LSH | BPF_K, 32), retAllow}), "");
  EXPECT_NE(check({stmt(BPF_ALU | BPF_DIV | BPF_K, 0), retAllow}), "");
  EXPECT_EQ(check({stmt(BPF_ALU | BPF_RSH | BPF_K, 31), retAllow}), "");
}

} // namespace
