//===- TruthTableTest.cpp - emitted filters mean what the IR says ---------===//
//
// For every example policy and every integration-test policy: compile it in
// process, emit its BPF through libseccomp, and run the filter in the
// emulator on every syscall number 0..1023 of every target arch. The action
// must be the IR's (the folded rule for that number, or the default); x32
// numbers in an x86_64 filter without an x32 target, and any arch not listed,
// must get the bad-arch action.
//
//===----------------------------------------------------------------------===//
#include "polc/BPF/Emulator.h"
#include "polc/IRGen/IRGen.h"
#include "polc/KB/KnowledgeBase.h"
#include "polc/Parse/Parse.h"
#include "polc/Seccomp/Libseccomp.h"
#include "polc/Seccomp/Program.h"
#include "polc/Sema/Sema.h"
#include "polc/Transforms/Passes.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include "gtest/gtest.h"

#include <seccomp.h>

#include <map>

using namespace polc;

namespace {

uint32_t expectedReturn(const ir::Action &a) {
  switch (a.kind) {
  case ir::Action::Kind::Allow: return SECCOMP_RET_ALLOW;
  case ir::Action::Kind::Log: return SECCOMP_RET_LOG;
  case ir::Action::Kind::Errno: return SECCOMP_RET_ERRNO | a.errnoValue;
  case ir::Action::Kind::Trap: return SECCOMP_RET_TRAP;
  case ir::Action::Kind::Trace: return SECCOMP_RET_TRACE | a.traceValue;
  case ir::Action::Kind::Notify: return SECCOMP_RET_USER_NOTIF;
  case ir::Action::Kind::KillThread: return SECCOMP_RET_KILL_THREAD;
  case ir::Action::Kind::KillProcess: return SECCOMP_RET_KILL_PROCESS;
  }
  return 0;
}

uint32_t auditArch(kb::Arch a) {
  return seccomp_arch_resolve_name(kb::getArchInfo(a).name.data());
}

/// Compiles \p path to IR (after the pass pipeline); fails the test on any
/// error.
std::optional<ir::Module> compile(const std::string &path, llvm::SourceMgr &sm) {
  std::string diagText;
  llvm::raw_string_ostream os(diagText);
  DiagnosticEngine diags(sm, os);
  unsigned id = sm.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBuffer(kb::getBuiltinSource(), "<builtin>"),
      llvm::SMLoc());
  std::optional<ast::Module> builtin = parseBuffer(id, diags);
  std::optional<ast::Module> user = parseFile(path, diags);
  if (!builtin || !user) {
    ADD_FAILURE() << path << ":\n" << os.str();
    return std::nullopt;
  }
  auto checked = sema::checkModule(*user, *builtin, diags);
  if (!checked) {
    ADD_FAILURE() << path << ":\n" << os.str();
    return std::nullopt;
  }
  ir::Module m = generateIR(*checked);
  runPasses(m, diags);
  if (diags.hasErrors()) {
    ADD_FAILURE() << path << ":\n" << os.str();
    return std::nullopt;
  }
  return m;
}

/// The policy's filter as libseccomp emits it, decoded; fails the test if it
/// cannot be emitted or the kernel would refuse it.
std::vector<bpf::Insn> filterOf(const ir::Policy &p) {
  llvm::Expected<std::vector<uint8_t>> bytes =
      seccomp::emitBPF(seccomp::lowerToSeccomp(p));
  if (!bytes) {
    ADD_FAILURE() << llvm::toString(bytes.takeError());
    return {};
  }
  std::vector<bpf::Insn> prog = bpf::decode(*bytes);
  EXPECT_EQ(bpf::validate(prog), "");
  return prog;
}

std::vector<std::string> policyFiles() {
  std::vector<std::string> files;
  for (const char *dir : {"examples", "test/Integration"}) {
    llvm::SmallString<256> root(POLC_SOURCE_DIR);
    llvm::sys::path::append(root, dir);
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(root, ec), end; it != end && !ec;
         it.increment(ec))
      if (llvm::sys::path::extension(it->path()) == ".pol")
        files.push_back(it->path());
  }
  llvm::sort(files);
  return files;
}

TEST(TruthTable, EveryNumberOnEveryArchMatchesTheIR) {
  std::vector<std::string> files = policyFiles();
  ASSERT_GE(files.size(), 5u) << "policies not found under " POLC_SOURCE_DIR;
  unsigned checked = 0, maxExecuted = 0;
  for (const std::string &file : files) {
    SCOPED_TRACE(file);
    llvm::SourceMgr sm;
    std::optional<ir::Module> m = compile(file, sm);
    if (!m)
      continue;
    for (const ir::Policy &p : m->policies) {
      SCOPED_TRACE(p.name);
      std::vector<bpf::Insn> prog = filterOf(p);
      ASSERT_FALSE(prog.empty());
      const uint32_t badArch = SECCOMP_RET_KILL_PROCESS;
      bool hasX32 = llvm::is_contained(p.arches, kb::Arch::X32);
      for (const ir::ArchSyscalls &as : p.folded) {
        std::map<int, uint32_t> expected;
        for (const auto &[action, calls] : as.byAction)
          for (const auto &[nr, name] : calls)
            expected[nr] = expectedReturn(action);
        uint32_t base = as.arch == kb::Arch::X32 ? 0x40000000u : 0;
        for (int i = 0; i < 1024; ++i) {
          int nr = static_cast<int>(base + i);
          auto it = expected.find(nr);
          uint32_t want = it != expected.end() ? it->second
                                               : expectedReturn(p.defaultAction);
          bpf::Result r = bpf::run(prog, bpf::makeData(nr, auditArch(as.arch)));
          ASSERT_TRUE(r.ok()) << r.error;
          EXPECT_EQ(r.ret, want)
              << kb::getArchInfo(as.arch).name.str() << " nr " << nr;
          maxExecuted = std::max(maxExecuted, r.executed);
          ++checked;
        }
        // x32 numbers reach an x86_64 filter under AUDIT_ARCH_X86_64: they
        // must not be read as x86_64 numbers (pitfalls S2).
        if (as.arch == kb::Arch::X86_64 && !hasX32)
          for (int i : {0, 1, 2, 59, 322}) {
            bpf::Result r = bpf::run(
                prog, bpf::makeData(0x40000000 + i, auditArch(as.arch)));
            EXPECT_EQ(r.ret, badArch) << "x32 nr " << i;
          }
      }
      // An arch the policy does not list gets the bad-arch action (S1).
      for (kb::Arch other : kb::getAllArches()) {
        if (llvm::is_contained(p.arches, other) ||
            auditArch(other) == auditArch(p.arches.front()) ||
            kb::getArchInfo(other).bigEndian)
          continue;
        EXPECT_EQ(bpf::run(prog, bpf::makeData(0, auditArch(other))).ret,
                  badArch)
            << kb::getArchInfo(other).name.str();
      }
    }
  }
  EXPECT_GT(checked, 10000u);
  std::printf("truth table: %u verdicts checked, at most %u instructions per "
              "syscall\n",
              checked, maxExecuted);
}

/// Boundary values for one comparison: the constant, its neighbours, the
/// sign- and garbage-extended forms a 64-bit register may carry (pitfalls
/// S11, S12), and the usual edges.
std::vector<uint64_t> boundaries(const ir::ArgCmp &c) {
  std::vector<uint64_t> v = {c.value,          c.value - 1,
                             c.value + 1,      0,
                             1,                uint64_t(1) << 31,
                             uint64_t(1) << 32, uint64_t(1) << 63,
                             ~uint64_t(0),     c.value | 0xffffffff00000000u,
                             c.value | 0x100000000u};
  if (c.op == ir::ArgCmp::Op::MaskedEQ)
    for (unsigned b = 0, n = 0; b < 64 && n < 4; ++b)
      if (c.mask & (uint64_t(1) << b)) {
        v.push_back(c.value ^ (uint64_t(1) << b));
        ++n;
      }
  return v;
}

TEST(TruthTable, ArgumentConditionsAtBoundaryValues) {
  const char *source =
      "policy t {\n"
      "  arch x86_64, aarch64, arm, riscv64\n"
      "  default deny errno EPERM\n"
      "  may exec /usr/bin/true\n"
      "  syscall allow socket if domain in { AF_UNIX, AF_INET6 } and type & SOCK_CLOEXEC == 0\n"
      "  syscall allow clone if flags & CLONE_NEWUSER == 0 and flags & CLONE_NEWNS == 0\n"
      "  syscall allow mmap, mmap2 if prot & PROT_EXEC != PROT_EXEC\n"
      "  syscall kill personality if persona != 0\n"
      "  syscall allow mremap if new_size >= 4096\n"
      "  syscall trap kill if sig == SIGKILL\n"
      "}\n"
      "policy u {\n"
      "  arch x86_64\n"
      "  default allow\n"
      "  syscall deny errno EACCES open, openat if flags & O_CREAT == O_CREAT\n"
      "  syscall kill socket if domain == AF_PACKET or domain == AF_NETLINK\n"
      "}\n";
  llvm::SmallString<128> path;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("truth", "pol", path));
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    os << source;
  }
  llvm::SourceMgr sm;
  std::optional<ir::Module> m = compile(path.str().str(), sm);
  llvm::sys::fs::remove(path);
  ASSERT_TRUE(m.has_value());
  unsigned checked = 0;
  for (const ir::Policy &p : m->policies) {
    SCOPED_TRACE(p.name);
    std::vector<bpf::Insn> prog = filterOf(p);
    ASSERT_FALSE(prog.empty());
    for (const ir::ArchSyscalls &as : p.folded) {
      SCOPED_TRACE(kb::getArchInfo(as.arch).name.str());
      ASSERT_FALSE(as.conditional.empty());
      for (const auto &rule : as.conditional) {
        // The IR's verdict for one syscall and argument vector: a matching
        // conditional rule (the strictest), else the unconditional rule,
        // else the default.
        auto expected = [&](const std::vector<uint64_t> &args) {
          std::optional<ir::Action> best;
          for (const auto &c : as.conditional)
            if (c.nr == rule.nr && ir::evaluate(c.cond, args) &&
                (!best || c.action.isStricterThan(*best)))
              best = c.action;
          if (!best)
            for (const auto &[action, calls] : as.byAction)
              for (const auto &[nr, name] : calls)
                if (nr == rule.nr)
                  best = action;
          return expectedReturn(best ? *best : p.defaultAction);
        };
        // Every other argument takes the value its own comparison wants.
        std::vector<uint64_t> base(6, 0);
        for (const ir::ArgCmp &c : rule.cond)
          base[c.arg] = c.value;
        // A 32-bit ABI's registers are 32 bits wide: the kernel never shows
        // a filter anything above them.
        bool abi32 = as.arch == kb::Arch::X86 || as.arch == kb::Arch::Arm;
        for (const ir::ArgCmp &c : rule.cond)
          for (uint64_t v : boundaries(c)) {
            std::vector<uint64_t> args = base;
            args[c.arg] = abi32 ? v & 0xffffffffu : v;
            bpf::Result r =
                bpf::run(prog, bpf::makeData(rule.nr, auditArch(as.arch), args));
            ASSERT_TRUE(r.ok()) << r.error;
            EXPECT_EQ(r.ret, expected(args))
                << rule.name << " a" << c.arg << " = 0x" << std::hex << v;
            ++checked;
          }
      }
    }
  }
  EXPECT_GT(checked, 300u);
  std::printf("truth table: %u argument verdicts checked\n", checked);
}

} // namespace
