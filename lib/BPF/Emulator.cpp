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

/// Checks \p prog as the kernel does before accepting it; "" if it is valid.
std::string bpf::validate(llvm::ArrayRef<Insn> prog) {
  if (prog.empty())
    return "empty program";
  if (prog.size() > BPF_MAXINSNS)
    return "too many instructions";
  for (size_t pc = 0; pc < prog.size(); ++pc) {
    const Insn &in = prog[pc];
    std::string at = " at " + std::to_string(pc);
    switch (BPF_CLASS(in.code)) {
    case BPF_LD:
      if (in.code == (BPF_LD | BPF_W | BPF_ABS)) {
        if (in.k & 3 || in.k >= sizeof(seccomp_data))
          return "unaligned or out-of-range load" + at;
        break;
      }
      if (in.code == (BPF_LD | BPF_W | BPF_LEN) ||
          in.code == (BPF_LD | BPF_IMM) || in.code == (BPF_LD | BPF_MEM))
        break;
      return "load not allowed in seccomp" + at;
    case BPF_LDX:
      if (in.code == (BPF_LDX | BPF_W | BPF_LEN) ||
          in.code == (BPF_LDX | BPF_IMM) || in.code == (BPF_LDX | BPF_MEM))
        break;
      return "ldx not allowed in seccomp" + at;
    case BPF_ST:
    case BPF_STX:
      if (in.k >= BPF_MEMWORDS)
        return "scratch index out of range" + at;
      break;
    case BPF_ALU:
      if (BPF_OP(in.code) == BPF_DIV && BPF_SRC(in.code) == BPF_K && in.k == 0)
        return "division by zero" + at;
      break;
    case BPF_JMP:
      if (BPF_OP(in.code) == BPF_JA) {
        if (in.k >= prog.size() - pc - 1)
          return "jump out of range" + at;
      } else if (pc + 1 + in.jt >= prog.size() ||
                 pc + 1 + in.jf >= prog.size()) {
        return "conditional jump out of range" + at;
      }
      break;
    case BPF_RET:
      if (BPF_RVAL(in.code) != BPF_K && BPF_RVAL(in.code) != BPF_A)
        return "bad return" + at;
      break;
    case BPF_MISC:
      break;
    default:
      return "unknown class" + at;
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
      case BPF_MOD:
        if (src == 0) {
          r.ret = 0;
          return r;
        }
        A %= src;
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
