//===- SeccompTest.cpp - lowering, OCI JSON, BPF and PFC ------------------===//
#include "polc/BPF/Emulator.h"

#include <linux/audit.h>
#include <linux/filter.h>

#include "polc/Seccomp/Libseccomp.h"
#include "polc/Seccomp/OCIJSON.h"
#include "polc/Seccomp/Program.h"
#include "polc/Transforms/Passes.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"

#include "gtest/gtest.h"

#include <set>

#include <cerrno>

using namespace polc;
using namespace polc::seccomp;
using polc::ir::Action;
using polc::kb::Arch;
namespace bt = polc::bpf;

namespace {

#ifndef AUDIT_ARCH_RISCV64
#define AUDIT_ARCH_RISCV64 0xC00000F3u
#endif
constexpr int X32Bit = 0x40000000;

/// The AUDIT_ARCH_* value the kernel puts in seccomp_data.arch.
uint32_t auditArch(Arch a) {
  switch (a) {
  case Arch::X86_64:
    return AUDIT_ARCH_X86_64;
  case Arch::X86:
    return AUDIT_ARCH_I386;
  case Arch::X32:
    return AUDIT_ARCH_X86_64; // x32 numbers carry the x32 bit
  case Arch::AArch64:
    return AUDIT_ARCH_AARCH64;
  case Arch::Arm:
    return AUDIT_ARCH_ARM;
  case Arch::RiscV64:
    return AUDIT_ARCH_RISCV64;
  case Arch::PPC64LE:
    return AUDIT_ARCH_PPC64LE;
  case Arch::S390X:
    return AUDIT_ARCH_S390X;
  }
  return 0;
}

Action kill() { return {Action::Kind::KillProcess, 0}; }
Action killThread() { return {Action::Kind::KillThread, 0}; }
Action trap() { return {Action::Kind::Trap, 0}; }
Action log() { return {Action::Kind::Log, 0}; }

int nr(llvm::StringRef name, Arch a) {
  std::optional<int> n = kb::resolveSyscall(name, a);
  EXPECT_TRUE(n.has_value())
      << name.str() << " on " << kb::getArchInfo(a).name.str();
  return n.value_or(-1);
}

/// An IR policy with rules resolved on \p arches, folded as the pipeline
/// would fold it.
struct PolicyBuilder {
  ir::Policy p;
  PolicyBuilder(std::vector<Arch> arches, Action def) {
    p.name = "t";
    p.arches = std::move(arches);
    p.defaultAction = def;
  }
  PolicyBuilder &add(llvm::StringRef name, Action a) {
    ir::SyscallRule r;
    r.name = name.str();
    r.action = a;
    for (Arch arch : p.arches)
      if (std::optional<int> n = kb::resolveSyscall(name, arch))
        r.numbers[arch] = *n;
    p.syscalls.push_back(std::move(r));
    return *this;
  }
  Program lower() {
    llvm::SourceMgr sm;
    std::string out;
    llvm::raw_string_ostream os(out);
    DiagnosticEngine diags(sm, os);
    createFoldSyscallsPass()->run(p, diags);
    EXPECT_EQ(out, "");
    return lowerToSeccomp(p);
  }
};

std::vector<bt::Insn> bpfOf(const Program &prog, bool bigEndian = false) {
  llvm::Expected<std::vector<uint8_t>> bytes = emitBPF(prog);
  if (!bytes) {
    ADD_FAILURE() << llvm::toString(bytes.takeError());
    return {};
  }
  EXPECT_FALSE(bytes->empty());
  EXPECT_EQ(bytes->size() % 8, 0u);
  std::vector<bt::Insn> insns = bt::decode(*bytes, bigEndian);
  EXPECT_EQ(bt::validate(insns), "");
  return insns;
}

/// The filter's verdict for syscall \p nr on \p arch.
uint32_t verdict(const std::vector<bt::Insn> &prog, int nr, uint32_t arch) {
  bt::Result r = bt::run(prog, bt::makeData(nr, arch));
  EXPECT_TRUE(r.ok()) << r.error;
  return r.ret;
}

std::string hex(uint32_t v) { return "0x" + llvm::utohexstr(v); }

#define EXPECT_VERDICT(prog, nr, arch, want)                                   \
  EXPECT_EQ(hex(verdict(prog, nr, arch)), hex(want))                           \
      << "nr " << (nr) << " arch " << hex(arch)

//===----------------------------------------------------------------------===//
// The interpreter itself.
//===----------------------------------------------------------------------===//

void BPFInterpreter_RunsAHandWrittenFilter() {
  // ld arch; jeq X86_64 ? next : kill; ld nr; jeq 2 ? errno(5) : allow
  std::vector<bt::Insn> prog = {
      {BPF_LD | BPF_W | BPF_ABS, 0, 0, 4},
      {BPF_JMP | BPF_JEQ | BPF_K, 1, 0, AUDIT_ARCH_X86_64},
      {BPF_RET | BPF_K, 0, 0, SECCOMP_RET_KILL_PROCESS},
      {BPF_LD | BPF_W | BPF_ABS, 0, 0, 0},
      {BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 2},
      {BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ERRNO | 5},
      {BPF_JMP | BPF_JA, 0, 0, 0},
      {BPF_ALU | BPF_AND | BPF_K, 0, 0, 0},
      {BPF_RET | BPF_A, 0, 0, 0},
  };
  EXPECT_EQ(bt::validate(prog), "");
  EXPECT_VERDICT(prog, 2, AUDIT_ARCH_X86_64, SECCOMP_RET_ERRNO | 5);
  EXPECT_VERDICT(prog, 3, AUDIT_ARCH_X86_64, 0u);
  EXPECT_VERDICT(prog, 2, AUDIT_ARCH_AARCH64, SECCOMP_RET_KILL_PROCESS);
}

void BPFInterpreter_RejectsWhatTheKernelRejects() {
  bt::Insn ret = {BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ALLOW};
  EXPECT_NE(bt::validate({}), "");
  EXPECT_NE(bt::validate({{BPF_LD | BPF_W | BPF_ABS, 0, 0, 2}, ret}), "");
  EXPECT_NE(bt::validate({{BPF_LD | BPF_W | BPF_ABS, 0, 0, 64}, ret}), "");
  EXPECT_NE(bt::validate({{BPF_LD | BPF_B | BPF_ABS, 0, 0, 0}, ret}), "");
  EXPECT_NE(bt::validate({{BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 0}, ret}), "");
  EXPECT_NE(bt::validate({{BPF_JMP | BPF_JA, 0, 0, 1}, ret}), "");
  EXPECT_NE(bt::validate({{BPF_LD | BPF_W | BPF_ABS, 0, 0, 0}}), "");
  EXPECT_EQ(bt::validate({{BPF_LD | BPF_W | BPF_ABS, 0, 0, 60}, ret}), "");
}

//===----------------------------------------------------------------------===//
// Lowering.
//===----------------------------------------------------------------------===//

void LowerToSeccomp_SectionsInArchOrderRulesByNumber() {
  Program prog =
      PolicyBuilder({Arch::AArch64, Arch::X86_64}, Action::errno_(EPERM))
          .add("write", Action::allow())
          .add("ptrace", kill())
          .add("read", Action::allow())
          .add("mkdir", Action::errno_(EACCES))
          .add("open", Action::allow())
          .lower();
  EXPECT_EQ(prog.name, "t");
  EXPECT_EQ(prog.defaultAction, Action::errno_(EPERM));
  EXPECT_EQ(prog.badArchAction, kill());
  ASSERT_EQ(prog.sections.size(), 2u);
  EXPECT_EQ(prog.sections[0].arch, Arch::AArch64);
  EXPECT_EQ(prog.sections[1].arch, Arch::X86_64);

  // x86_64: read 0, write 1, open 2, mkdir 83, ptrace 101.
  const auto &x = prog.sections[1].rules;
  ASSERT_EQ(x.size(), 5u);
  const char *names[] = {"read", "write", "open", "mkdir", "ptrace"};
  const int nrs[] = {0, 1, 2, 83, 101};
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(x[i].name, names[i]);
    EXPECT_EQ(x[i].nr, nrs[i]);
  }
  EXPECT_EQ(x[3].action, Action::errno_(EACCES));
  EXPECT_EQ(x[4].action, kill());

  // aarch64 has neither open nor mkdir; its numbers are its own.
  const auto &a = prog.sections[0].rules;
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a[0].name, "read");
  EXPECT_EQ(a[0].nr, 63);
  EXPECT_EQ(a[1].name, "write");
  EXPECT_EQ(a[1].nr, 64);
  EXPECT_EQ(a[2].name, "ptrace");
  EXPECT_EQ(a[2].nr, nr("ptrace", Arch::AArch64));
  for (const auto &s : prog.sections)
    EXPECT_TRUE(std::is_sorted(
        s.rules.begin(), s.rules.end(),
        [](const Rule &l, const Rule &r) { return l.nr < r.nr; }));
}

void LowerToSeccomp_WithoutFoldingThereAreNoSections() {
  ir::Policy p;
  p.name = "unfolded";
  p.arches = {Arch::X86_64};
  Program prog = lowerToSeccomp(p);
  EXPECT_EQ(prog.name, "unfolded");
  EXPECT_TRUE(prog.sections.empty());
}

//===----------------------------------------------------------------------===//
// OCI JSON.
//===----------------------------------------------------------------------===//

const llvm::json::Object &obj(const llvm::json::Value &v) {
  static const llvm::json::Object empty;
  const llvm::json::Object *o = v.getAsObject();
  EXPECT_NE(o, nullptr);
  return o ? *o : empty;
}

std::vector<std::string> strings(const llvm::json::Value *v) {
  std::vector<std::string> out;
  if (!v || !v->getAsArray()) {
    ADD_FAILURE() << "not an array";
    return out;
  }
  for (const llvm::json::Value &e : *v->getAsArray())
    out.push_back(e.getAsString().getValueOr("<not a string>").str());
  return out;
}

std::optional<int64_t> intOf(const llvm::json::Object &o, llvm::StringRef key) {
  if (llvm::Optional<int64_t> v = o.getInteger(key))
    return *v;
  return std::nullopt;
}

std::vector<std::string> keys(const llvm::json::Object &o) {
  std::vector<std::string> out;
  for (const auto &kv : o)
    out.push_back(kv.first.str());
  std::sort(out.begin(), out.end());
  return out;
}

void OCIJSON_ActionNames() {
  EXPECT_EQ(getOCIActionName(Action::allow()), "SCMP_ACT_ALLOW");
  EXPECT_EQ(getOCIActionName(log()), "SCMP_ACT_LOG");
  EXPECT_EQ(getOCIActionName(Action::errno_(1)), "SCMP_ACT_ERRNO");
  EXPECT_EQ(getOCIActionName(trap()), "SCMP_ACT_TRAP");
  EXPECT_EQ(getOCIActionName(killThread()), "SCMP_ACT_KILL_THREAD");
  // Not SCMP_ACT_KILL, which OCI runtimes read as kill-thread.
  EXPECT_EQ(getOCIActionName(kill()), "SCMP_ACT_KILL_PROCESS");
}

void OCIJSON_ShapeOrderAndErrnoRet() {
  Program prog = PolicyBuilder({Arch::X86_64, Arch::AArch64, Arch::X86},
                               Action::errno_(EPERM))
                     .add("write", Action::allow())
                     .add("read", Action::allow())
                     .add("close", Action::allow())
                     .add("open", Action::allow()) // not on aarch64
                     .add("ptrace", kill())
                     .add("mkdir", Action::errno_(EACCES))
                     .add("rmdir", Action::errno_(EROFS))
                     .add("kexec_load", killThread())
                     .add("uselib", trap())
                     .add("getpid", log())
                     .lower();
  llvm::json::Value v = toOCIJSON(prog);
  const llvm::json::Object &root = obj(v);
  EXPECT_EQ(keys(root),
            (std::vector<std::string>{"architectures", "defaultAction",
                                      "defaultErrnoRet", "syscalls"}));
  EXPECT_EQ(root.getString("defaultAction"), llvm::StringRef("SCMP_ACT_ERRNO"));
  EXPECT_EQ(intOf(root, "defaultErrnoRet"), EPERM);
  EXPECT_EQ(strings(root.get("architectures")),
            (std::vector<std::string>{"SCMP_ARCH_X86_64", "SCMP_ARCH_AARCH64",
                                      "SCMP_ARCH_X86"}));

  const llvm::json::Array *sc = root.getArray("syscalls");
  ASSERT_NE(sc, nullptr);
  struct Want {
    const char *action;
    std::optional<int64_t> errnoRet;
    std::vector<std::string> names;
  };
  // Precedence order: allow, log, errno (by value), trap, kill thread, kill.
  // The newest syscall of each arch, with the default action, keeps runc's
  // ENOSYS stub above it.
  std::set<std::string> newest;
  for (Arch a : {Arch::X86_64, Arch::AArch64, Arch::X86})
    newest.insert(polc::kb::getNewestSyscall(a).str());
  std::vector<Want> want = {
      {"SCMP_ACT_ALLOW", std::nullopt, {"close", "open", "read", "write"}},
      {"SCMP_ACT_LOG", std::nullopt, {"getpid"}},
      {"SCMP_ACT_ERRNO", EPERM, {newest.begin(), newest.end()}},
      {"SCMP_ACT_ERRNO", EACCES, {"mkdir"}},
      {"SCMP_ACT_ERRNO", EROFS, {"rmdir"}},
      {"SCMP_ACT_TRAP", std::nullopt, {"uselib"}},
      {"SCMP_ACT_KILL_THREAD", std::nullopt, {"kexec_load"}},
      {"SCMP_ACT_KILL_PROCESS", std::nullopt, {"ptrace"}},
  };
  ASSERT_EQ(sc->size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE(i);
    const llvm::json::Object &o = obj((*sc)[i]);
    EXPECT_EQ(o.getString("action"), llvm::StringRef(want[i].action));
    EXPECT_EQ(strings(o.get("names")), want[i].names);
    EXPECT_EQ(intOf(o, "errnoRet"), want[i].errnoRet);
    std::vector<std::string> k = {"action", "names"};
    if (want[i].errnoRet)
      k = {"action", "errnoRet", "names"};
    EXPECT_EQ(keys(o), k);
  }
}

void OCIJSON_NoErrnoRetWithoutErrnoDefault() {
  for (Action def : {Action::allow(), kill(), log(), trap()}) {
    Program prog = PolicyBuilder({Arch::X86_64}, def)
                       .add("mkdir", Action::errno_(0))
                       .lower();
    llvm::json::Value v = toOCIJSON(prog);
    const llvm::json::Object &root = obj(v);
    EXPECT_EQ(root.getString("defaultAction"), getOCIActionName(def));
    EXPECT_EQ(root.get("defaultErrnoRet"), nullptr) << def.str();
    const llvm::json::Array *sc = root.getArray("syscalls");
    ASSERT_NE(sc, nullptr);
    // Plus, unless the default allows, the newest syscall with the default.
    ASSERT_EQ(sc->size(), def == Action::allow() ? 1u : 2u);
    // errno 0 is still an errno action, and says so; no other entry has an
    // errnoRet.
    for (const llvm::json::Value &e : *sc) {
      bool isMkdir = strings(obj(e).get("names")) == std::vector<std::string>{"mkdir"};
      EXPECT_EQ(intOf(obj(e), "errnoRet"),
                isMkdir ? std::optional<int64_t>(0) : std::nullopt);
    }
  }
}

void OCIJSON_EmptyPolicyHasEmptySyscallList() {
  Program prog = PolicyBuilder({Arch::AArch64}, Action::allow()).lower();
  llvm::json::Value v = toOCIJSON(prog);
  const llvm::json::Object &root = obj(v);
  ASSERT_NE(root.getArray("syscalls"), nullptr);
  EXPECT_TRUE(root.getArray("syscalls")->empty());
  EXPECT_EQ(strings(root.get("architectures")),
            std::vector<std::string>{"SCMP_ARCH_AARCH64"});
}

void OCIJSON_SerializesDeterministically() {
  auto make = [] {
    return PolicyBuilder({Arch::X86_64, Arch::X86}, Action::errno_(EPERM))
        .add("write", Action::allow())
        .add("read", Action::allow())
        .add("socketcall", Action::allow()) // x86 only
        .lower();
  };
  std::string a, b;
  llvm::raw_string_ostream(a) << toOCIJSON(make());
  llvm::raw_string_ostream(b) << toOCIJSON(make());
  EXPECT_EQ(a, b);
  EXPECT_NE(a.find("\"names\":[\"read\",\"socketcall\",\"write\"]"),
            std::string::npos)
      << a;
}

//===----------------------------------------------------------------------===//
// BPF through libseccomp, run in the interpreter.
//===----------------------------------------------------------------------===//

void EmitBPF_FirstInstructionLoadsArch() {
  Program prog = PolicyBuilder({Arch::X86_64}, Action::errno_(EPERM))
                     .add("read", Action::allow())
                     .lower();
  llvm::Expected<std::vector<uint8_t>> bytes = emitBPF(prog);
  ASSERT_TRUE(static_cast<bool>(bytes)) << llvm::toString(bytes.takeError());
  ASSERT_FALSE(bytes->empty());
  EXPECT_EQ(bytes->size() % 8, 0u);
  EXPECT_LE(bytes->size() / 8, MaxFilterInstructions);
  std::vector<bt::Insn> insns = bt::decode(*bytes);
  EXPECT_EQ(insns[0].code, BPF_LD | BPF_W | BPF_ABS);
  EXPECT_EQ(insns[0].code, 0x20);
  EXPECT_EQ(insns[0].k, offsetof(seccomp_data, arch));
  EXPECT_EQ(insns[0].k, 4u);
  EXPECT_EQ(bt::validate(insns), "");
}

void EmitBPF_VerdictsOnX86_64() {
  Program prog = PolicyBuilder({Arch::X86_64}, Action::errno_(EPERM))
                     .add("read", Action::allow())
                     .add("write", Action::allow())
                     .add("mkdir", Action::errno_(EACCES))
                     .add("ptrace", kill())
                     .add("kexec_load", killThread())
                     .add("uselib", trap())
                     .add("getpid", log())
                     .lower();
  std::vector<bt::Insn> f = bpfOf(prog);
  ASSERT_FALSE(f.empty());
  const uint32_t X = AUDIT_ARCH_X86_64;
  EXPECT_VERDICT(f, 0, X, SECCOMP_RET_ALLOW);           // read
  EXPECT_VERDICT(f, 1, X, SECCOMP_RET_ALLOW);           // write
  EXPECT_VERDICT(f, 83, X, SECCOMP_RET_ERRNO | EACCES); // mkdir
  EXPECT_VERDICT(f, 101, X, SECCOMP_RET_KILL_PROCESS);  // ptrace
  EXPECT_VERDICT(f, nr("kexec_load", Arch::X86_64), X, SECCOMP_RET_KILL_THREAD);
  EXPECT_VERDICT(f, nr("uselib", Arch::X86_64), X, SECCOMP_RET_TRAP);
  EXPECT_VERDICT(f, 39, X, SECCOMP_RET_LOG);               // getpid
  EXPECT_VERDICT(f, 84, X, SECCOMP_RET_ERRNO | EPERM);     // rmdir: default
  EXPECT_VERDICT(f, 2, X, SECCOMP_RET_ERRNO | EPERM);      // open: default
  EXPECT_VERDICT(f, 100000, X, SECCOMP_RET_ERRNO | EPERM); // unknown number
  // Other arches are killed, whatever the number.
  EXPECT_VERDICT(f, 0, AUDIT_ARCH_AARCH64, SECCOMP_RET_KILL_PROCESS);
  EXPECT_VERDICT(f, 3, AUDIT_ARCH_I386, SECCOMP_RET_KILL_PROCESS);
  EXPECT_VERDICT(f, 0, 0u, SECCOMP_RET_KILL_PROCESS);
}

void EmitBPF_X32NumbersAreNotAllowedByAnX86_64Filter() {
  // With an allow list and with a deny list: an x32 number (same audit arch,
  // x32 bit set) must never reach ALLOW when x32 is not a target.
  for (Action def : {Action::errno_(EPERM), Action::allow()}) {
    PolicyBuilder b({Arch::X86_64}, def);
    if (def == Action::allow())
      b.add("mkdir", Action::errno_(EACCES)).add("ptrace", kill());
    else
      b.add("read", Action::allow()).add("write", Action::allow());
    std::vector<bt::Insn> f = bpfOf(b.lower());
    ASSERT_FALSE(f.empty());
    for (int n : {0, 1, 2, 39, 83, 101, 512, 547})
      EXPECT_NE(hex(verdict(f, n | X32Bit, AUDIT_ARCH_X86_64)),
                hex(SECCOMP_RET_ALLOW))
          << "x32 nr " << n << " default " << def.str();
    // The bad-arch action applies to them.
    EXPECT_VERDICT(f, 0 | X32Bit, AUDIT_ARCH_X86_64, SECCOMP_RET_KILL_PROCESS);
  }
}

void EmitBPF_X86_64AndX32Together() {
  Program prog = PolicyBuilder({Arch::X86_64, Arch::X32}, Action::errno_(EPERM))
                     .add("read", Action::allow())
                     .add("mkdir", Action::errno_(EACCES))
                     .lower();
  std::vector<bt::Insn> f = bpfOf(prog);
  ASSERT_FALSE(f.empty());
  const uint32_t X = AUDIT_ARCH_X86_64;
  EXPECT_VERDICT(f, 0, X, SECCOMP_RET_ALLOW);
  EXPECT_VERDICT(f, nr("read", Arch::X32), X, SECCOMP_RET_ALLOW);
  EXPECT_VERDICT(f, 83, X, SECCOMP_RET_ERRNO | EACCES);
  EXPECT_VERDICT(f, nr("mkdir", Arch::X32), X, SECCOMP_RET_ERRNO | EACCES);
  EXPECT_VERDICT(f, 1, X, SECCOMP_RET_ERRNO | EPERM);
  EXPECT_VERDICT(f, nr("write", Arch::X32), X, SECCOMP_RET_ERRNO | EPERM);
}

void EmitBPF_EveryLittleEndianArchGetsItsOwnNumbers() {
  const std::vector<Arch> arches = {Arch::X86_64, Arch::X86,     Arch::AArch64,
                                    Arch::Arm,    Arch::RiscV64, Arch::PPC64LE};
  Program prog = PolicyBuilder(arches, Action::errno_(EPERM))
                     .add("read", Action::allow())
                     .add("getpid", Action::allow())
                     .add("ptrace", kill())
                     .lower();
  std::vector<bt::Insn> f = bpfOf(prog);
  ASSERT_FALSE(f.empty());
  for (Arch a : arches) {
    SCOPED_TRACE(kb::getArchInfo(a).name.str());
    uint32_t aa = auditArch(a);
    EXPECT_VERDICT(f, nr("read", a), aa, SECCOMP_RET_ALLOW);
    EXPECT_VERDICT(f, nr("getpid", a), aa, SECCOMP_RET_ALLOW);
    EXPECT_VERDICT(f, nr("ptrace", a), aa, SECCOMP_RET_KILL_PROCESS);
    // Another arch's number for a syscall is not that syscall here.
    EXPECT_VERDICT(f, nr("close", a), aa, SECCOMP_RET_ERRNO | EPERM);
  }
  // aarch64's read (63) is dup2 on x86_64 and umask on x86: not allowed there.
  EXPECT_VERDICT(f, 63, AUDIT_ARCH_X86_64, SECCOMP_RET_ERRNO | EPERM);
  EXPECT_VERDICT(f, 63, AUDIT_ARCH_I386, SECCOMP_RET_ERRNO | EPERM);
  EXPECT_VERDICT(f, 0, AUDIT_ARCH_S390X, SECCOMP_RET_KILL_PROCESS);
}

void EmitBPF_BigEndianTarget() {
  Program prog = PolicyBuilder({Arch::S390X}, Action::allow())
                     .add("ptrace", kill())
                     .add("mkdir", Action::errno_(EACCES))
                     .lower();
  std::vector<bt::Insn> f = bpfOf(prog, /*bigEndian=*/true);
  ASSERT_FALSE(f.empty());
  EXPECT_EQ(f[0].code, BPF_LD | BPF_W | BPF_ABS);
  EXPECT_EQ(f[0].k, 4u);
  EXPECT_VERDICT(f, nr("ptrace", Arch::S390X), AUDIT_ARCH_S390X,
                 SECCOMP_RET_KILL_PROCESS);
  EXPECT_VERDICT(f, nr("mkdir", Arch::S390X), AUDIT_ARCH_S390X,
                 SECCOMP_RET_ERRNO | EACCES);
  EXPECT_VERDICT(f, nr("read", Arch::S390X), AUDIT_ARCH_S390X,
                 SECCOMP_RET_ALLOW);
  EXPECT_VERDICT(f, 0, AUDIT_ARCH_X86_64, SECCOMP_RET_KILL_PROCESS);
}

void EmitBPF_MixedByteOrderIsAnErrorNotACrash() {
  // One filter cannot serve a little- and a big-endian kernel.
  Program prog = PolicyBuilder({Arch::X86_64, Arch::S390X}, Action::allow())
                     .add("ptrace", kill())
                     .lower();
  llvm::Expected<std::vector<uint8_t>> bytes = emitBPF(prog);
  ASSERT_FALSE(static_cast<bool>(bytes));
  // Saying why, not libseccomp's bare errno.
  EXPECT_NE(llvm::toString(bytes.takeError()).find("byte order"),
            std::string::npos);
}

void EmitBPF_NoArchIsAnError() {
  Program prog;
  prog.name = "none";
  llvm::Expected<std::vector<uint8_t>> bytes = emitBPF(prog);
  ASSERT_FALSE(static_cast<bool>(bytes));
  EXPECT_NE(llvm::toString(bytes.takeError()).find("'none' has no target arch"),
            std::string::npos);
  llvm::Expected<std::string> pfc = emitPFC(prog);
  ASSERT_FALSE(static_cast<bool>(pfc));
  llvm::consumeError(pfc.takeError());
}

TEST(EmitBPF, ThroughTheWholePipeline) {
  // Overlapping rules resolved by the passes: the stricter action wins and
  // rules equal to the default disappear.
  PolicyBuilder b({Arch::X86_64}, Action::errno_(EPERM));
  b.add("read", Action::allow())
      .add("mkdir", Action::allow())
      .add("mkdir", kill())
      .add("rmdir", Action::errno_(EPERM))
      .add("read", Action::allow());
  llvm::SourceMgr sm;
  std::string out;
  llvm::raw_string_ostream os(out);
  DiagnosticEngine diags(sm, os);
  ir::Module m;
  m.policies.push_back(b.p);
  runPasses(m, diags);
  Program prog = lowerToSeccomp(m.policies[0]);
  ASSERT_EQ(prog.sections.size(), 1u);
  ASSERT_EQ(prog.sections[0].rules.size(), 2u);
  std::vector<bt::Insn> f = bpfOf(prog);
  ASSERT_FALSE(f.empty());
  EXPECT_VERDICT(f, 0, AUDIT_ARCH_X86_64, SECCOMP_RET_ALLOW);
  EXPECT_VERDICT(f, 83, AUDIT_ARCH_X86_64, SECCOMP_RET_KILL_PROCESS);
  EXPECT_VERDICT(f, 84, AUDIT_ARCH_X86_64, SECCOMP_RET_ERRNO | EPERM);
}

TEST(EmitBPF, LargeFiltersStayWithinTheKernelLimitOrFail) {
  // Every syscall allowed on three arches: either a filter the kernel would
  // accept, or a clear error, never an oversized filter.
  std::vector<Arch> arches = {Arch::X86_64, Arch::X86, Arch::AArch64};
  PolicyBuilder b(arches, Action::errno_(EPERM));
  for (const std::string &name : kb::getSyscallNames(arches))
    b.add(name, Action::allow());
  Program prog = b.lower();
  llvm::Expected<std::vector<uint8_t>> bytes = emitBPF(prog);
  if (!bytes) {
    EXPECT_NE(llvm::toString(bytes.takeError()).find("instructions"),
              std::string::npos);
    return;
  }
  EXPECT_LE(bytes->size() / 8, MaxFilterInstructions);
  std::vector<bt::Insn> f = bt::decode(*bytes);
  EXPECT_EQ(bt::validate(f), "");
  for (Arch a : arches)
    EXPECT_VERDICT(f, nr("openat", a), auditArch(a), SECCOMP_RET_ALLOW);
}

//===----------------------------------------------------------------------===//
// PFC.
//===----------------------------------------------------------------------===//

TEST(EmitPFC, MentionsEveryArchAndRule) {
  const std::vector<Arch> arches = {Arch::X86_64, Arch::X86, Arch::X32,
                                    Arch::AArch64};
  Program prog = PolicyBuilder(arches, Action::errno_(EPERM))
                     .add("read", Action::allow())
                     .add("ptrace", kill())
                     .lower();
  llvm::Expected<std::string> pfc = emitPFC(prog);
  ASSERT_TRUE(static_cast<bool>(pfc)) << llvm::toString(pfc.takeError());
  for (Arch a : arches)
    EXPECT_NE(
        pfc->find("# filter for arch " + kb::getArchInfo(a).name.str() + " "),
        std::string::npos)
        << kb::getArchInfo(a).name.str() << "\n"
        << *pfc;
  EXPECT_NE(pfc->find("\"read\""), std::string::npos);
  EXPECT_NE(pfc->find("\"ptrace\""), std::string::npos);
  EXPECT_NE(pfc->find("KILL_PROCESS"), std::string::npos);
  EXPECT_NE(pfc->find("ERRNO(1)"), std::string::npos);
  // Arches the policy does not name are absent.
  EXPECT_EQ(pfc->find("arch arm "), std::string::npos);
  EXPECT_EQ(pfc->find("riscv64"), std::string::npos);
}

//===----------------------------------------------------------------------===//
// The cases above, grouped: one ctest entry (one process) per group keeps
// the suite fast; SCOPED_TRACE names the failing case.
//===----------------------------------------------------------------------===//

TEST(BPFInterpreter, SelfTest) {
  {
    SCOPED_TRACE("RunsAHandWrittenFilter");
    BPFInterpreter_RunsAHandWrittenFilter();
  }
  {
    SCOPED_TRACE("RejectsWhatTheKernelRejects");
    BPFInterpreter_RejectsWhatTheKernelRejects();
  }
}

TEST(LowerToSeccomp, SectionsInArchOrderRulesByNumber) {
  {
    SCOPED_TRACE("SectionsInArchOrderRulesByNumber");
    LowerToSeccomp_SectionsInArchOrderRulesByNumber();
  }
  {
    SCOPED_TRACE("WithoutFoldingThereAreNoSections");
    LowerToSeccomp_WithoutFoldingThereAreNoSections();
  }
}

TEST(OCIJSON, Format) {
  {
    SCOPED_TRACE("ActionNames");
    OCIJSON_ActionNames();
  }
  {
    SCOPED_TRACE("ShapeOrderAndErrnoRet");
    OCIJSON_ShapeOrderAndErrnoRet();
  }
  {
    SCOPED_TRACE("NoErrnoRetWithoutErrnoDefault");
    OCIJSON_NoErrnoRetWithoutErrnoDefault();
  }
  {
    SCOPED_TRACE("EmptyPolicyHasEmptySyscallList");
    OCIJSON_EmptyPolicyHasEmptySyscallList();
  }
  {
    SCOPED_TRACE("SerializesDeterministically");
    OCIJSON_SerializesDeterministically();
  }
}

TEST(EmitBPF, ShapeAndErrors) {
  {
    SCOPED_TRACE("FirstInstructionLoadsArch");
    EmitBPF_FirstInstructionLoadsArch();
  }
  {
    SCOPED_TRACE("NoArchIsAnError");
    EmitBPF_NoArchIsAnError();
  }
  {
    SCOPED_TRACE("MixedByteOrderIsAnErrorNotACrash");
    EmitBPF_MixedByteOrderIsAnErrorNotACrash();
  }
}

TEST(EmitBPF, VerdictsOnX86_64AndX32) {
  {
    SCOPED_TRACE("VerdictsOnX86_64");
    EmitBPF_VerdictsOnX86_64();
  }
  {
    SCOPED_TRACE("X32NumbersAreNotAllowedByAnX86_64Filter");
    EmitBPF_X32NumbersAreNotAllowedByAnX86_64Filter();
  }
  {
    SCOPED_TRACE("X86_64AndX32Together");
    EmitBPF_X86_64AndX32Together();
  }
}

TEST(EmitBPF, VerdictsOnOtherArches) {
  {
    SCOPED_TRACE("EveryLittleEndianArchGetsItsOwnNumbers");
    EmitBPF_EveryLittleEndianArchGetsItsOwnNumbers();
  }
  {
    SCOPED_TRACE("BigEndianTarget");
    EmitBPF_BigEndianTarget();
  }
}
} // namespace
