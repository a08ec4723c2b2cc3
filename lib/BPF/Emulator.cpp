//===- Emulator.cpp -------------------------------------------------------===//
#include "polc/BPF/Emulator.h"

#include <linux/filter.h>

#include <cstring>

using namespace polc;
using namespace polc::bpf;

/// Decodes the raw bytes (8 bytes per instruction; host byte order unless
/// the filter was generated for a big-endian target on this little-endian
/// host).
std::vector<Insn> bpf::decode(llvm::ArrayRef<uint8_t> bytes,
                              bool bigEndianTarget) {
  std::vector<Insn> out(bytes.size() / sizeof(sock_filter));
  for (size_t i = 0; i < out.size(); ++i) {
    sock_filter f;
    std::memcpy(&f, bytes.data() + i * sizeof f, sizeof f);
    if (bigEndianTarget) { // libseccomp writes the target's byte order
      f.code = __builtin_bswap16(f.code);
      f.k = __builtin_bswap32(f.k);
    }
    out[i] = {f.code, f.jt, f.jf, f.k};
  }
  return out;
}

namespace {
/// Every instruction seccomp accepts, by its exact code: the kernel's
/// seccomp_check_filter whitelist (kernel/seccomp.c). An instruction with any
/// other code (BPF_MOD, BPF_IND loads, unknown ALU or jump operations, a
/// known class with stray bits set) makes the kernel refuse the filter.
bool isSeccompCode(uint16_t code) {
  switch (code) {
  case BPF_LD | BPF_W | BPF_ABS:
  case BPF_LD | BPF_W | BPF_LEN:
  case BPF_LDX | BPF_W | BPF_LEN:
  case BPF_RET | BPF_K:
  case BPF_RET | BPF_A:
  case BPF_ALU | BPF_ADD | BPF_K:
  case BPF_ALU | BPF_ADD | BPF_X:
  case BPF_ALU | BPF_SUB | BPF_K:
  case BPF_ALU | BPF_SUB | BPF_X:
  case BPF_ALU | BPF_MUL | BPF_K:
  case BPF_ALU | BPF_MUL | BPF_X:
  case BPF_ALU | BPF_DIV | BPF_K:
  case BPF_ALU | BPF_DIV | BPF_X:
  case BPF_ALU | BPF_AND | BPF_K:
  case BPF_ALU | BPF_AND | BPF_X:
  case BPF_ALU | BPF_OR | BPF_K:
  case BPF_ALU | BPF_OR | BPF_X:
  case BPF_ALU | BPF_XOR | BPF_K:
  case BPF_ALU | BPF_XOR | BPF_X:
  case BPF_ALU | BPF_LSH | BPF_K:
  case BPF_ALU | BPF_LSH | BPF_X:
  case BPF_ALU | BPF_RSH | BPF_K:
  case BPF_ALU | BPF_RSH | BPF_X:
  case BPF_ALU | BPF_NEG:
  case BPF_LD | BPF_IMM:
  case BPF_LDX | BPF_IMM:
  case BPF_MISC | BPF_TAX:
  case BPF_MISC | BPF_TXA:
  case BPF_LD | BPF_MEM:
  case BPF_LDX | BPF_MEM:
  case BPF_ST:
  case BPF_STX:
  case BPF_JMP | BPF_JA:
  case BPF_JMP | BPF_JEQ | BPF_K:
  case BPF_JMP | BPF_JEQ | BPF_X:
  case BPF_JMP | BPF_JGE | BPF_K:
  case BPF_JMP | BPF_JGE | BPF_X:
  case BPF_JMP | BPF_JGT | BPF_K:
  case BPF_JMP | BPF_JGT | BPF_X:
  case BPF_JMP | BPF_JSET | BPF_K:
  case BPF_JMP | BPF_JSET | BPF_X:
    return true;
  default:
    return false;
  }
}

bool isConditionalJump(uint16_t code) {
  return BPF_CLASS(code) == BPF_JMP && BPF_OP(code) != BPF_JA;
}
} // namespace

/// Checks \p prog as the kernel does before accepting it (bpf_check_classic,
/// then seccomp_check_filter); "" if it is valid.
std::string bpf::validate(llvm::ArrayRef<Insn> prog) {
  if (prog.empty())
    return "empty program";
  if (prog.size() > BPF_MAXINSNS)
    return "too many instructions";
  for (size_t pc = 0; pc < prog.size(); ++pc) {
    const Insn &in = prog[pc];
    std::string at = " at " + std::to_string(pc);
    if (!isSeccompCode(in.code))
      return "instruction not allowed in seccomp" + at;
    switch (in.code) {
    case BPF_LD | BPF_W | BPF_ABS:
      if (in.k & 3 || in.k >= sizeof(seccomp_data))
        return "unaligned or out-of-range load" + at;
      break;
    case BPF_ALU | BPF_DIV | BPF_K:
      if (in.k == 0)
        return "division by zero" + at;
      break;
    case BPF_ALU | BPF_LSH | BPF_K:
    case BPF_ALU | BPF_RSH | BPF_K:
      if (in.k >= 32)
        return "shift out of range" + at;
      break;
    case BPF_LD | BPF_MEM:
    case BPF_LDX | BPF_MEM:
    case BPF_ST:
    case BPF_STX:
      if (in.k >= BPF_MEMWORDS)
        return "scratch index out of range" + at;
      break;
    case BPF_JMP | BPF_JA:
      if (in.k >= prog.size() - pc - 1)
        return "jump out of range" + at;
      break;
    default:
      if (isConditionalJump(in.code) && (pc + 1 + in.jt >= prog.size() ||
                                         pc + 1 + in.jf >= prog.size()))
        return "conditional jump out of range" + at;
      break;
    }
  }
  // The kernel's check_load_and_stores: a scratch word is read only where
  // every path to the read has stored it.
  std::vector<uint16_t> masks(prog.size(), 0xffff);
  uint16_t memvalid = 0;
  for (size_t pc = 0; pc < prog.size(); ++pc) {
    const Insn &in = prog[pc];
    memvalid &= masks[pc];
    if (in.code == BPF_ST || in.code == BPF_STX) {
      memvalid |= 1u << in.k;
    } else if (in.code == (BPF_LD | BPF_MEM) || in.code == (BPF_LDX | BPF_MEM)) {
      if (!(memvalid & (1u << in.k)))
        return "read of an unwritten scratch word at " + std::to_string(pc);
    } else if (in.code == (BPF_JMP | BPF_JA)) {
      masks[pc + 1 + in.k] &= memvalid;
      memvalid = 0xffff;
    } else if (isConditionalJump(in.code)) {
      masks[pc + 1 + in.jt] &= memvalid;
      masks[pc + 1 + in.jf] &= memvalid;
      memvalid = 0xffff;
    }
  }
  if (BPF_CLASS(prog.back().code) != BPF_RET)
    return "program does not end in a return";
  return "";
}

/// Runs \p prog on \p data.
Result bpf::run(llvm::ArrayRef<Insn> prog, const seccomp_data &data) {
  Result r;
  r.error = validate(prog);
  if (!r.error.empty())
    return r;
  uint32_t A = 0, X = 0, M[BPF_MEMWORDS] = {};
  unsigned char raw[sizeof(seccomp_data)];
  std::memcpy(raw, &data, sizeof raw);
  auto word = [&](uint32_t off) {
    uint32_t w;
    std::memcpy(&w, raw + off, 4);
    return w;
  };
  // Forward jumps only, so every run ends within prog.size() steps.
  for (size_t pc = 0; pc < prog.size(); ++pc) {
    const Insn &in = prog[pc];
    ++r.executed;
    uint32_t src = BPF_SRC(in.code) == BPF_X ? X : in.k;
    switch (BPF_CLASS(in.code)) {
    case BPF_LD:
      switch (BPF_MODE(in.code)) {
      case BPF_ABS:
        A = word(in.k);
        break;
      case BPF_LEN:
        A = sizeof(seccomp_data);
        break;
      case BPF_IMM:
        A = in.k;
        break;
      case BPF_MEM:
        A = M[in.k];
        break;
      }
      break;
    case BPF_LDX:
      switch (BPF_MODE(in.code)) {
      case BPF_LEN:
        X = sizeof(seccomp_data);
        break;
      case BPF_IMM:
        X = in.k;
        break;
      case BPF_MEM:
        X = M[in.k];
        break;
      }
      break;
    case BPF_ST:
      M[in.k] = A;
      break;
    case BPF_STX:
      M[in.k] = X;
      break;
    case BPF_ALU:
      switch (BPF_OP(in.code)) {
      case BPF_ADD:
        A += src;
        break;
      case BPF_SUB:
        A -= src;
        break;
      case BPF_MUL:
        A *= src;
        break;
      case BPF_DIV:
        if (src == 0) {
          r.ret = 0; // the kernel's classic BPF returns 0
          return r;
        }
        A /= src;
        break;
      case BPF_OR:
        A |= src;
        break;
      case BPF_AND:
        A &= src;
        break;
      case BPF_XOR:
        A ^= src;
        break;
      case BPF_LSH:
        A = src >= 32 ? 0 : A << src;
        break;
      case BPF_RSH:
        A = src >= 32 ? 0 : A >> src;
        break;
      case BPF_NEG:
        A = -A;
        break;
      default:
        r.error = "bad alu op";
        return r;
      }
      break;
    case BPF_JMP: {
      bool taken = false;
      switch (BPF_OP(in.code)) {
      case BPF_JA:
        pc += in.k;
        continue;
      case BPF_JEQ:
        taken = A == src;
        break;
      case BPF_JGT:
        taken = A > src;
        break;
      case BPF_JGE:
        taken = A >= src;
        break;
      case BPF_JSET:
        taken = (A & src) != 0;
        break;
      default:
        r.error = "bad jump op";
        return r;
      }
      pc += taken ? in.jt : in.jf;
      break;
    }
    case BPF_RET:
      r.ret = BPF_RVAL(in.code) == BPF_A ? A : in.k;
      return r;
    case BPF_MISC:
      if (BPF_MISCOP(in.code) == BPF_TAX)
        X = A;
      else
        A = X;
      break;
    }
  }
  r.error = "ran off the end";
  return r;
}

/// seccomp_data for syscall \p nr on \p auditArch, with zero arguments.
seccomp_data bpf::makeData(int nr, uint32_t auditArch,
                           llvm::ArrayRef<uint64_t> args) {
  seccomp_data d;
  std::memset(&d, 0, sizeof d);
  d.nr = nr;
  d.arch = auditArch;
  for (size_t i = 0; i < args.size() && i < 6; ++i)
    d.args[i] = args[i];
  return d;
}
