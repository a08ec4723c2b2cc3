//===- ConstantsTest.cpp - Constants.def ----------------------------------===//
#include "polc/KB/KnowledgeBase.h"

#include "gtest/gtest.h"

#include <map>
#include <set>
#include <string>

// The C library's and the kernel's own definitions, to check the table
// against. Every CONSTANT name must be a macro or enumerator of these.
#include <fcntl.h>
#include <linux/memfd.h>
#include <linux/net.h>
#include <linux/netlink.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <termios.h>
#include <unistd.h>

using namespace polc::kb;

namespace {

struct RawConstant {
  const char *name;
  std::optional<Arch> arch;
  uint64_t value;
};
const RawConstant rawConstants[] = {
#define CONSTANT(NAME, VALUE)                                                  \
  {#NAME, std::nullopt, static_cast<uint64_t>(VALUE)},
#define CONSTANT_ARCH(NAME, ARCH, VALUE)                                       \
  {#NAME, Arch::ARCH, static_cast<uint64_t>(VALUE)},
#include "polc/KB/Constants.def"
};

#if defined(__x86_64__) && !defined(__ILP32__)
// glibc defines O_LARGEFILE as 0 on 64-bit ABIs, where the kernel implies it;
// the table holds the kernel's bit (asm-generic/fcntl.h), which a raw
// syscall can still pass.
#undef O_LARGEFILE
#define O_LARGEFILE 00100000
// The kernel keeps SOCK_TYPE_MASK to itself (include/linux/net.h); no
// user-space header defines it.
#define SOCK_TYPE_MASK 0xf

/// Each CONSTANT with the value of the C macro or enumerator of its name: the
/// NAME argument is macro-expanded here (it is not in KnowledgeBase.cpp), so a
/// name the headers lack does not compile and a wrong value fails below.
struct HeaderCheck {
  const char *name;
  uint64_t table;
  uint64_t header;
};
const HeaderCheck headerChecks[] = {
#define CONSTANT(NAME, VALUE)                                                  \
  {#NAME, static_cast<uint64_t>(VALUE), static_cast<uint64_t>(NAME)},
#include "polc/KB/Constants.def"
};
#endif

TEST(Constants, ValuesMatchTheX86_64Headers) {
#if defined(__x86_64__) && !defined(__ILP32__)
  ASSERT_GT(std::size(headerChecks), 500u);
  for (const HeaderCheck &c : headerChecks) {
    EXPECT_EQ(c.table, c.header) << c.name;
    EXPECT_EQ(lookupConstant(c.name, Arch::X86_64), c.header) << c.name;
  }
  // The x86_64 entries among the per-arch ones.
  EXPECT_EQ(lookupConstant("MAP_32BIT", Arch::X86_64),
            static_cast<uint64_t>(MAP_32BIT));
  for (const RawConstant &c : rawConstants) {
    if (c.arch == Arch::X86_64) {
      EXPECT_STREQ(c.name, "MAP_32BIT") << "check it against the header here";
    }
  }
#else
  GTEST_SKIP() << "the table's base values are x86_64's";
#endif
}

TEST(Constants, NoDuplicatesOrRedundantOverrides) {
  std::map<std::string, uint64_t> common;
  std::set<std::pair<std::string, Arch>> overrides;
  for (const RawConstant &c : rawConstants) {
    if (!c.arch) {
      EXPECT_TRUE(common.emplace(c.name, c.value).second) << c.name << " twice";
    }
  }
  for (const RawConstant &c : rawConstants) {
    if (!c.arch)
      continue;
    EXPECT_TRUE(overrides.emplace(c.name, *c.arch).second)
        << c.name << " twice for " << getArchInfo(*c.arch).name.str();
    auto it = common.find(c.name);
    if (it != common.end()) {
      EXPECT_NE(it->second, c.value)
          << c.name << " on " << getArchInfo(*c.arch).name.str()
          << " repeats the common value";
    }
    EXPECT_EQ(lookupConstant(c.name, *c.arch), c.value) << c.name;
  }
}

// Names that exist on some arches only have no common value.
TEST(Constants, ArchOnlyNames) {
  EXPECT_EQ(lookupConstant("MAP_32BIT", Arch::X86), 0x40u);
  EXPECT_EQ(lookupConstant("MAP_32BIT", Arch::X32), 0x40u);
  for (Arch a :
       {Arch::AArch64, Arch::Arm, Arch::RiscV64, Arch::PPC64LE, Arch::S390X})
    EXPECT_FALSE(lookupConstant("MAP_32BIT", a).has_value())
        << getArchInfo(a).name.str();
  EXPECT_EQ(lookupConstant("PROT_BTI", Arch::AArch64), 0x10u);
  EXPECT_EQ(lookupConstant("PROT_MTE", Arch::AArch64), 0x20u);
  EXPECT_FALSE(lookupConstant("PROT_BTI", Arch::X86_64).has_value());
  EXPECT_FALSE(lookupConstant("PROT_BTI", Arch::Arm).has_value());
  EXPECT_EQ(lookupConstant("PROT_SAO", Arch::PPC64LE), 0x10u);
  EXPECT_FALSE(lookupConstant("PROT_SAO", Arch::X86_64).has_value());
}

// Spot checks of the overrides against the arch headers
// (arch/*/include/uapi/asm/{fcntl,mman,ioctls}.h).
TEST(Constants, PerArchValues) {
  // O_DIRECTORY is 040000 on arm, aarch64 and powerpc, 0200000 elsewhere.
  EXPECT_EQ(lookupConstant("O_DIRECTORY", Arch::AArch64), 040000u);
  EXPECT_EQ(lookupConstant("O_DIRECTORY", Arch::Arm), 040000u);
  EXPECT_EQ(lookupConstant("O_DIRECTORY", Arch::PPC64LE), 040000u);
  for (Arch a :
       {Arch::X86_64, Arch::X86, Arch::X32, Arch::RiscV64, Arch::S390X})
    EXPECT_EQ(lookupConstant("O_DIRECTORY", a), 0200000u)
        << getArchInfo(a).name.str();
  EXPECT_EQ(lookupConstant("O_NOFOLLOW", Arch::AArch64), 0100000u);
  EXPECT_EQ(lookupConstant("O_NOFOLLOW", Arch::X86_64), 0400000u);
  EXPECT_EQ(lookupConstant("O_DIRECT", Arch::AArch64), 0200000u);
  EXPECT_EQ(lookupConstant("O_DIRECT", Arch::PPC64LE), 0400000u);
  EXPECT_EQ(lookupConstant("O_LARGEFILE", Arch::Arm), 0400000u);
  EXPECT_EQ(lookupConstant("O_LARGEFILE", Arch::PPC64LE), 0200000u);
  EXPECT_EQ(lookupConstant("O_LARGEFILE", Arch::X86), 0100000u);
  // ppc64le moves MAP_NORESERVE to where x86 has MAP_32BIT.
  EXPECT_EQ(lookupConstant("MAP_NORESERVE", Arch::PPC64LE), 0x40u);
  EXPECT_EQ(lookupConstant("MAP_LOCKED", Arch::PPC64LE), 0x80u);
  EXPECT_EQ(lookupConstant("MAP_NORESERVE", Arch::AArch64), 0x4000u);
  // TIOCSTI is 0x5412 everywhere polc targets, powerpc included; FIONREAD
  // and the _IOR ones are not.
  for (Arch a : getAllArches())
    EXPECT_EQ(lookupConstant("TIOCSTI", a), 0x5412u)
        << getArchInfo(a).name.str();
  EXPECT_EQ(lookupConstant("FIONREAD", Arch::X86_64), 0x541Bu);
  EXPECT_EQ(lookupConstant("FIONREAD", Arch::PPC64LE), 0x4004667fu);
  EXPECT_EQ(lookupConstant("TIOCGPTN", Arch::X86_64), 0x80045430u);
  EXPECT_EQ(lookupConstant("TIOCGPTN", Arch::PPC64LE), 0x40045430u);
  EXPECT_EQ(lookupConstant("FIOQSIZE", Arch::Arm), 0x545Eu);
  EXPECT_EQ(lookupConstant("FIOQSIZE", Arch::S390X), 0x545Eu);
  EXPECT_EQ(lookupConstant("FIOQSIZE", Arch::AArch64), 0x5460u);
}

// Relations the headers define, on every arch.
TEST(Constants, DerivedValuesAgreeOnEveryArch) {
  for (Arch a : getAllArches()) {
    std::string arch = getArchInfo(a).name.str();
    auto v = [&](const char *name) {
      auto value = lookupConstant(name, a);
      EXPECT_TRUE(value.has_value()) << name << " on " << arch;
      return value.value_or(0);
    };
    EXPECT_EQ(v("O_TMPFILE"), 020000000 | v("O_DIRECTORY")) << arch;
    EXPECT_EQ(v("O_SYNC"), 04000000 | v("O_DSYNC")) << arch;
    for (const char *nb : {"SOCK_NONBLOCK", "EFD_NONBLOCK", "SFD_NONBLOCK",
                           "TFD_NONBLOCK", "IN_NONBLOCK", "O_NDELAY"})
      EXPECT_EQ(v(nb), v("O_NONBLOCK")) << nb << " on " << arch;
    for (const char *ce : {"SOCK_CLOEXEC", "EFD_CLOEXEC", "SFD_CLOEXEC",
                           "TFD_CLOEXEC", "IN_CLOEXEC", "EPOLL_CLOEXEC"})
      EXPECT_EQ(v(ce), v("O_CLOEXEC")) << ce << " on " << arch;
    EXPECT_EQ(v("TIOCINQ"), v("FIONREAD")) << arch;
    EXPECT_EQ(v("MAP_ANON"), v("MAP_ANONYMOUS")) << arch;
  }
}

TEST(Constants, SignExtension) {
  // AT_FDCWD is the int -100: its 64-bit two's complement, whose low 32 bits
  // are what an int argument is compared on.
  auto fdcwd = lookupConstant("AT_FDCWD", Arch::X86_64);
  ASSERT_TRUE(fdcwd.has_value());
  EXPECT_EQ(*fdcwd, 0xffffffffffffff9cull);
  EXPECT_EQ(static_cast<uint32_t>(*fdcwd), 0xffffff9cu);
  // Unsigned 32-bit values are not sign-extended.
  EXPECT_EQ(lookupConstant("CLONE_IO", Arch::X86_64), 0x80000000ull);
  EXPECT_EQ(lookupConstant("TIOCGPTN", Arch::X86_64), 0x80045430ull);
  // clone3-only flags above bit 31.
  EXPECT_EQ(lookupConstant("CLONE_INTO_CGROUP", Arch::X86_64), 0x200000000ull);
  EXPECT_EQ(lookupConstant("PR_SET_PTRACER_ANY", Arch::X86_64),
            0xffffffffffffffffull);
}

TEST(Constants, Names) {
  auto names = getConstantNames();
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_TRUE(std::adjacent_find(names.begin(), names.end()) == names.end());
  std::set<std::string> distinct;
  for (const RawConstant &c : rawConstants)
    distinct.insert(c.name);
  EXPECT_EQ(names.size(), distinct.size());
  for (const char *n : {"AF_INET", "AF_UNIX", "CLONE_NEWUSER", "TIOCSTI",
                        "PROT_BTI", "MAP_32BIT", "AT_FDCWD", "SIGKILL"})
    EXPECT_TRUE(
        std::binary_search(names.begin(), names.end(), llvm::StringRef(n)))
        << n;
  EXPECT_FALSE(lookupConstant("AF_INTE", Arch::X86_64).has_value());
  EXPECT_FALSE(lookupConstant("EPERM", Arch::X86_64).has_value());
  EXPECT_FALSE(lookupConstant("af_inet", Arch::X86_64).has_value());
}

} // namespace
