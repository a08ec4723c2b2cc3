//===- KnowledgeBase.cpp --------------------------------------------------===//
#include "polc/KB/KnowledgeBase.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/ErrorHandling.h"

#include <seccomp.h>

#include <cstring>
#include <limits>
#include <map>
#include <mutex>
#include <set>
#include <string>

using namespace polc;
using namespace polc::kb;

namespace {
template <typename Vec> Vec splitWords(llvm::StringRef s) {
  Vec out;
  llvm::SmallVector<llvm::StringRef, 16> parts;
  s.split(parts, ' ', -1, /*KeepEmpty=*/false);
  out.append(parts.begin(), parts.end());
  return out;
}

#define VERB(ID, SPELLING, CLASS, APPARMOR, GRANT, DENY_ALL) SPELLING,
const llvm::StringRef verbSpellings[] = {
#include "polc/KB/Verbs.def"
};
#define NETOBJ(ID, SPELLING, FAMILIES, TYPE, DOMAINS, SOCK_TYPE, TAKES_PATH)  \
  SPELLING,
const llvm::StringRef netObjectSpellings[] = {
#include "polc/KB/NetObjects.def"
};
#define NETOBJ(ID, SPELLING, FAMILIES, TYPE, DOMAINS, SOCK_TYPE, TAKES_PATH)  \
  NetObject::ID,
const NetObject allNetObjects[] = {
#include "polc/KB/NetObjects.def"
};
#define SOCK_TYPE(SPELLING, CONSTANT) #SPELLING,
const llvm::StringRef sockTypeSpellings[] = {
#include "polc/KB/NetObjects.def"
};
#define SOCK_TYPE(SPELLING, CONSTANT) CONSTANT,
const llvm::StringRef sockTypeConstants[] = {
#include "polc/KB/NetObjects.def"
};
#define NETLINK_PROTOCOL(SPELLING, CONSTANT) #SPELLING,
const llvm::StringRef netlinkProtocolSpellings[] = {
#include "polc/KB/NetObjects.def"
};
#define NETLINK_PROTOCOL(SPELLING, CONSTANT) CONSTANT,
const llvm::StringRef netlinkProtocolConstants[] = {
#include "polc/KB/NetObjects.def"
};
#define SOCKET_CALL(NAME) #NAME,
const llvm::StringRef socketCalls[] = {
#include "polc/KB/NetObjects.def"
};
#define RLIMIT(NAME, KIND) #NAME,
const llvm::StringRef rlimitNames[] = {
#include "polc/KB/Rlimits.def"
};
#define RLIMIT(NAME, KIND) RlimitKind::KIND,
const RlimitKind rlimitKinds[] = {
#include "polc/KB/Rlimits.def"
};
#define ABSTRACTION(NAME) NAME,
const llvm::StringRef abstractionNames[] = {
#include "polc/KB/Abstractions.def"
};
#define CAP(NAME, NUMBER) #NAME,
const llvm::StringRef capabilityNames[] = {
#include "polc/KB/Capabilities.def"
};
#define ARCH(ID, NAME, OCI_NAME, ALIASES, BIG_ENDIAN, DOCKER_PRIMARY) Arch::ID,
const Arch allArches[] = {
#include "polc/KB/Arches.def"
};
#define VERB(ID, SPELLING, CLASS, APPARMOR, GRANT, DENY_ALL) Verb::ID,
const Verb allVerbs[] = {
#include "polc/KB/Verbs.def"
};
#define OPERATION(ID, SPELLING, CAPS, RULES, SYSCALLS, GRANT_NOTE, DENY_NOTE) SPELLING,
const llvm::StringRef operationSpellings[] = {
#include "polc/KB/Operations.def"
};
#define OPERATION(ID, SPELLING, CAPS, RULES, SYSCALLS, GRANT_NOTE, DENY_NOTE)         \
  Operation::ID,
const Operation allOperations[] = {
#include "polc/KB/Operations.def"
};

#define PEER_VERB(ID, SPELLING, RULE, ACCESS, SELF_ACCESS, SYSCALLS, NOTE)     \
  SPELLING,
const llvm::StringRef peerVerbSpellings[] = {
#include "polc/KB/Peers.def"
};
#define PEER_VERB(ID, SPELLING, RULE, ACCESS, SELF_ACCESS, SYSCALLS, NOTE)     \
  PeerVerb::ID,
const PeerVerb allPeerVerbs[] = {
#include "polc/KB/Peers.def"
};

const char builtinSource[] =
#include "builtin.pol.inc"
    ;
} // namespace

const VerbInfo &kb::getVerbInfo(Verb verb) {
  static const std::vector<VerbInfo> infos = {
#define VERB(ID, SPELLING, CLASS, APPARMOR, GRANT, DENY_ALL)                   \
  VerbInfo{SPELLING, VerbClass::CLASS, APPARMOR,                               \
           splitWords<llvm::SmallVector<llvm::StringRef, 16>>(GRANT),          \
           splitWords<llvm::SmallVector<llvm::StringRef, 2>>(DENY_ALL)},
#include "polc/KB/Verbs.def"
  };
  return infos[static_cast<unsigned>(verb)];
}

std::optional<Verb> kb::lookupVerb(llvm::StringRef spelling) {
  for (unsigned i = 0; i < std::size(verbSpellings); ++i)
    if (verbSpellings[i] == spelling)
      return static_cast<Verb>(i);
  return std::nullopt;
}
llvm::ArrayRef<llvm::StringRef> kb::getVerbSpellings() { return verbSpellings; }
llvm::ArrayRef<Verb> kb::getAllVerbs() { return allVerbs; }

const OperationInfo &kb::getOperationInfo(Operation op) {
  static const std::vector<OperationInfo> infos = {
#define OPERATION(ID, SPELLING, CAPS, RULES, SYSCALLS, GRANT_NOTE, DENY_NOTE)         \
  OperationInfo{SPELLING, splitWords<llvm::SmallVector<llvm::StringRef, 2>>(CAPS), \
                splitWords<llvm::SmallVector<llvm::StringRef, 4>>(RULES),      \
                splitWords<llvm::SmallVector<llvm::StringRef, 8>>(SYSCALLS),   \
                GRANT_NOTE, DENY_NOTE},
#include "polc/KB/Operations.def"
  };
  return infos[static_cast<unsigned>(op)];
}
std::optional<Operation> kb::lookupOperation(llvm::StringRef spelling) {
  for (unsigned i = 0; i < std::size(operationSpellings); ++i)
    if (operationSpellings[i] == spelling)
      return static_cast<Operation>(i);
  return std::nullopt;
}
llvm::ArrayRef<llvm::StringRef> kb::getOperationSpellings() {
  return operationSpellings;
}
llvm::ArrayRef<Operation> kb::getAllOperations() { return allOperations; }

const PeerVerbInfo &kb::getPeerVerbInfo(PeerVerb v) {
  static const std::vector<PeerVerbInfo> infos = {
#define PEER_VERB(ID, SPELLING, RULE, ACCESS, SELF_ACCESS, SYSCALLS, NOTE)     \
  PeerVerbInfo{SPELLING, RULE, ACCESS, SELF_ACCESS,                            \
               splitWords<llvm::SmallVector<llvm::StringRef, 8>>(SYSCALLS),    \
               NOTE},
#include "polc/KB/Peers.def"
  };
  return infos[static_cast<unsigned>(v)];
}
std::optional<PeerVerb> kb::lookupPeerVerb(llvm::StringRef spelling) {
  for (unsigned i = 0; i < std::size(peerVerbSpellings); ++i)
    if (peerVerbSpellings[i] == spelling)
      return static_cast<PeerVerb>(i);
  return std::nullopt;
}
llvm::ArrayRef<llvm::StringRef> kb::getPeerVerbSpellings() {
  return peerVerbSpellings;
}
llvm::ArrayRef<PeerVerb> kb::getAllPeerVerbs() { return allPeerVerbs; }

const NetObjectInfo &kb::getNetObjectInfo(NetObject obj) {
  static const std::vector<NetObjectInfo> infos = {
#define NETOBJ(ID, SPELLING, FAMILIES, TYPE, DOMAINS, SOCK_TYPE, TAKES_PATH)  \
  NetObjectInfo{SPELLING,                                                      \
                splitWords<llvm::SmallVector<llvm::StringRef, 2>>(FAMILIES),   \
                TYPE,                                                          \
                splitWords<llvm::SmallVector<llvm::StringRef, 2>>(DOMAINS),    \
                SOCK_TYPE,                                                     \
                TAKES_PATH},
#include "polc/KB/NetObjects.def"
  };
  return infos[static_cast<unsigned>(obj)];
}
std::string kb::formatPeerRule(PeerVerb v, bool toSelf, llvm::StringRef peer) {
  const PeerVerbInfo &info = getPeerVerbInfo(v);
  std::string r = info.rule.str();
  if (info.access.empty()) // change_profile -> TARGET
    return peer.empty() ? r : r + " -> " + peer.str();
  r += " (" + (toSelf ? info.selfAccess : info.access).str() + ")";
  return peer.empty() ? r : r + " peer=" + peer.str();
}

std::optional<NetObject> kb::lookupNetObject(llvm::StringRef spelling) {
  for (unsigned i = 0; i < std::size(netObjectSpellings); ++i)
    if (netObjectSpellings[i] == spelling)
      return static_cast<NetObject>(i);
  return std::nullopt;
}
llvm::ArrayRef<llvm::StringRef> kb::getNetObjectSpellings() {
  return netObjectSpellings;
}
llvm::ArrayRef<NetObject> kb::getAllNetObjects() { return allNetObjects; }

std::string kb::formatArchList(llvm::ArrayRef<Arch> arches) {
  std::string out;
  for (Arch a : arches)
    out += (out.empty() ? "" : ", ") + getArchInfo(a).name.str();
  return out;
}
std::optional<llvm::StringRef> kb::lookupSockType(llvm::StringRef spelling) {
  for (unsigned i = 0; i < std::size(sockTypeSpellings); ++i)
    if (sockTypeSpellings[i] == spelling)
      return sockTypeConstants[i];
  return std::nullopt;
}
llvm::ArrayRef<llvm::StringRef> kb::getSockTypeSpellings() {
  return sockTypeSpellings;
}
std::optional<RlimitKind> kb::lookupRlimit(llvm::StringRef name) {
  for (unsigned i = 0; i < std::size(rlimitNames); ++i)
    if (rlimitNames[i] == name)
      return rlimitKinds[i];
  return std::nullopt;
}
llvm::ArrayRef<llvm::StringRef> kb::getRlimitNames() { return rlimitNames; }
llvm::ArrayRef<llvm::StringRef> kb::getRlimitUnits(RlimitKind kind) {
  static const llvm::StringRef none[] = {""};
  static const llvm::StringRef size[] = {"", "K", "KB", "M", "MB", "G", "GB"};
  static const llvm::StringRef cpu[] = {
      "",     "s",   "sec",  "second", "seconds", "min", "minute",
      "minutes", "h", "hour", "hours",  "d",       "day", "days",
      "week", "weeks"};
  static const llvm::StringRef rttime[] = {
      "",       "s",     "sec",   "second",      "seconds",      "min",
      "minute", "minutes", "h",   "hour",        "hours",        "d",
      "day",    "days",  "week",  "weeks",       "us",           "microsecond",
      "microseconds", "ms", "millisecond", "milliseconds"};
  switch (kind) {
  case RlimitKind::Size: return size;
  case RlimitKind::Cpu: return cpu;
  case RlimitKind::RtTime: return rttime;
  case RlimitKind::Count:
  case RlimitKind::Nice: return none;
  }
  return none;
}

bool kb::isRlimitValue(RlimitKind kind, llvm::StringRef v, std::string &want) {
  llvm::StringRef digits = v;
  bool negative = digits.consume_front("-");
  llvm::StringRef unit = digits.drop_while(llvm::isDigit);
  digits = digits.take_while(llvm::isDigit);
  if (kind == RlimitKind::Nice) {
    want = "a nice value from -20 to 19";
    unsigned n = 0;
    return !digits.empty() && unit.empty() && !digits.getAsInteger(10, n) &&
           n <= (negative ? 20u : 19u);
  }
  llvm::ArrayRef<llvm::StringRef> units = getRlimitUnits(kind).drop_front();
  want = kind == RlimitKind::Count ? "a number"
         : kind == RlimitKind::Size
             ? "a number of bytes, with " + llvm::join(units, ", ") +
                   " or no unit"
             : "a number of seconds, or with a unit (" +
                   llvm::join(units, ", ") + ")";
  want += ", or 'infinity'";
  return v == "infinity" ||
         (!negative && !digits.empty() &&
          llvm::is_contained(getRlimitUnits(kind), unit));
}

double kb::rlimitAllowance(RlimitKind kind, llvm::StringRef v) {
  if (v == "infinity")
    return std::numeric_limits<double>::infinity();
  llvm::StringRef digits = v;
  bool negative = digits.consume_front("-");
  llvm::StringRef unit = digits.drop_while(llvm::isDigit);
  digits = digits.take_while(llvm::isDigit);
  double n = 0;
  for (char c : digits)
    n = n * 10 + (c - '0');
  if (kind == RlimitKind::Nice)
    return negative ? n : -n;
  const double second = kind == RlimitKind::RtTime ? 1e6 : 1;
  double scale = llvm::StringSwitch<double>(unit)
                     .Cases("K", "KB", 1024.0)
                     .Cases("M", "MB", 1024.0 * 1024)
                     .Cases("G", "GB", 1024.0 * 1024 * 1024)
                     .Cases("us", "microsecond", "microseconds", 1)
                     .Cases("ms", "millisecond", "milliseconds", 1e3)
                     .Cases("s", "sec", "second", "seconds", second)
                     .Cases("min", "minute", "minutes", 60 * second)
                     .Cases("h", "hour", "hours", 3600 * second)
                     .Cases("d", "day", "days", 86400 * second)
                     .Cases("week", "weeks", 604800 * second)
                     .Default(1); // bytes, counts, cpu seconds, rttime us
  return n * scale;
}

std::optional<llvm::StringRef>
kb::lookupNetlinkProtocol(llvm::StringRef spelling) {
  for (unsigned i = 0; i < std::size(netlinkProtocolSpellings); ++i)
    if (netlinkProtocolSpellings[i] == spelling)
      return netlinkProtocolConstants[i];
  return std::nullopt;
}
llvm::ArrayRef<llvm::StringRef> kb::getNetlinkProtocolSpellings() {
  return netlinkProtocolSpellings;
}
llvm::ArrayRef<llvm::StringRef> kb::getSocketCalls() { return socketCalls; }

bool kb::isAbstraction(llvm::StringRef name) {
  return llvm::is_contained(abstractionNames, name);
}
llvm::ArrayRef<llvm::StringRef> kb::getAbstractionNames() {
  return abstractionNames;
}

bool kb::isCapability(llvm::StringRef name) {
  return llvm::is_contained(capabilityNames, name);
}
llvm::ArrayRef<llvm::StringRef> kb::getCapabilityNames() {
  return capabilityNames;
}

const ArchInfo &kb::getArchInfo(Arch arch) {
  static const std::vector<ArchInfo> infos = {
#define ARCH(ID, NAME, OCI_NAME, ALIASES, BIG_ENDIAN, DOCKER_PRIMARY)          \
  ArchInfo{NAME, OCI_NAME,                                                     \
           splitWords<llvm::SmallVector<llvm::StringRef, 2>>(ALIASES),         \
           BIG_ENDIAN, DOCKER_PRIMARY},
#include "polc/KB/Arches.def"
  };
  return infos[static_cast<unsigned>(arch)];
}
llvm::ArrayRef<Arch> kb::getAllArches() { return allArches; }
std::vector<llvm::StringRef> kb::getArchSpellings() {
  std::vector<llvm::StringRef> out;
  for (Arch a : allArches) {
    out.push_back(getArchInfo(a).name);
    for (llvm::StringRef alias : getArchInfo(a).aliases)
      out.push_back(alias);
  }
  return out;
}
std::optional<Arch> kb::lookupArch(llvm::StringRef nameOrAlias) {
  for (Arch a : allArches) {
    const ArchInfo &info = getArchInfo(a);
    if (info.name == nameOrAlias || llvm::is_contained(info.aliases, nameOrAlias))
      return a;
  }
  return std::nullopt;
}
Arch kb::getNativeArch() {
#if defined(__x86_64__) && defined(__ILP32__)
  return Arch::X32;
#elif defined(__x86_64__)
  return Arch::X86_64;
#elif defined(__i386__)
  return Arch::X86;
#elif defined(__aarch64__)
  return Arch::AArch64;
#elif defined(__arm__)
  return Arch::Arm;
#elif defined(__riscv) && __riscv_xlen == 64
  return Arch::RiscV64;
#elif defined(__powerpc64__) && defined(__LITTLE_ENDIAN__)
  return Arch::PPC64LE;
#elif defined(__s390x__)
  return Arch::S390X;
#else
#error "polc does not know this host's seccomp architecture"
#endif
}

namespace {
const std::map<std::string, unsigned, std::less<>> &errnoTable() {
  // glibc's strerrorname_np knows every errno name of this C library; the
  // generic Linux numbering is shared by all of polc's target arches.
  static const auto table = [] {
    std::map<std::string, unsigned, std::less<>> t;
    for (unsigned e = 1; e < 4096; ++e)
      if (const char *n = strerrorname_np(static_cast<int>(e)))
        t.emplace(n, e);
    t.emplace("EWOULDBLOCK", EWOULDBLOCK);
    t.emplace("EDEADLOCK", EDEADLOCK);
    return t;
  }();
  return table;
}
} // namespace

std::optional<unsigned> kb::lookupErrno(llvm::StringRef name) {
  const auto &t = errnoTable();
  auto it = t.find(name);
  if (it == t.end())
    return std::nullopt;
  return it->second;
}
std::vector<llvm::StringRef> kb::getErrnoNames() {
  std::vector<llvm::StringRef> out;
  for (const auto &[name, value] : errnoTable())
    out.push_back(name);
  return out;
}

namespace {
/// name -> number for one arch, from libseccomp's number -> name direction.
/// On x86, s390x and ppc64le libseccomp resolves the socket and System V IPC
/// calls by name to pseudo-numbers standing for socketcall/ipc, although the
/// kernel also has direct syscalls for them (i386 socket is 359 since Linux
/// 4.3); the reverse lookup finds those.
const llvm::StringMap<int> &directNumbers(Arch arch) {
  static std::mutex mu;
  static std::map<Arch, llvm::StringMap<int>> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(arch);
  if (it != cache.end())
    return it->second;
  llvm::StringMap<int> names;
  uint32_t token = seccomp_arch_resolve_name(getArchInfo(arch).name.data());
  uint32_t base = arch == Arch::X32 ? 0x40000000u : 0;
  for (int nr = 0; nr < 1024; ++nr) {
    int full = static_cast<int>(base) + nr;
    if (char *n = seccomp_syscall_resolve_num_arch(token, full)) {
      names.try_emplace(n, full);
      free(n);
    }
  }
  return cache.emplace(arch, std::move(names)).first->second;
}
} // namespace

std::optional<int> kb::resolveSyscall(llvm::StringRef name, Arch arch) {
  uint32_t token = seccomp_arch_resolve_name(getArchInfo(arch).name.data());
  if (token == 0)
    return std::nullopt;
  std::string n = name.str();
  int nr = seccomp_syscall_resolve_name_arch(token, n.c_str());
  if (nr >= 0)
    return nr;
  // A pseudo-number: the direct syscall, if the arch has one.
  const llvm::StringMap<int> &direct = directNumbers(arch);
  auto it = direct.find(name);
  if (it == direct.end())
    return std::nullopt;
  return it->second;
}

llvm::StringRef kb::getNewestSyscall(Arch arch) {
  llvm::StringRef newest;
  int highest = -1;
  for (const auto &entry : directNumbers(arch))
    if (entry.second > highest) {
      highest = entry.second;
      newest = entry.first();
    }
  return newest;
}

std::optional<kb::MultiplexedCall>
kb::getMultiplexedCall(llvm::StringRef name, Arch arch) {
  uint32_t token = seccomp_arch_resolve_name(getArchInfo(arch).name.data());
  if (token == 0)
    return std::nullopt;
  std::string n = name.str();
  int nr = seccomp_syscall_resolve_name_arch(token, n.c_str());
  // libseccomp's pseudo-numbers (seccomp-syscalls.h): socket calls -101
  // (socket) to -120 (sendmmsg), whose call number is SYS_SOCKET (1) to
  // SYS_SENDMMSG (20); IPC calls -201 (semop) to -224 (shmctl), call numbers
  // SEMOP (1) to SHMCTL (24). An arch with a multiplexer resolves every such
  // name to its pseudo-number, direct syscall or not.
  MultiplexedCall m{};
  if (nr <= -101 && nr >= -120) {
    m.multiplexer = "socketcall";
    m.call = static_cast<unsigned>(-nr - 100);
    // net/socket.c: SYSCALL_DEFINE2(socketcall, int, call, ...); net/compat.c
    // likewise for 32-bit callers: the kernel reads an int.
    m.callMask = 0xffffffffu;
  } else if (nr <= -201 && nr >= -224) {
    m.multiplexer = "ipc";
    m.call = static_cast<unsigned>(-nr - 200);
    // ipc/syscall.c: ksys_ipc and compat_ksys_ipc (x86's i386 ABI, ppc64le)
    // take `version = call >> 16; call &= 0xffff;`; s390x's sys_s390_ipc
    // (arch/s390/kernel/syscall.c) refuses a nonzero version with EINVAL
    // before doing the same, so on every arch the operation is the low 16
    // bits, and a call with other bits set is that operation or EINVAL.
    m.callMask = 0xffffu;
  } else {
    return std::nullopt;
  }
  std::optional<int> muxNr = resolveSyscall(m.multiplexer, arch);
  if (!muxNr)
    return std::nullopt;
  m.multiplexerNumber = *muxNr;
  m.pseudoNumber = nr;
  return m;
}

std::optional<llvm::StringRef> kb::getMultiplexer(llvm::StringRef name,
                                                  Arch arch) {
  if (std::optional<MultiplexedCall> m = getMultiplexedCall(name, arch))
    return m->multiplexer;
  return std::nullopt;
}

bool kb::syscallExists(llvm::StringRef name, Arch arch) {
  return resolveSyscall(name, arch) || getMultiplexedCall(name, arch);
}

const std::vector<std::string> &
kb::getSyscallNames(llvm::ArrayRef<Arch> arches) {
  static std::mutex mu;
  static std::map<std::vector<Arch>, std::vector<std::string>> cache;
  std::lock_guard<std::mutex> lock(mu);
  std::vector<Arch> key(arches.begin(), arches.end());
  auto it = cache.find(key);
  if (it != cache.end())
    return it->second;
  std::vector<std::string> names;
  for (Arch a : arches) {
    uint32_t token = seccomp_arch_resolve_name(getArchInfo(a).name.data());
    // Numbers on the arches polc targets stay below 1024 (plus the x32 and
    // ARM private ranges, which hold no names users write).
    uint32_t base = a == Arch::X32 ? 0x40000000u : 0;
    for (int nr = 0; nr < 1024; ++nr) {
      char *n = seccomp_syscall_resolve_num_arch(token, static_cast<int>(base) + nr);
      if (!n)
        continue;
      names.emplace_back(n);
      free(n);
    }
  }
  llvm::sort(names);
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return cache.emplace(std::move(key), std::move(names)).first->second;
}

std::vector<std::vector<llvm::StringRef>> kb::getSyscallFamilies() {
  static const char *const families[] = {
#define FAMILY(MEMBERS) MEMBERS,
#include "polc/KB/Families.def"
  };
  std::vector<std::vector<llvm::StringRef>> out;
  for (const char *f : families) {
    auto members = splitWords<llvm::SmallVector<llvm::StringRef, 8>>(f);
    out.emplace_back(members.begin(), members.end());
  }
  return out;
}

std::vector<llvm::StringRef> kb::getSyscallFamily(llvm::StringRef name) {
  static const std::vector<std::vector<llvm::StringRef>> families =
      getSyscallFamilies();
  for (const auto &f : families)
    if (llvm::is_contained(f, name))
      return f;
  return {name};
}

static const kb::SyscallSetInfo syscallSets[] = {
#define SET(NAME, VERSION, DESCRIPTION, MEMBERS, CHECKSUM)                     \
  {NAME, VERSION, DESCRIPTION, MEMBERS, CHECKSUM},
#include "polc/KB/SyscallSets.def"
};

llvm::ArrayRef<kb::SyscallSetInfo> kb::getSyscallSets() { return syscallSets; }

const kb::SyscallSetInfo *kb::getSyscallSet(llvm::StringRef name) {
  for (const SyscallSetInfo &s : syscallSets)
    if (s.name == name)
      return &s;
  return nullptr;
}

static void expandInto(llvm::StringRef name, std::set<llvm::StringRef> &names,
                       std::set<llvm::StringRef> &seen) {
  const kb::SyscallSetInfo *set = kb::getSyscallSet(name);
  if (!set || !seen.insert(name).second)
    return;
  llvm::SmallVector<llvm::StringRef, 64> members;
  set->members.split(members, ' ', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef m : members) {
    if (m.startswith("@"))
      expandInto(m, names, seen);
    else
      names.insert(m);
  }
}

std::vector<llvm::StringRef> kb::expandSyscallSet(llvm::StringRef name) {
  std::set<llvm::StringRef> names, seen;
  expandInto(name, names, seen);
  return {names.begin(), names.end()};
}

llvm::ArrayRef<llvm::StringRef> kb::getImplicitlyDeniedSyscalls() {
  static const llvm::StringRef names[] = {"io_uring_setup", "io_uring_enter",
                                          "io_uring_register"};
  return names;
}

llvm::ArrayRef<llvm::StringRef> kb::getFallbackSyscalls() {
  static const llvm::StringRef names[] = {"clone3", "openat2"};
  return names;
}

llvm::StringRef kb::getBuiltinSource() { return builtinSource; }

//===----------------------------------------------------------------------===//
// Syscall signatures (Signatures.def) and constants (Constants.def)
//===----------------------------------------------------------------------===//

namespace {
constexpr unsigned MaxSyscallArgs = 6;

std::optional<ArgType> parseArgType(llvm::StringRef spelling) {
  for (ArgType t : {ArgType::Int, ArgType::UInt, ArgType::Long, ArgType::ULong,
                    ArgType::Ptr})
    if (getArgTypeName(t) == spelling)
      return t;
  return std::nullopt;
}

struct SignatureEntry {
  llvm::StringRef syscall;
  std::optional<Arch> arch; ///< std::nullopt: the SIGNATURE default
  std::vector<SyscallArg> args;
};

/// Signatures.def, parsed once. A malformed entry is a bug in the table,
/// which the unit tests run into first: it stops the program.
const std::vector<SignatureEntry> &signatureTable() {
  static const std::vector<SignatureEntry> table = [] {
    struct Raw {
      const char *syscall;
      std::optional<Arch> arch;
      const char *args;
    };
    const Raw raw[] = {
#define SIGNATURE(NAME, ARGS) {#NAME, std::nullopt, ARGS},
#define SIGNATURE_ARCH(NAME, ARCH, ARGS) {#NAME, Arch::ARCH, ARGS},
#include "polc/KB/Signatures.def"
    };
    std::vector<SignatureEntry> t;
    for (const Raw &r : raw) {
      SignatureEntry e{r.syscall, r.arch, {}};
      for (llvm::StringRef word :
           splitWords<llvm::SmallVector<llvm::StringRef, 8>>(r.args)) {
        auto [name, typeName] = word.split(':');
        std::optional<ArgType> type = parseArgType(typeName);
        if (name.empty() || !type)
          llvm::report_fatal_error(
              llvm::Twine("Signatures.def: bad argument '") + word + "' of " +
              e.syscall);
        e.args.push_back({name, *type, static_cast<unsigned>(e.args.size())});
      }
      if (e.args.size() > MaxSyscallArgs)
        llvm::report_fatal_error(
            llvm::Twine("Signatures.def: more than 6 arguments for ") +
            e.syscall);
      t.push_back(std::move(e));
    }
    return t;
  }();
  return table;
}

struct ConstantValues {
  std::optional<uint64_t> common; ///< CONSTANT: every arch not overridden
  llvm::SmallVector<std::pair<Arch, uint64_t>, 2> perArch; ///< CONSTANT_ARCH
};

/// Constants.def, keyed by name. VALUE converts to uint64_t modulo 2^64, so
/// an int -100 becomes its sign extension and 0x80045430 (unsigned) stays
/// zero-extended: the register contents of a 64-bit caller.
const llvm::StringMap<ConstantValues> &constantTable() {
  static const llvm::StringMap<ConstantValues> table = [] {
    struct Raw {
      const char *name;
      std::optional<Arch> arch;
      uint64_t value;
    };
    const Raw raw[] = {
#define CONSTANT(NAME, VALUE)                                                  \
  {#NAME, std::nullopt, static_cast<uint64_t>(VALUE)},
#define CONSTANT_ARCH(NAME, ARCH, VALUE)                                       \
  {#NAME, Arch::ARCH, static_cast<uint64_t>(VALUE)},
#include "polc/KB/Constants.def"
    };
    llvm::StringMap<ConstantValues> t;
    for (const Raw &r : raw) {
      ConstantValues &v = t[r.name];
      if (r.arch)
        v.perArch.emplace_back(*r.arch, r.value);
      else
        v.common = r.value;
    }
    return t;
  }();
  return table;
}
} // namespace

llvm::StringRef kb::getArgTypeName(ArgType type) {
  switch (type) {
  case ArgType::Int:
    return "int";
  case ArgType::UInt:
    return "uint";
  case ArgType::Long:
    return "long";
  case ArgType::ULong:
    return "ulong";
  case ArgType::Ptr:
    return "ptr";
  }
  llvm_unreachable("unknown ArgType");
}

bool kb::isArgType32Bit(ArgType type) {
  return type == ArgType::Int || type == ArgType::UInt;
}

std::optional<std::vector<SyscallArg>>
kb::getSyscallSignature(llvm::StringRef syscall, Arch arch) {
  const SignatureEntry *common = nullptr;
  for (const SignatureEntry &e : signatureTable()) {
    if (e.syscall != syscall)
      continue;
    if (e.arch == arch)
      return e.args;
    if (!e.arch)
      common = &e;
  }
  if (!common)
    return std::nullopt;
  return common->args;
}

std::vector<llvm::StringRef> kb::getSignatureSyscalls() {
  std::vector<llvm::StringRef> out;
  for (const SignatureEntry &e : signatureTable())
    out.push_back(e.syscall);
  llvm::sort(out);
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::optional<uint64_t> kb::lookupConstant(llvm::StringRef name, Arch arch) {
  const llvm::StringMap<ConstantValues> &t = constantTable();
  auto it = t.find(name);
  if (it == t.end())
    return std::nullopt;
  for (const auto &[a, value] : it->second.perArch)
    if (a == arch)
      return value;
  return it->second.common;
}

std::vector<llvm::StringRef> kb::getConstantNames() {
  std::vector<llvm::StringRef> out;
  for (const auto &entry : constantTable())
    out.push_back(entry.getKey());
  llvm::sort(out);
  return out;
}

//===----------------------------------------------------------------------===//
// Kernel releases and the syscalls they added (SyscallVersions.def)
//===----------------------------------------------------------------------===//

std::string KernelVersion::str() const {
  std::string s = std::to_string(major) + "." + std::to_string(minor);
  if (patch)
    s += "." + std::to_string(patch);
  return s;
}

std::optional<KernelVersion> KernelVersion::parse(llvm::StringRef text) {
  llvm::SmallVector<llvm::StringRef, 3> parts;
  text.split(parts, '.');
  if (parts.size() < 2 || parts.size() > 3)
    return std::nullopt;
  unsigned values[3] = {0, 0, 0};
  for (size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].empty() || parts[i].size() > 4 ||
        !llvm::all_of(parts[i], [](char c) { return c >= '0' && c <= '9'; }))
      return std::nullopt;
    parts[i].getAsInteger(10, values[i]);
  }
  return KernelVersion{values[0], values[1], values[2]};
}

KernelVersion kb::getOldestBaseline() { return {3, 0, 0}; }

std::optional<unsigned> kb::getLastMinorRelease(unsigned major) {
  switch (major) {
  case 3: return 19;
  case 4: return 20;
  case 5: return 19;
  default: return std::nullopt;
  }
}

bool kb::isMainlineRelease(const KernelVersion &v) {
  if (v.patch != 0 || v.major < 3)
    return false;
  std::optional<unsigned> last = getLastMinorRelease(v.major);
  return last ? v.minor <= *last : v.major == 6;
}

namespace {
struct VersionTable {
  std::vector<SyscallVersionEntry> entries;
  /// name -> the generic version and the per-arch ones.
  llvm::StringMap<std::pair<std::optional<KernelVersion>,
                            std::map<Arch, KernelVersion>>>
      byName;
  std::map<Arch, KernelVersion> archSince;
};

/// SyscallVersions.def, parsed once. A malformed version is a bug in the
/// table, which the unit tests run into first: it stops the program.
const VersionTable &versionTable() {
  static const VersionTable table = [] {
    VersionTable t;
    auto parse = [](llvm::StringRef v, llvm::StringRef what) {
      std::optional<KernelVersion> k = KernelVersion::parse(v);
      if (!k)
        llvm::report_fatal_error(llvm::Twine("SyscallVersions.def: bad version '") +
                                 v + "' of " + what);
      return *k;
    };
#define SYSCALL_VERSION(NAME, VERSION)                                         \
  t.entries.push_back({#NAME, std::nullopt, VERSION});
#define SYSCALL_VERSION_ARCH(NAME, ARCH, VERSION)                              \
  t.entries.push_back({#NAME, Arch::ARCH, VERSION});
#define ARCH_SINCE(ARCH, VERSION)                                              \
  t.archSince[Arch::ARCH] = parse(VERSION, #ARCH);
#include "polc/KB/SyscallVersions.def"
    for (const SyscallVersionEntry &e : t.entries) {
      KernelVersion v = parse(e.version, e.name);
      auto &slot = t.byName[e.name];
      if (e.arch)
        slot.second[*e.arch] = v;
      else
        slot.first = v;
    }
    return t;
  }();
  return table;
}
} // namespace

llvm::ArrayRef<SyscallVersionEntry> kb::getSyscallVersionEntries() {
  return versionTable().entries;
}

std::optional<KernelVersion> kb::getSyscallVersion(llvm::StringRef name,
                                                   Arch arch) {
  const VersionTable &t = versionTable();
  auto it = t.byName.find(name);
  if (it == t.byName.end())
    return std::nullopt;
  auto a = it->second.second.find(arch);
  if (a != it->second.second.end())
    return a->second;
  return it->second.first;
}

std::optional<KernelVersion> kb::getArchFirstVersion(Arch arch) {
  const VersionTable &t = versionTable();
  auto it = t.archSince.find(arch);
  if (it == t.archSince.end())
    return std::nullopt;
  return it->second;
}

bool kb::isNewerThanBaseline(llvm::StringRef name, Arch arch,
                             const KernelVersion &baseline) {
  std::optional<KernelVersion> added = getSyscallVersion(name, arch);
  if (!added || !(*added > baseline))
    return false;
  // A kernel of this arch is at least as new as the arch itself.
  if (std::optional<KernelVersion> first = getArchFirstVersion(arch))
    if (!(*added > *first))
      return false;
  return resolveSyscall(name, arch).has_value();
}

std::vector<llvm::StringRef>
kb::getSyscallsNewerThan(const KernelVersion &baseline, Arch arch) {
  std::vector<llvm::StringRef> out;
  for (const auto &entry : versionTable().byName)
    if (isNewerThanBaseline(entry.getKey(), arch, baseline))
      out.push_back(entry.getKey());
  llvm::sort(out);
  return out;
}
