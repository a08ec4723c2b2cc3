//===- KnowledgeBaseTest.cpp ----------------------------------------------===//
#include "polc/KB/KnowledgeBase.h"

#include "gtest/gtest.h"

#include <map>

using namespace polc::kb;

namespace {

bool resolvesSomewhere(llvm::StringRef name) {
  for (Arch a : getAllArches())
    if (resolveSyscall(name, a))
      return true;
  return false;
}

// Every syscall a verb names must exist on some arch: a typo in the table
// would otherwise silently grant or deny nothing.
TEST(KnowledgeBase, EveryVerbSyscallResolves) {
  for (Verb v : getAllVerbs()) {
    const VerbInfo &info = getVerbInfo(v);
    for (llvm::StringRef sc : info.grantSyscalls)
      EXPECT_TRUE(resolvesSomewhere(sc)) << info.spelling.str() << ": " << sc.str();
    for (llvm::StringRef sc : info.denyAllSyscalls)
      EXPECT_TRUE(resolvesSomewhere(sc)) << info.spelling.str() << ": " << sc.str();
  }
}

// The same for operations (Operations.def), and their capabilities must be
// capabilities: a typo would emit a rule apparmor_parser refuses.
TEST(KnowledgeBase, EveryOperationEntryResolves) {
  for (Operation op : getAllOperations()) {
    const OperationInfo &info = getOperationInfo(op);
    // Only 'spawn threads' leaves its syscalls to IRGen (clone by flags).
    EXPECT_TRUE(!info.syscalls.empty() || op == Operation::SpawnThreads)
        << info.spelling.str();
    for (llvm::StringRef sc : info.syscalls)
      EXPECT_TRUE(resolvesSomewhere(sc)) << info.spelling.str() << ": " << sc.str();
    for (llvm::StringRef cap : info.capabilities)
      EXPECT_TRUE(isCapability(cap)) << info.spelling.str() << ": " << cap.str();
    // A spelling must not be taken for a verb and its objects: its first
    // word is a verb only where the rest cannot be an object of that verb.
    EXPECT_EQ(lookupOperation(info.spelling), op);
  }
}

// Peer verbs (Peers.def): their syscalls resolve, their rule classes and
// access words are AppArmor's (change_profile: a target alone), and no spelling is also a verb or an
// operation (the statement would mean two things).
TEST(KnowledgeBase, EveryPeerVerbEntryResolves) {
  const llvm::StringRef access[] = {"send",  "receive",  "trace",
                                    "read",  "tracedby", "readby"};
  for (PeerVerb v : getAllPeerVerbs()) {
    const PeerVerbInfo &info = getPeerVerbInfo(v);
    EXPECT_EQ(lookupPeerVerb(info.spelling), v);
    EXPECT_FALSE(lookupVerb(info.spelling)) << info.spelling.str();
    EXPECT_FALSE(lookupOperation(info.spelling)) << info.spelling.str();
    // change_profile names its target, with no access list and no
    // syscall of its own (a write to /proc).
    if (info.rule == "change_profile") {
      EXPECT_TRUE(info.access.empty() && info.selfAccess.empty());
      EXPECT_TRUE(info.syscalls.empty());
      EXPECT_EQ(formatPeerRule(v, false, "p"), "change_profile -> p");
      EXPECT_EQ(formatPeerRule(v, false, ""), "change_profile");
      continue;
    }
    EXPECT_TRUE(info.rule == "signal" || info.rule == "ptrace");
    for (llvm::StringRef list : {info.access, info.selfAccess}) {
      llvm::SmallVector<llvm::StringRef, 4> words;
      list.split(words, ", ");
      for (llvm::StringRef w : words)
        EXPECT_TRUE(llvm::is_contained(access, w))
            << info.spelling.str() << ": " << w.str();
    }
    // The receiving side makes no syscall; the sending side some.
    EXPECT_EQ(info.syscalls.empty(), info.spelling.startswith("be "))
        << info.spelling.str();
    for (llvm::StringRef sc : info.syscalls)
      EXPECT_TRUE(resolvesSomewhere(sc)) << info.spelling.str() << ": " << sc.str();
  }
}

TEST(KnowledgeBase, DenyAllIsPartOfGrant) {
  for (Verb v : getAllVerbs()) {
    const VerbInfo &info = getVerbInfo(v);
    for (llvm::StringRef sc : info.denyAllSyscalls)
      EXPECT_TRUE(llvm::is_contained(info.grantSyscalls, sc)) << sc.str();
  }
}

TEST(KnowledgeBase, SyscallNumbersArePerArch) {
  // mkdir is 83 on x86_64 and 39 on i386; open does not exist on aarch64.
  EXPECT_EQ(resolveSyscall("mkdir", Arch::X86_64), 83);
  EXPECT_EQ(resolveSyscall("mkdir", Arch::X86), 39);
  EXPECT_EQ(resolveSyscall("openat", Arch::AArch64), 56);
  EXPECT_FALSE(resolveSyscall("open", Arch::AArch64).has_value());
  EXPECT_FALSE(resolveSyscall("no_such_call", Arch::X86_64).has_value());
  // x32 numbers carry the x32 bit.
  EXPECT_EQ(resolveSyscall("read", Arch::X32), 0x40000000);
}

// The bug report's table (libseccomp 2.5.4): calls some arches make only
// through socketcall/ipc exist there all the same, with the call number the
// kernel reads (socketcall: an int; ipc: the low 16 bits).
TEST(KnowledgeBase, MultiplexedCalls) {
  struct Case {
    const char *name;
    Arch arch;
    const char *mux;
    unsigned call;
    bool direct;
  } cases[] = {
      {"accept", Arch::X86, "socketcall", 5, false},
      {"send", Arch::X86, "socketcall", 9, false},
      {"recv", Arch::X86, "socketcall", 10, false},
      {"socket", Arch::X86, "socketcall", 1, true},
      {"accept4", Arch::X86, "socketcall", 18, true},
      {"semop", Arch::X86, "ipc", 1, false},
      {"semtimedop", Arch::X86, "ipc", 4, false},
      {"shmget", Arch::X86, "ipc", 23, true},
      {"semop", Arch::PPC64LE, "ipc", 1, false},
      {"semtimedop", Arch::PPC64LE, "ipc", 4, true},
      {"accept", Arch::PPC64LE, "socketcall", 5, true},
      {"accept", Arch::S390X, "socketcall", 5, false},
      {"send", Arch::S390X, "socketcall", 9, false},
      {"recv", Arch::S390X, "socketcall", 10, false},
      {"semop", Arch::S390X, "ipc", 1, false},
      {"socket", Arch::S390X, "socketcall", 1, true},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(std::string(c.name) + " on " + getArchInfo(c.arch).name.str());
    std::optional<MultiplexedCall> m = getMultiplexedCall(c.name, c.arch);
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->multiplexer, c.mux);
    EXPECT_EQ(m->call, c.call);
    EXPECT_EQ(m->callMask, llvm::StringRef(c.mux) == "ipc" ? 0xffffu
                                                           : 0xffffffffu);
    EXPECT_EQ(m->multiplexerNumber, *resolveSyscall(c.mux, c.arch));
    EXPECT_EQ(m->pseudoNumber,
              -int(c.call) - (llvm::StringRef(c.mux) == "ipc" ? 200 : 100));
    EXPECT_EQ(resolveSyscall(c.name, c.arch).has_value(), c.direct);
    EXPECT_TRUE(syscallExists(c.name, c.arch));
    EXPECT_EQ(getMultiplexer(c.name, c.arch), llvm::StringRef(c.mux));
  }
  // No multiplexer on the other arches; absent calls do not exist.
  EXPECT_FALSE(getMultiplexedCall("socket", Arch::X86_64).has_value());
  EXPECT_FALSE(getMultiplexedCall("semop", Arch::AArch64).has_value());
  EXPECT_FALSE(getMultiplexedCall("read", Arch::X86).has_value());
  EXPECT_FALSE(syscallExists("open", Arch::AArch64));
  EXPECT_FALSE(syscallExists("recv", Arch::X86_64));
  EXPECT_TRUE(syscallExists("recv", Arch::Arm));
}

TEST(KnowledgeBase, ArchNamesAndAliases) {
  EXPECT_EQ(lookupArch("amd64"), Arch::X86_64);
  EXPECT_EQ(lookupArch("arm64"), Arch::AArch64);
  EXPECT_EQ(lookupArch("i386"), Arch::X86);
  EXPECT_FALSE(lookupArch("x86-64").has_value());
  EXPECT_EQ(getArchInfo(Arch::X86).ociName, "SCMP_ARCH_X86");
}

TEST(KnowledgeBase, ErrnoNames) {
  EXPECT_EQ(lookupErrno("EPERM"), 1u);
  EXPECT_EQ(lookupErrno("ENOSYS"), 38u);
  EXPECT_EQ(lookupErrno("EACCES"), 13u);
  EXPECT_FALSE(lookupErrno("EPREM").has_value());
}

TEST(KnowledgeBase, Capabilities) {
  EXPECT_TRUE(isCapability("setuid"));
  EXPECT_TRUE(isCapability("checkpoint_restore"));
  EXPECT_FALSE(isCapability("CAP_SETUID"));
  EXPECT_EQ(getCapabilityNames().size(), 41u);
}

TEST(KnowledgeBase, SyscallNameListIsSortedAndUnique) {
  const auto &names = getSyscallNames(getAllArches());
  ASSERT_FALSE(names.empty());
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_TRUE(std::adjacent_find(names.begin(), names.end()) == names.end());
  EXPECT_TRUE(std::binary_search(names.begin(), names.end(), "socketcall"));
}

} // namespace

namespace {
// Families.def: every member exists somewhere, and no syscall is in two
// families (the family of a name must be unambiguous).
TEST(KnowledgeBase, SyscallFamilies) {
  std::map<std::string, size_t> seen;
  auto families = getSyscallFamilies();
  for (size_t i = 0; i < families.size(); ++i)
    for (llvm::StringRef m : families[i]) {
      EXPECT_TRUE(resolvesSomewhere(m)) << m.str();
      auto [it, inserted] = seen.emplace(m.str(), i);
      EXPECT_TRUE(inserted) << m.str() << " is in two families";
    }
  auto open = getSyscallFamily("openat");
  EXPECT_TRUE(llvm::is_contained(open, "open"));
  EXPECT_TRUE(llvm::is_contained(open, "openat2"));
  EXPECT_EQ(getSyscallFamily("getpid"), std::vector<llvm::StringRef>{"getpid"});
  for (llvm::StringRef n : getImplicitlyDeniedSyscalls())
    EXPECT_TRUE(resolvesSomewhere(n)) << n.str();
}
} // namespace

namespace {
// NetObjects.def: the seccomp columns name constants that exist on every
// arch and say what the AppArmor columns say (family 'inet' is AF_INET,
// type 'stream' is SOCK_STREAM), and the type fits SOCK_TYPE_MASK.
TEST(KnowledgeBase, NetObjectsSayTheSameInBothBackends) {
  for (NetObject o : getAllNetObjects()) {
    const NetObjectInfo &info = getNetObjectInfo(o);
    SCOPED_TRACE(info.spelling.str());
    ASSERT_EQ(info.domains.size(), info.families.size());
    for (size_t i = 0; i < info.domains.size(); ++i)
      EXPECT_EQ(info.domains[i].str(), "AF_" + info.families[i].upper());
    EXPECT_EQ(info.socketType.str(),
              info.type.empty() ? "" : "SOCK_" + info.type.upper());
    for (Arch a : getAllArches()) {
      for (llvm::StringRef d : info.domains)
        EXPECT_TRUE(lookupConstant(d, a).has_value()) << d.str();
      if (info.socketType.empty())
        continue;
      std::optional<uint64_t> type = lookupConstant(info.socketType, a);
      ASSERT_TRUE(type.has_value());
      EXPECT_EQ(*type & ~*lookupConstant("SOCK_TYPE_MASK", a), 0u);
    }
  }
}

// SOCK_TYPE: each word is AppArmor's keyword for the constant beside it
// (stream is SOCK_STREAM), which exists on every arch and fits
// SOCK_TYPE_MASK; no word also names an object but the type alone.
TEST(KnowledgeBase, SockTypesSayTheSameInBothBackends) {
  ASSERT_FALSE(getSockTypeSpellings().empty());
  for (llvm::StringRef t : getSockTypeSpellings()) {
    SCOPED_TRACE(t.str());
    std::optional<llvm::StringRef> c = lookupSockType(t);
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->str(), "SOCK_" + t.upper());
    // A word is an object too only as that type of every family (`raw`):
    // first the object, then a type after a family, both meaning the same.
    if (std::optional<NetObject> o = lookupNetObject(t)) {
      EXPECT_TRUE(getNetObjectInfo(*o).families.empty());
      EXPECT_EQ(getNetObjectInfo(*o).type, t);
    }
    for (Arch a : getAllArches()) {
      std::optional<uint64_t> v = lookupConstant(*c, a);
      ASSERT_TRUE(v.has_value());
      EXPECT_EQ(*v & ~*lookupConstant("SOCK_TYPE_MASK", a), 0u);
    }
  }
  EXPECT_FALSE(lookupSockType("packet").has_value());
}

// NETLINK_PROTOCOL: each word is the constant's name in lower case
// (route is NETLINK_ROUTE), which exists on every arch; no word is also a
// socket type, which may stand in the same place (`netlink dgram route`).
TEST(KnowledgeBase, NetlinkProtocolsAreTheirConstants) {
  ASSERT_FALSE(getNetlinkProtocolSpellings().empty());
  for (llvm::StringRef p : getNetlinkProtocolSpellings()) {
    SCOPED_TRACE(p.str());
    std::optional<llvm::StringRef> c = lookupNetlinkProtocol(p);
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->str(), "NETLINK_" + p.upper());
    EXPECT_FALSE(lookupSockType(p).has_value());
    for (Arch a : getAllArches())
      EXPECT_TRUE(lookupConstant(*c, a).has_value());
  }
  EXPECT_EQ(*lookupConstant(*lookupNetlinkProtocol("route"), Arch::X86_64),
            0u);
  EXPECT_EQ(*lookupConstant(*lookupNetlinkProtocol("audit"), Arch::X86_64),
            9u);
}

// SOCKET_CALL: each takes `domain`, `type` and `protocol` as 32-bit
// arguments wherever it exists, which is what the narrowing of network
// intents compares.
TEST(KnowledgeBase, SocketCallsTakeDomainAndType) {
  ASSERT_FALSE(getSocketCalls().empty());
  for (llvm::StringRef sc : getSocketCalls()) {
    EXPECT_TRUE(resolvesSomewhere(sc)) << sc.str();
    for (Arch a : getAllArches()) {
      if (!resolveSyscall(sc, a))
        continue;
      std::optional<std::vector<SyscallArg>> sig = getSyscallSignature(sc, a);
      ASSERT_TRUE(sig.has_value()) << sc.str();
      for (llvm::StringRef name : {"domain", "type", "protocol"})
        EXPECT_TRUE(llvm::any_of(*sig, [&](const SyscallArg &arg) {
          return arg.name == name && isArgType32Bit(arg.type);
        })) << sc.str() << " " << name.str();
    }
  }
}
} // namespace
