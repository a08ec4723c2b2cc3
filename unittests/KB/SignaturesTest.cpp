//===- SignaturesTest.cpp - Signatures.def --------------------------------===//
#include "polc/KB/KnowledgeBase.h"

#include "gtest/gtest.h"

#include <map>
#include <set>
#include <string>

using namespace polc::kb;

namespace {

/// One line of Signatures.def, as written.
struct RawSignature {
  const char *syscall;
  std::optional<Arch> arch;
  const char *args;
};
const RawSignature rawSignatures[] = {
#define SIGNATURE(NAME, ARGS) {#NAME, std::nullopt, ARGS},
#define SIGNATURE_ARCH(NAME, ARCH, ARGS) {#NAME, Arch::ARCH, ARGS},
#include "polc/KB/Signatures.def"
};

bool resolvesSomewhere(llvm::StringRef name) {
  for (Arch a : getAllArches())
    if (resolveSyscall(name, a))
      return true;
  return false;
}

std::string describe(const RawSignature &r) {
  std::string s = r.syscall;
  if (r.arch)
    s += " on " + getArchInfo(*r.arch).name.str();
  return s;
}

// A name that resolves nowhere is a typo: the signature would never be used.
// A per-arch form must name an arch the syscall exists on.
TEST(Signatures, EverySyscallResolves) {
  for (const RawSignature &r : rawSignatures) {
    if (r.arch) {
      EXPECT_TRUE(resolveSyscall(r.syscall, *r.arch).has_value())
          << describe(r);
    } else {
      EXPECT_TRUE(resolvesSomewhere(r.syscall)) << describe(r);
    }
  }
}

// seccomp sees six argument registers; names must be unique to be addressed;
// the index is the register.
TEST(Signatures, ArgumentsAreWellFormed) {
  for (const RawSignature &r : rawSignatures) {
    auto sig = getSyscallSignature(r.syscall, r.arch.value_or(Arch::X86_64));
    ASSERT_TRUE(sig.has_value()) << describe(r);
    EXPECT_LE(sig->size(), 6u) << describe(r);
    std::set<std::string> names;
    for (unsigned i = 0; i < sig->size(); ++i) {
      const SyscallArg &arg = (*sig)[i];
      EXPECT_EQ(arg.index, i) << describe(r);
      EXPECT_FALSE(arg.name.empty()) << describe(r);
      EXPECT_EQ(arg.name.lower(), arg.name.str()) << describe(r);
      EXPECT_TRUE(names.insert(arg.name.str()).second)
          << describe(r) << ": argument '" << arg.name.str() << "' twice";
    }
  }
}

// One default per syscall and at most one override per (syscall, arch); an
// override needs a default for the other arches and must differ from it.
TEST(Signatures, NoDuplicatesOrRedundantOverrides) {
  std::map<std::string, const char *> defaults;
  std::set<std::pair<std::string, Arch>> overrides;
  for (const RawSignature &r : rawSignatures) {
    if (!r.arch) {
      EXPECT_TRUE(defaults.emplace(r.syscall, r.args).second)
          << r.syscall << " has two SIGNATUREs";
    }
  }
  for (const RawSignature &r : rawSignatures) {
    if (!r.arch)
      continue;
    EXPECT_TRUE(overrides.emplace(r.syscall, *r.arch).second)
        << describe(r) << " twice";
    auto it = defaults.find(r.syscall);
    ASSERT_NE(it, defaults.end()) << describe(r) << " has no SIGNATURE";
    EXPECT_STRNE(it->second, r.args) << describe(r) << " repeats SIGNATURE";
  }
}

// A condition on one member of a family (Families.def) must be translatable
// to every member, so a family with one signature has them all.
TEST(Signatures, FamiliesAreComplete) {
  for (const auto &family : getSyscallFamilies()) {
    bool any = false;
    for (llvm::StringRef m : family)
      any |= getSyscallSignature(m, Arch::X86_64).has_value();
    if (!any)
      continue;
    for (llvm::StringRef m : family)
      EXPECT_TRUE(getSyscallSignature(m, Arch::X86_64).has_value())
          << m.str() << " lacks a signature; its family has them";
  }
}

TEST(Signatures, Lookup) {
  auto socket = getSyscallSignature("socket", Arch::X86_64);
  ASSERT_TRUE(socket.has_value());
  ASSERT_EQ(socket->size(), 3u);
  EXPECT_EQ((*socket)[0].name, "domain");
  EXPECT_EQ((*socket)[0].type, ArgType::Int);
  EXPECT_EQ((*socket)[2].name, "protocol");
  EXPECT_EQ((*socket)[2].index, 2u);

  // The kernel's ioctl takes an unsigned int request (the man page says
  // unsigned long): compared on 32 bits.
  auto ioctl = getSyscallSignature("ioctl", Arch::AArch64);
  ASSERT_TRUE(ioctl.has_value());
  EXPECT_EQ((*ioctl)[1].name, "request");
  EXPECT_EQ((*ioctl)[1].type, ArgType::UInt);
  EXPECT_TRUE(isArgType32Bit((*ioctl)[1].type));

  auto openat = getSyscallSignature("openat", Arch::X86_64);
  ASSERT_TRUE(openat.has_value());
  EXPECT_EQ((*openat)[0].name, "dirfd");
  EXPECT_EQ((*openat)[1].type, ArgType::Ptr);
  EXPECT_EQ((*openat)[2].name, "flags");

  EXPECT_EQ(getSyscallSignature("fork", Arch::X86_64)->size(), 0u);
  EXPECT_FALSE(getSyscallSignature("no_such_call", Arch::X86_64).has_value());
  // Not described (yet): no guess.
  EXPECT_FALSE(getSyscallSignature("getpid", Arch::X86_64).has_value());
}

unsigned indexOf(llvm::StringRef syscall, Arch arch, llvm::StringRef arg) {
  auto sig = getSyscallSignature(syscall, arch);
  if (!sig)
    return ~0u;
  for (const SyscallArg &a : *sig)
    if (a.name == arg)
      return a.index;
  return ~0u;
}

// kernel/fork.c: the default order on x86_64 and x32, CLONE_BACKWARDS on
// i386, arm, aarch64, riscv64, ppc64le, CLONE_BACKWARDS2 on s390x.
TEST(Signatures, CloneOrderIsPerArch) {
  for (Arch a : {Arch::X86_64, Arch::X32}) {
    EXPECT_EQ(indexOf("clone", a, "flags"), 0u);
    EXPECT_EQ(indexOf("clone", a, "child_tid"), 3u);
    EXPECT_EQ(indexOf("clone", a, "tls"), 4u);
  }
  for (Arch a :
       {Arch::X86, Arch::Arm, Arch::AArch64, Arch::RiscV64, Arch::PPC64LE}) {
    EXPECT_EQ(indexOf("clone", a, "flags"), 0u);
    EXPECT_EQ(indexOf("clone", a, "tls"), 3u);
    EXPECT_EQ(indexOf("clone", a, "child_tid"), 4u);
  }
  EXPECT_EQ(indexOf("clone", Arch::S390X, "newsp"), 0u);
  EXPECT_EQ(indexOf("clone", Arch::S390X, "flags"), 1u);
  EXPECT_EQ(indexOf("clone", Arch::S390X, "tls"), 4u);
  // clone reads only the low 32 bits of its flags.
  auto clone = getSyscallSignature("clone", Arch::X86_64);
  EXPECT_EQ((*clone)[0].type, ArgType::UInt);
}

TEST(Signatures, OtherPerArchForms) {
  // i386 and s390x mmap is old_mmap(struct mmap_arg_struct *).
  for (Arch a : {Arch::X86, Arch::S390X}) {
    auto mmap = getSyscallSignature("mmap", a);
    ASSERT_TRUE(mmap.has_value());
    ASSERT_EQ(mmap->size(), 1u);
    EXPECT_EQ((*mmap)[0].type, ArgType::Ptr);
  }
  EXPECT_EQ(indexOf("mmap", Arch::X86_64, "prot"), 2u);
  EXPECT_EQ(indexOf("mmap", Arch::AArch64, "prot"), 2u);
  // 64-bit offsets in register pairs on 32-bit ABIs.
  EXPECT_EQ(indexOf("fallocate", Arch::X86, "len_hi"), 5u);
  EXPECT_EQ(indexOf("fallocate", Arch::X86_64, "len"), 3u);
  EXPECT_EQ(indexOf("sync_file_range", Arch::X86, "flags"), 5u);
  EXPECT_EQ(indexOf("sync_file_range", Arch::X86_64, "flags"), 3u);
  // s390x's ipc has five arguments.
  EXPECT_EQ(getSyscallSignature("ipc", Arch::S390X)->size(), 5u);
  EXPECT_EQ(getSyscallSignature("ipc", Arch::X86)->size(), 6u);
}

TEST(Signatures, ArgTypeNames) {
  EXPECT_EQ(getArgTypeName(ArgType::Int), "int");
  EXPECT_EQ(getArgTypeName(ArgType::UInt), "uint");
  EXPECT_EQ(getArgTypeName(ArgType::Long), "long");
  EXPECT_EQ(getArgTypeName(ArgType::ULong), "ulong");
  EXPECT_EQ(getArgTypeName(ArgType::Ptr), "ptr");
  EXPECT_FALSE(isArgType32Bit(ArgType::Long));
  EXPECT_FALSE(isArgType32Bit(ArgType::Ptr));
}

TEST(Signatures, SyscallListIsSortedAndUnique) {
  auto names = getSignatureSyscalls();
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_TRUE(std::adjacent_find(names.begin(), names.end()) == names.end());
  for (const char *required : {"socket",
                               "socketpair",
                               "bind",
                               "connect",
                               "setsockopt",
                               "getsockopt",
                               "sendto",
                               "recvfrom",
                               "clone",
                               "clone3",
                               "unshare",
                               "setns",
                               "mmap",
                               "mmap2",
                               "mprotect",
                               "pkey_mprotect",
                               "personality",
                               "ioctl",
                               "prctl",
                               "fcntl",
                               "fcntl64",
                               "open",
                               "openat",
                               "openat2",
                               "creat",
                               "kill",
                               "tkill",
                               "tgkill",
                               "pidfd_open",
                               "pidfd_send_signal",
                               "ptrace",
                               "mount",
                               "umount2",
                               "chmod",
                               "fchmod",
                               "fchmodat",
                               "setuid",
                               "setgid",
                               "setresuid",
                               "setresgid",
                               "setreuid",
                               "setregid",
                               "setgroups",
                               "madvise",
                               "mremap",
                               "socketcall",
                               "ipc",
                               "bpf",
                               "perf_event_open",
                               "keyctl",
                               "add_key",
                               "request_key",
                               "io_uring_setup",
                               "memfd_create",
                               "execveat",
                               "faccessat",
                               "faccessat2",
                               "dup3",
                               "pipe2",
                               "accept4",
                               "eventfd2",
                               "signalfd4",
                               "inotify_init1",
                               "epoll_create1",
                               "timerfd_create",
                               "quotactl",
                               "sync_file_range",
                               "fallocate",
                               "lseek",
                               "write",
                               "read",
                               "close",
                               "exit",
                               "exit_group"})
    EXPECT_TRUE(std::binary_search(names.begin(), names.end(),
                                   llvm::StringRef(required)))
        << required;
}

} // namespace
