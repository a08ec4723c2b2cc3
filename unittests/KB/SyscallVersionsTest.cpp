//===- SyscallVersionsTest.cpp - SyscallVersions.def is sound -------------===//
//
// The table says which release added each syscall, per arch. These tests
// check it against libseccomp (every name exists where the table says it
// does; every syscall libseccomp numbers after the last 2.6.39 one of an arch
// has a version) and against what is known to be true (a sample of entries
// taken from syscalls(2) and the kernel's history).
//
//===----------------------------------------------------------------------===//
#include "polc/KB/KnowledgeBase.h"

#include "gtest/gtest.h"

#include <seccomp.h>

#include <map>
#include <set>

using namespace polc::kb;

namespace {

std::string versionOn(llvm::StringRef name, Arch arch) {
  std::optional<KernelVersion> v = getSyscallVersion(name, arch);
  return v ? v->str() : "old";
}

TEST(SyscallVersions, VersionsParseAndCompare) {
  EXPECT_EQ(KernelVersion::parse("5.10")->str(), "5.10");
  EXPECT_EQ(KernelVersion::parse("2.6.39")->str(), "2.6.39");
  EXPECT_FALSE(KernelVersion::parse("5").has_value());
  EXPECT_FALSE(KernelVersion::parse("5.").has_value());
  EXPECT_FALSE(KernelVersion::parse("5.x").has_value());
  EXPECT_FALSE(KernelVersion::parse("1.2.3.4").has_value());
  EXPECT_TRUE(*KernelVersion::parse("5.9") < *KernelVersion::parse("5.10"));
  EXPECT_TRUE(*KernelVersion::parse("4.20") < *KernelVersion::parse("5.0"));
  EXPECT_TRUE(isMainlineRelease({4, 20, 0}));
  EXPECT_TRUE(isMainlineRelease({6, 12, 0}));
  EXPECT_FALSE(isMainlineRelease({5, 20, 0}));
  EXPECT_FALSE(isMainlineRelease({3, 20, 0}));
  EXPECT_FALSE(isMainlineRelease({5, 10, 3}));
  EXPECT_FALSE(isMainlineRelease({2, 6, 0}));
}

// Every entry is a real release from 3.0 on, names a syscall libseccomp
// knows (on the entry's arch, for a per-arch entry), and appears once.
TEST(SyscallVersions, EntriesAreWellFormed) {
  std::set<std::pair<std::string, int>> seen;
  ASSERT_GT(getSyscallVersionEntries().size(), 150u);
  for (const SyscallVersionEntry &e : getSyscallVersionEntries()) {
    SCOPED_TRACE(e.name.str());
    std::optional<KernelVersion> v = KernelVersion::parse(e.version);
    ASSERT_TRUE(v.has_value()) << e.version.str();
    EXPECT_TRUE(isMainlineRelease(*v)) << e.version.str();
    EXPECT_FALSE(*v < getOldestBaseline()) << e.version.str();
    int arch = e.arch ? static_cast<int>(*e.arch) : -1;
    EXPECT_TRUE(seen.insert({e.name.str(), arch}).second) << "listed twice";
    if (e.arch) {
      EXPECT_TRUE(resolveSyscall(e.name, *e.arch).has_value())
          << "absent on " << getArchInfo(*e.arch).name.str();
    } else {
      bool somewhere = false;
      for (Arch a : getAllArches())
        somewhere |= resolveSyscall(e.name, a).has_value();
      EXPECT_TRUE(somewhere) << "unknown to libseccomp";
    }
  }
  for (Arch a : getAllArches())
    if (std::optional<KernelVersion> first = getArchFirstVersion(a))
      EXPECT_TRUE(isMainlineRelease(*first));
}

// Coverage: a syscall numbered after the arch's last 2.6.39 syscall (syncfs)
// is from 3.0 or later, so it must have a version (the x32 ABI numbers its
// compat calls from 512, all older than x32 itself).
TEST(SyscallVersions, EverySyscallAfterSyncfsHasAVersion) {
  unsigned checked = 0;
  for (Arch a : getAllArches()) {
    SCOPED_TRACE(getArchInfo(a).name.str());
    std::optional<int> syncfs = resolveSyscall("syncfs", a);
    ASSERT_TRUE(syncfs.has_value());
    uint32_t token = seccomp_arch_resolve_name(getArchInfo(a).name.data());
    for (int nr = *syncfs + 1; nr < *syncfs + 400; ++nr) {
      if (a == Arch::X32 && nr >= 0x40000000 + 512)
        break;
      char *n = seccomp_syscall_resolve_num_arch(token, nr);
      if (!n)
        continue;
      std::string name = n;
      free(n);
      EXPECT_TRUE(getSyscallVersion(name, a).has_value())
          << name << " (" << nr << ") has no version";
      ++checked;
    }
  }
  EXPECT_GT(checked, 500u);
}

// A sample checked by hand against syscalls(2), the syscall's own page and
// the kernel's history.
TEST(SyscallVersions, SampleEntries) {
  EXPECT_EQ(versionOn("statx", Arch::X86_64), "4.11");
  EXPECT_EQ(versionOn("openat2", Arch::AArch64), "5.6");
  EXPECT_EQ(versionOn("clone3", Arch::S390X), "5.3");
  EXPECT_EQ(versionOn("faccessat2", Arch::RiscV64), "5.8");
  EXPECT_EQ(versionOn("membarrier", Arch::X86_64), "4.3"); // not the table's 3.17
  EXPECT_EQ(versionOn("pkey_alloc", Arch::X86_64), "4.9"); // not the table's 4.8
  EXPECT_EQ(versionOn("pkey_alloc", Arch::PPC64LE), "4.16");
  EXPECT_EQ(versionOn("io_pgetevents", Arch::Arm), "4.19");
  EXPECT_EQ(versionOn("clock_gettime64", Arch::X86), "5.1");
  EXPECT_EQ(versionOn("arch_prctl", Arch::X86), "4.12");
  EXPECT_EQ(versionOn("arch_prctl", Arch::X86_64), "old");
  EXPECT_EQ(versionOn("socket", Arch::X86), "4.3");
  EXPECT_EQ(versionOn("socket", Arch::X86_64), "old");
  EXPECT_EQ(versionOn("shmget", Arch::X86), "5.1");
  EXPECT_EQ(versionOn("shmget", Arch::Arm), "old");
  EXPECT_EQ(versionOn("getcpu", Arch::X86_64), "3.1");
  EXPECT_EQ(versionOn("getcpu", Arch::X86), "old");
  EXPECT_EQ(versionOn("preadv2", Arch::X32), "4.7");
  EXPECT_EQ(versionOn("read", Arch::X86_64), "old");
}

TEST(SyscallVersions, NewerThanBaselinePerArch) {
  KernelVersion v419{4, 19, 0};
  EXPECT_TRUE(isNewerThanBaseline("io_uring_setup", Arch::X86_64, v419));
  EXPECT_FALSE(isNewerThanBaseline("statx", Arch::X86_64, v419));
  EXPECT_FALSE(isNewerThanBaseline("rseq", Arch::X86_64, v419));
  // The *_time64 calls exist only on 32-bit ABIs.
  EXPECT_TRUE(isNewerThanBaseline("clock_gettime64", Arch::Arm, v419));
  EXPECT_FALSE(isNewerThanBaseline("clock_gettime64", Arch::X86_64, v419));
  // i386 got direct IPC calls in 5.1; x86_64 always had them.
  EXPECT_TRUE(isNewerThanBaseline("shmget", Arch::X86, v419));
  EXPECT_FALSE(isNewerThanBaseline("shmget", Arch::X86_64, v419));
  // arm64 has no legacy calls, and nothing on it predates 3.7.
  EXPECT_FALSE(isNewerThanBaseline("open", Arch::AArch64, {3, 0, 0}));
  EXPECT_FALSE(isNewerThanBaseline("kcmp", Arch::AArch64, {3, 0, 0}));
  EXPECT_TRUE(isNewerThanBaseline("finit_module", Arch::AArch64, {3, 0, 0}));
  // riscv64 starts at 4.15: statx (4.11) was there from the start.
  EXPECT_FALSE(isNewerThanBaseline("statx", Arch::RiscV64, {4, 4, 0}));
  EXPECT_TRUE(isNewerThanBaseline("rseq", Arch::RiscV64, {4, 4, 0}));
  std::vector<llvm::StringRef> newer = getSyscallsNewerThan({5, 10, 0}, Arch::X86_64);
  EXPECT_TRUE(llvm::is_contained(newer, "epoll_pwait2"));
  EXPECT_FALSE(llvm::is_contained(newer, "process_madvise"));
  EXPECT_TRUE(llvm::is_sorted(newer));
}

} // namespace
