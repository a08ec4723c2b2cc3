//===- TruthTableTest.cpp - emitted filters mean what the IR says ---------===//
//
// For every example policy and every integration-test policy: compile it in
// process, emit its BPF through libseccomp, and run the filter in the
// emulator on every syscall number 0..1023 of every target arch. The action
// must be the IR's (the folded rule for that number, or the default); x32
// numbers in an x86_64 filter without an x32 target, and any arch not listed,
// must get the bad-arch action. Every conditional rule (argument conditions,
// network intents' socket rules) is run at the boundary values of its
// comparisons too.
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

/// Runs every conditional rule of \p as in \p prog at the boundary values of
/// each of its comparisons (the other arguments taking the values their own
/// comparisons want): the verdict must be the IR's, the strictest matching
/// conditional rule, else the syscall's unconditional rule, else the
/// default. Returns the number of verdicts checked.
unsigned checkConditionalRules(const std::vector<bpf::Insn> &prog,
                               const ir::Policy &p, const ir::ArchSyscalls &as) {
  unsigned checked = 0;
  for (const auto &rule : as.conditional) {
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
        EXPECT_TRUE(r.ok()) << r.error;
        EXPECT_EQ(r.ret, expected(args))
            << rule.name << " a" << c.arg << " = 0x" << std::hex << v;
        ++checked;
      }
  }
  return checked;
}

TEST(TruthTable, EveryNumberOnEveryArchMatchesTheIR) {
  std::vector<std::string> files = policyFiles();
  ASSERT_GE(files.size(), 5u) << "policies not found under " POLC_SOURCE_DIR;
  unsigned checked = 0, maxExecuted = 0, conditionalChecked = 0;
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
      const uint32_t badArch = expectedReturn(p.badArchAction);
      bool hasX32 = llvm::is_contained(p.arches, kb::Arch::X32);
      for (const ir::ArchSyscalls &as : p.folded) {
        std::map<int, uint32_t> expected;
        for (const auto &[action, calls] : as.byAction)
          for (const auto &[nr, name] : calls)
            expected[nr] = expectedReturn(action);
        uint32_t base = as.arch == kb::Arch::X32 ? 0x40000000u : 0;
        for (int i = 0; i < 1024; ++i) {
          int nr = static_cast<int>(base + i);
          // A syscall with conditional rules is checked at their boundary
          // values below: all-zero arguments may match one ('may not fork'
          // denies clone when (flags & CLONE_THREAD) == 0).
          auto it = expected.find(nr);
          if (it == expected.end() &&
              llvm::any_of(as.conditional,
                           [&](const auto &c) { return c.nr == nr; }))
            continue;
          uint32_t want = it != expected.end() ? it->second
                                               : expectedReturn(p.defaultAction);
          bpf::Result r = bpf::run(prog, bpf::makeData(nr, auditArch(as.arch)));
          ASSERT_TRUE(r.ok()) << r.error;
          EXPECT_EQ(r.ret, want)
              << kb::getArchInfo(as.arch).name.str() << " nr " << nr;
          maxExecuted = std::max(maxExecuted, r.executed);
          ++checked;
        }
        // Conditional rules (argument conditions, network intents' socket
        // rules) at the boundary values of their comparisons.
        conditionalChecked += checkConditionalRules(prog, p, as);
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
  // The examples' and integration policies' conditional rules: network
  // intents' socket rules and 'syscall ... if' statements.
  EXPECT_GT(conditionalChecked, 500u);
  std::printf("truth table: %u verdicts checked, at most %u instructions per "
              "syscall; %u argument verdicts of conditional rules\n",
              checked, maxExecuted, conditionalChecked);
}

/// Writes \p source to a temporary file and compiles it.
std::optional<ir::Module> compileSource(const char *source, llvm::SourceMgr &sm) {
  llvm::SmallString<128> path;
  if (llvm::sys::fs::createTemporaryFile("truth", "pol", path)) {
    ADD_FAILURE() << "cannot create a temporary file";
    return std::nullopt;
  }
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    os << source;
  }
  std::optional<ir::Module> m = compile(path.str().str(), sm);
  llvm::sys::fs::remove(path);
  return m;
}

// 'baseline kernel' and 'default arch', checked against the knowledge base
// rather than the IR: for every syscall libseccomp knows on each target
// arch, the filter must answer what the policy means. A grant wins; a
// syscall added after the baseline on that arch gets ENOSYS (unless a
// multiplexer also reaches it: i386's direct IPC and socket calls keep the
// default); clone3 and openat2 get ENOSYS under a denying default; under a
// permissive one io_uring does; everything else gets the default. Other
// arches, and x32 numbers in an x86_64 filter, get the 'default arch'
// action.
TEST(TruthTable, BaselineAndBadArchFromTheKnowledgeBase) {
  const char *source =
      "policy strict {\n"
      "  arch x86_64, x86, aarch64, arm\n"
      "  default deny errno EPERM\n"
      "  default arch deny errno ENOSYS\n"
      "  baseline kernel 4.19\n"
      "  may exec /usr/bin/true\n"
      "  syscall allow pidfd_open, getpid\n"
      "}\n"
      "policy open {\n"
      "  arch x86_64, arm\n"
      "  default allow\n"
      "  default arch trap\n"
      "  baseline kernel 5.4\n"
      "}\n";
  llvm::SourceMgr sm;
  std::optional<ir::Module> m = compileSource(source, sm);
  ASSERT_TRUE(m.has_value());
  ASSERT_EQ(m->policies.size(), 2u);
  unsigned checked = 0, enosys = 0;
  for (const ir::Policy &p : m->policies) {
    SCOPED_TRACE(p.name);
    std::vector<bpf::Insn> prog = filterOf(p);
    ASSERT_FALSE(prog.empty());
    bool denying = p.defaultAction.isDenial();
    llvm::SmallVector<llvm::StringRef, 4> granted;
    if (denying)
      granted = {"execve", "execveat", "pidfd_open", "getpid"};
    for (kb::Arch arch : p.arches) {
      SCOPED_TRACE(kb::getArchInfo(arch).name.str());
      for (const std::string &name : kb::getSyscallNames({arch})) {
        std::optional<int> nr = kb::resolveSyscall(name, arch);
        if (!nr)
          continue;
        ir::Action want = p.defaultAction;
        if (llvm::is_contained(granted, name))
          want = ir::Action::allow();
        else if (kb::isNewerThanBaseline(name, arch, *p.baseline) &&
                 !kb::getMultiplexer(name, arch))
          want = ir::Action::errno_(ENOSYS);
        else if (denying && llvm::is_contained(kb::getFallbackSyscalls(), name))
          want = ir::Action::errno_(ENOSYS);
        else if (!denying &&
                 llvm::is_contained(kb::getImplicitlyDeniedSyscalls(), name))
          want = ir::Action::errno_(ENOSYS);
        bpf::Result r = bpf::run(prog, bpf::makeData(*nr, auditArch(arch)));
        ASSERT_TRUE(r.ok()) << r.error;
        EXPECT_EQ(r.ret, expectedReturn(want)) << name << " (" << *nr << ")";
        enosys += want == ir::Action::errno_(ENOSYS);
        ++checked;
      }
    }
    uint32_t badArch = expectedReturn(p.badArchAction);
    EXPECT_NE(badArch, SECCOMP_RET_KILL_PROCESS);
    for (kb::Arch other : {kb::Arch::RiscV64, kb::Arch::PPC64LE, kb::Arch::X86})
      if (!llvm::is_contained(p.arches, other))
        EXPECT_EQ(bpf::run(prog, bpf::makeData(0, auditArch(other))).ret, badArch)
            << kb::getArchInfo(other).name.str();
    EXPECT_EQ(bpf::run(prog, bpf::makeData(0x40000000 + 39,
                                           auditArch(kb::Arch::X86_64)))
                  .ret,
              badArch)
        << "x32 getpid";
  }
  // A sample the table fixes: i386 arch_prctl (4.12) is older than 4.19,
  // io_uring (5.1) is newer, and i386's direct shmget (5.1) keeps the
  // default because ipc(2) reaches it too.
  const ir::Policy &strict = m->policies[0];
  std::vector<bpf::Insn> prog = filterOf(strict);
  auto verdict = [&](llvm::StringRef name, kb::Arch arch) {
    return bpf::run(prog, bpf::makeData(*kb::resolveSyscall(name, arch),
                                        auditArch(arch)))
        .ret;
  };
  EXPECT_EQ(verdict("arch_prctl", kb::Arch::X86), SECCOMP_RET_ERRNO | EPERM);
  EXPECT_EQ(verdict("io_uring_setup", kb::Arch::X86), SECCOMP_RET_ERRNO | ENOSYS);
  EXPECT_EQ(verdict("clock_gettime64", kb::Arch::Arm), SECCOMP_RET_ERRNO | ENOSYS);
  EXPECT_EQ(verdict("shmget", kb::Arch::X86), SECCOMP_RET_ERRNO | EPERM);
  EXPECT_EQ(verdict("statx", kb::Arch::AArch64), SECCOMP_RET_ERRNO | EPERM);
  EXPECT_EQ(verdict("pidfd_open", kb::Arch::AArch64), SECCOMP_RET_ALLOW);
  EXPECT_GT(checked, 1000u);
  EXPECT_GT(enosys, 150u);
  std::printf("truth table: %u baseline verdicts checked, %u of them ENOSYS\n",
              checked, enosys);
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
      "}\n"
      // Network intents: socket narrowed to their kinds of socket, granted
      // and (under a permissive default) denied, 32-bit ABIs included.
      "policy v {\n"
      "  arch x86_64, aarch64, arm, riscv64\n"
      "  default deny errno EPERM\n"
      "  may exec /usr/bin/true\n"
      "  may connect tcp\n"
      "  may send unix\n"
      "}\n"
      "policy w {\n"
      "  arch x86_64, arm\n"
      "  default allow\n"
      "  may not connect udp\n"
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
      checked += checkConditionalRules(prog, p, as);
    }
  }
  EXPECT_GT(checked, 300u);
  std::printf("truth table: %u argument verdicts checked\n", checked);
}

// Socket and IPC calls through socketcall and ipc (x86, ppc64le), against
// the kernel's own reading rather than polc's IR: socketcall runs the call
// numbered by the low 32 bits of its first argument, ipc the one numbered by
// the low 16 (the upper 16 are a version). For every call number, with
// garbage above the bits the kernel reads, the filter must give the action
// the policy gives that call by name (folded, by direct or pseudo-number),
// else the default.
TEST(TruthTable, MultiplexedCallsAsTheKernelReadsThem) {
  const char *source =
      "policy deny {\n"
      "  arch x86, ppc64le\n"
      "  default allow\n"
      "  syscall deny socket, accept, recv, semop, semtimedop, shmget\n"
      "  syscall kill process msgget, sendmmsg\n"
      "}\n"
      "policy grant {\n"
      "  arch x86, ppc64le\n"
      "  default kill thread\n"
      "  syscall allow accept, send, semop, shmget, bind\n"
      "  syscall deny errno EACCES connect, msgrcv\n"
      "}\n";
  // The calls by number (include/uapi/linux/net.h, include/uapi/linux/ipc.h).
  const char *const socketCalls[] = {
      nullptr,      "socket",      "bind",        "connect",   "listen",
      "accept",     "getsockname", "getpeername", "socketpair", "send",
      "recv",       "sendto",      "recvfrom",    "shutdown",  "setsockopt",
      "getsockopt", "sendmsg",     "recvmsg",     "accept4",   "recvmmsg",
      "sendmmsg"};
  std::map<unsigned, const char *> ipcCalls = {
      {1, "semop"},   {2, "semget"},  {3, "semctl"},  {4, "semtimedop"},
      {11, "msgsnd"}, {12, "msgrcv"}, {13, "msgget"}, {14, "msgctl"},
      {21, "shmat"},  {22, "shmdt"},  {23, "shmget"}, {24, "shmctl"}};
  llvm::SourceMgr sm;
  std::optional<ir::Module> m = compileSource(source, sm);
  ASSERT_TRUE(m.has_value());
  unsigned checked = 0;
  for (const ir::Policy &p : m->policies) {
    SCOPED_TRACE(p.name);
    std::vector<bpf::Insn> prog = filterOf(p);
    ASSERT_FALSE(prog.empty());
    for (const ir::ArchSyscalls &as : p.folded) {
      kb::Arch arch = as.arch;
      SCOPED_TRACE(kb::getArchInfo(arch).name.str());
      auto actionOf = [&](const char *name) {
        if (name)
          for (const auto &[action, calls] : as.byAction)
            for (const auto &[nr, n] : calls)
              if (n == name)
                return action;
        return p.defaultAction;
      };
      bool abi32 = arch == kb::Arch::X86;
      for (bool ipc : {false, true}) {
        const char *mux = ipc ? "ipc" : "socketcall";
        int muxNr = *kb::resolveSyscall(mux, arch);
        for (unsigned call = 0; call <= 26; ++call) {
          const char *name = nullptr;
          if (ipc && ipcCalls.count(call))
            name = ipcCalls[call];
          else if (!ipc && call < std::size(socketCalls))
            name = socketCalls[call];
          if (name) {
            std::optional<kb::MultiplexedCall> mc =
                kb::getMultiplexedCall(name, arch);
            ASSERT_TRUE(mc.has_value()) << name;
            EXPECT_EQ(mc->call, call) << name;
            EXPECT_EQ(mc->multiplexer, mux) << name;
          }
          for (uint64_t high : {uint64_t(0), uint64_t(0x10000),
                                uint64_t(0xffff0000), uint64_t(1) << 32,
                                ~uint64_t(0xffffffff)}) {
            uint64_t a0 = call | high;
            if (abi32)
              a0 &= 0xffffffffu;
            uint64_t read = a0 & (ipc ? 0xffffu : 0xffffffffu);
            const char *runs = read == call ? name : nullptr;
            bpf::Result r = bpf::run(
                prog, bpf::makeData(muxNr, auditArch(arch), {a0}));
            ASSERT_TRUE(r.ok()) << r.error;
            EXPECT_EQ(r.ret, expectedReturn(actionOf(runs)))
                << mux << "(0x" << std::hex << a0 << ")";
            ++checked;
          }
        }
      }
    }
  }
  EXPECT_EQ(checked, 2u * 2 * 2 * 27 * 5);
  std::printf("truth table: %u multiplexer verdicts checked\n", checked);
}

} // namespace
