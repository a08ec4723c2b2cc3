//===- KnowledgeBase.h - polc's knowledge, kept as data ---------*- C++ -*-===//
//
// Read-only views of the .def tables beside this header (verbs, network
// objects, capabilities, architectures), the errno names, the built-in groups
// (lib/KB/builtin.pol) and per-arch syscall resolution, which is libseccomp's.
//
//===----------------------------------------------------------------------===//
#ifndef POLC_KB_KNOWLEDGEBASE_H
#define POLC_KB_KNOWLEDGEBASE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace polc::kb {

enum class VerbClass { File, Network, Privilege };

enum class Verb : unsigned {
#define VERB(ID, SPELLING, CLASS, APPARMOR, GRANT, DENY_ALL) ID,
#include "polc/KB/Verbs.def"
};

struct VerbInfo {
  llvm::StringRef spelling;
  VerbClass verbClass;
  llvm::StringRef apparmorPerms;
  llvm::SmallVector<llvm::StringRef, 16> grantSyscalls;
  llvm::SmallVector<llvm::StringRef, 2> denyAllSyscalls;
};
const VerbInfo &getVerbInfo(Verb verb);
std::optional<Verb> lookupVerb(llvm::StringRef spelling);
llvm::ArrayRef<llvm::StringRef> getVerbSpellings();
llvm::ArrayRef<Verb> getAllVerbs();

/// An intent without objects (Operations.def): `may [not] load modules`.
enum class Operation : unsigned {
#define OPERATION(ID, SPELLING, CAPS, RULES, SYSCALLS, GRANT_NOTE, DENY_NOTE) ID,
#include "polc/KB/Operations.def"
};
struct OperationInfo {
  llvm::StringRef spelling; ///< "load modules"
  llvm::SmallVector<llvm::StringRef, 2> capabilities;
  llvm::SmallVector<llvm::StringRef, 4> apparmorRules;
  llvm::SmallVector<llvm::StringRef, 8> syscalls;
  /// What AppArmor 3 leaves out of a grant and of a denial.
  llvm::StringRef grantNote, denyNote;
};
const OperationInfo &getOperationInfo(Operation op);
/// The operation spelled exactly \p spelling (words separated by one space).
std::optional<Operation> lookupOperation(llvm::StringRef spelling);
llvm::ArrayRef<llvm::StringRef> getOperationSpellings();
llvm::ArrayRef<Operation> getAllOperations();

/// An intent about other processes (Peers.def): `may signal PEER`.
enum class PeerVerb : unsigned {
#define PEER_VERB(ID, SPELLING, RULE, ACCESS, SELF_ACCESS, SYSCALLS, NOTE) ID,
#include "polc/KB/Peers.def"
};
struct PeerVerbInfo {
  llvm::StringRef spelling;   ///< "be signalled by"
  llvm::StringRef rule;       ///< AppArmor rule class: signal, ptrace
  llvm::StringRef access;     ///< access list for another profile
  llvm::StringRef selfAccess; ///< access list of a grant to its own profile
  llvm::SmallVector<llvm::StringRef, 8> syscalls;
  llvm::StringRef seccompNote;
};
const PeerVerbInfo &getPeerVerbInfo(PeerVerb v);
/// The AppArmor rule of \p v for \p peer (empty: any peer), without
/// `deny` and the comma: `signal (send) peer=NAME`, `change_profile ->
/// NAME`; \p toSelf takes the access list of a grant to its own profile.
std::string formatPeerRule(PeerVerb v, bool toSelf, llvm::StringRef peer);
/// The peer verb spelled exactly \p spelling (words separated by one space).
std::optional<PeerVerb> lookupPeerVerb(llvm::StringRef spelling);
llvm::ArrayRef<llvm::StringRef> getPeerVerbSpellings();
llvm::ArrayRef<PeerVerb> getAllPeerVerbs();

enum class NetObject : unsigned {
#define NETOBJ(ID, SPELLING, FAMILIES, TYPE, DOMAINS, SOCK_TYPE, TAKES_PATH) ID,
#include "polc/KB/NetObjects.def"
};
struct NetObjectInfo {
  llvm::StringRef spelling;
  /// AppArmor's; empty: every family (`network raw`)
  llvm::SmallVector<llvm::StringRef, 2> families;
  llvm::StringRef type; ///< AppArmor's; empty: every type
  /// The same in seccomp's terms: address families (AF_INET) and the socket
  /// type (SOCK_STREAM; empty: every type), as Constants.def names; no
  /// domain: every family.
  llvm::SmallVector<llvm::StringRef, 2> domains;
  llvm::StringRef socketType;
  bool takesPath;
};
const NetObjectInfo &getNetObjectInfo(NetObject obj);
std::optional<NetObject> lookupNetObject(llvm::StringRef spelling);
llvm::ArrayRef<llvm::StringRef> getNetObjectSpellings();
llvm::ArrayRef<NetObject> getAllNetObjects();
/// A socket type word after an object of every type (`inet6 dgram`):
/// AppArmor's keyword and the Constants.def name (SOCK_DGRAM), or
/// std::nullopt (NetObjects.def SOCK_TYPE).
std::optional<llvm::StringRef> lookupSockType(llvm::StringRef spelling);
llvm::ArrayRef<llvm::StringRef> getSockTypeSpellings();
/// A protocol word after `netlink` (`netlink route`): the Constants.def name
/// (NETLINK_ROUTE) socket(2)'s `protocol` is compared with, or std::nullopt
/// (NetObjects.def NETLINK_PROTOCOL).
std::optional<llvm::StringRef> lookupNetlinkProtocol(llvm::StringRef spelling);
llvm::ArrayRef<llvm::StringRef> getNetlinkProtocolSpellings();
/// The syscalls that create sockets (socket, socketpair), whose `domain` and
/// `type` arguments network intents narrow (NetObjects.def SOCKET_CALL).
llvm::ArrayRef<llvm::StringRef> getSocketCalls();

/// Resources of `limit RESOURCE VALUE` (Rlimits.def) and the kind of value
/// each takes.
enum class RlimitKind { Count, Size, Cpu, RtTime, Nice };
std::optional<RlimitKind> lookupRlimit(llvm::StringRef name);
llvm::ArrayRef<llvm::StringRef> getRlimitNames();
/// The units a value of \p kind may carry after its number ("" first: none).
llvm::ArrayRef<llvm::StringRef> getRlimitUnits(RlimitKind kind);
/// Whether \p value (no spaces: `2GB`, `-5`, `infinity`) is one a `limit`
/// of \p kind takes; else \p want says what it takes.
bool isRlimitValue(RlimitKind kind, llvm::StringRef value, std::string &want);
/// A valid \p value as a number that grows with what the limit allows (bytes,
/// microseconds, a count; for `nice`, the negated value, since a lower
/// nice ceiling allows more); `infinity` is the largest.
double rlimitAllowance(RlimitKind kind, llvm::StringRef value);

/// AppArmor abstractions (Abstractions.def): `may use abstraction NAME`.
bool isAbstraction(llvm::StringRef name);
llvm::ArrayRef<llvm::StringRef> getAbstractionNames();

bool isCapability(llvm::StringRef name);
llvm::ArrayRef<llvm::StringRef> getCapabilityNames();

/// A seccomp target architecture.
enum class Arch : unsigned {
#define ARCH(ID, NAME, OCI_NAME, ALIASES, BIG_ENDIAN, DOCKER_PRIMARY) ID,
#include "polc/KB/Arches.def"
};
struct ArchInfo {
  llvm::StringRef name;
  llvm::StringRef ociName;
  llvm::SmallVector<llvm::StringRef, 2> aliases;
  bool bigEndian;
  llvm::StringRef dockerPrimary; ///< "" unless a sub-architecture
};
const ArchInfo &getArchInfo(Arch arch);
llvm::ArrayRef<Arch> getAllArches();
/// Names and aliases, for did-you-mean.
std::vector<llvm::StringRef> getArchSpellings();
/// "x86, s390x": the arches' names in the given order, for messages.
std::string formatArchList(llvm::ArrayRef<Arch> arches);
std::optional<Arch> lookupArch(llvm::StringRef nameOrAlias);
/// The ABI polc itself was built for: the default target.
Arch getNativeArch();

/// errno names (EPERM) to numbers, as the C library knows them.
std::optional<unsigned> lookupErrno(llvm::StringRef name);
std::vector<llvm::StringRef> getErrnoNames();

/// Syscall resolution, from libseccomp's tables: the direct syscall number
/// of \p name on \p arch, or std::nullopt when the arch has no direct
/// syscall for it (it may still be reached through a multiplexer: see
/// getMultiplexedCall and syscallExists).
std::optional<int> resolveSyscall(llvm::StringRef name, Arch arch);
/// The multiplexer that also reaches \p name on \p arch ("socketcall" for
/// socket calls on x86, s390x, ppc64le; "ipc" for System V IPC), if any.
/// Its arguments sit behind a pointer, so seccomp cannot tell which call it
/// makes (pitfalls S5, S6).
std::optional<llvm::StringRef> getMultiplexer(llvm::StringRef name, Arch arch);

/// How a call is made through its multiplexer on one arch.
struct MultiplexedCall {
  llvm::StringRef multiplexer; ///< "socketcall" or "ipc"
  int multiplexerNumber;       ///< its syscall number on the arch
  /// The call number in the multiplexer's first argument (SYS_ACCEPT = 5,
  /// SEMOP = 1).
  unsigned call;
  /// The bits of the first argument the kernel reads as the call number:
  /// 0xffffffff for socketcall(int call, ...), 0xffff for ipc(unsigned int
  /// call, ...), whose upper 16 bits are a version (ipc/syscall.c: `version =
  /// call >> 16; call &= 0xffff;`).
  uint64_t callMask;
  /// libseccomp's pseudo-number for the name on the arch (-101..-120 for
  /// socket calls, -201..-224 for IPC): what polc's IR holds for a call
  /// the arch makes only through the multiplexer.
  int pseudoNumber;
};
/// The multiplexed form of \p name on \p arch (socketcall(SYS_ACCEPT),
/// ipc(SEMOP)), whether or not the arch also has a direct syscall for it;
/// std::nullopt where no multiplexer reaches it.
std::optional<MultiplexedCall> getMultiplexedCall(llvm::StringRef name,
                                                  Arch arch);
/// Whether a program on \p arch can make \p name at all: as a direct
/// syscall, or only through socketcall/ipc (accept, send, recv on x86 and
/// s390x; semop, semtimedop on x86; semop on s390x and ppc64le).
bool syscallExists(llvm::StringRef name, Arch arch);

/// The highest-numbered syscall libseccomp knows on \p arch.
llvm::StringRef getNewestSyscall(Arch arch);

/// Every syscall name libseccomp knows on at least one of \p arches, sorted.
const std::vector<std::string> &getSyscallNames(llvm::ArrayRef<Arch> arches);

/// The syscall family \p name belongs to (Families.def), including \p name
/// itself; just {name} when it belongs to none.
std::vector<llvm::StringRef> getSyscallFamily(llvm::StringRef name);
/// Every family, for tests.
std::vector<std::vector<llvm::StringRef>> getSyscallFamilies();

/// A pinned syscall set (SyscallSets.def), named `@name` in `syscall`
/// statements: systemd's SystemCallFilter= sets, frozen at a version.
struct SyscallSetInfo {
  llvm::StringRef name;        ///< with its '@'
  unsigned version;
  llvm::StringRef description;
  llvm::StringRef members;     ///< names and @sets, space separated
  uint64_t checksum;           ///< FNV-1a of the expanded members
};
llvm::ArrayRef<SyscallSetInfo> getSyscallSets();
/// The set called \p name ("@file-system"); nullptr if there is none.
const SyscallSetInfo *getSyscallSet(llvm::StringRef name);
/// The syscall names of set \p name with its nested sets expanded, sorted
/// and unique; empty for an unknown set.
std::vector<llvm::StringRef> expandSyscallSet(llvm::StringRef name);

/// Syscalls polc denies (ENOSYS) under a permissive default unless a
/// statement names one of them: io_uring, whose operations bypass seccomp.
/// Allowing them is therefore never "the same as the default".
llvm::ArrayRef<llvm::StringRef> getImplicitlyDeniedSyscalls();

/// Syscalls that take their flags in memory, where seccomp cannot see them,
/// and that the C library replaces by a classic sibling when they fail with
/// ENOSYS (clone3 -> clone, openat2 -> openat; pitfalls S9). polc gives them
/// ENOSYS, not EPERM, unless a statement names them.
llvm::ArrayRef<llvm::StringRef> getFallbackSyscalls();

/// A Linux release: 5.10 is {5, 10, 0}; 2.6.39 is {2, 6, 39}.
struct KernelVersion {
  unsigned major = 0, minor = 0, patch = 0;
  /// "5.10", "2.6.39" (a patch level only when nonzero).
  std::string str() const;
  /// Parses "X.Y" or "X.Y.Z" (decimal, no leading sign); std::nullopt
  /// otherwise.
  static std::optional<KernelVersion> parse(llvm::StringRef text);
  friend bool operator<(const KernelVersion &a, const KernelVersion &b) {
    return std::tie(a.major, a.minor, a.patch) <
           std::tie(b.major, b.minor, b.patch);
  }
  friend bool operator==(const KernelVersion &a, const KernelVersion &b) {
    return !(a < b) && !(b < a);
  }
  friend bool operator>(const KernelVersion &a, const KernelVersion &b) {
    return b < a;
  }
};
/// The oldest baseline polc accepts: SyscallVersions.def covers the
/// syscalls added from this release on.
KernelVersion getOldestBaseline();
/// Whether \p v names a mainline release (3.0-3.19, 4.0-4.20, 5.0-5.19,
/// 6.x): the only versions that add syscalls.
bool isMainlineRelease(const KernelVersion &v);
/// The last minor release of the series \p major (3: 19, 4: 20, 5: 19), or
/// std::nullopt for a series still open.
std::optional<unsigned> getLastMinorRelease(unsigned major);

/// The release that added \p name on \p arch (SyscallVersions.def), or
/// std::nullopt when it is older than getOldestBaseline() there (or
/// unknown). Whether it exists on \p arch is resolveSyscall's business.
std::optional<KernelVersion> getSyscallVersion(llvm::StringRef name, Arch arch);
/// The first release with \p arch (aarch64: 3.7), or std::nullopt for an
/// arch older than getOldestBaseline().
std::optional<KernelVersion> getArchFirstVersion(Arch arch);
/// Whether a kernel of \p arch at least as new as \p baseline may lack
/// \p name: it was added after \p baseline and after the arch's first
/// release. False for a syscall that does not exist on \p arch.
bool isNewerThanBaseline(llvm::StringRef name, Arch arch,
                         const KernelVersion &baseline);
/// Every syscall of \p arch newer than \p baseline there, sorted by name.
std::vector<llvm::StringRef> getSyscallsNewerThan(const KernelVersion &baseline,
                                                  Arch arch);
/// The rows of SyscallVersions.def, for tests: arch is std::nullopt for a
/// SYSCALL_VERSION entry.
struct SyscallVersionEntry {
  llvm::StringRef name;
  std::optional<Arch> arch;
  llvm::StringRef version;
};
llvm::ArrayRef<SyscallVersionEntry> getSyscallVersionEntries();

/// The text of the built-in groups (lib/KB/builtin.pol), and its name in
/// diagnostics.
llvm::StringRef getBuiltinSource();
constexpr const char *BuiltinBufferName = "<builtin>";

/// How the kernel reads a syscall argument register (Signatures.def), which
/// decides how a condition may compare it (pitfalls S10-S13).
enum class ArgType {
  Int,   ///< 32-bit signed: compare the low 32 bits only.
  UInt,  ///< 32-bit unsigned: compare the low 32 bits only.
  Long,  ///< 64-bit signed (32-bit on 32-bit ABIs).
  ULong, ///< 64-bit unsigned (32-bit on 32-bit ABIs).
  Ptr,   ///< An address: conditions on it are refused (S10).
};
/// The spelling in Signatures.def: "int", "uint", "long", "ulong", "ptr".
llvm::StringRef getArgTypeName(ArgType type);
/// Int and UInt: the kernel reads only the low 32 bits of the register.
bool isArgType32Bit(ArgType type);

struct SyscallArg {
  llvm::StringRef name; ///< as in the man page: "domain", "flags"
  ArgType type;
  unsigned index; ///< the register: seccomp_data.args[index]
};
/// The arguments of \p syscall on \p arch, in register order: the
/// SIGNATURE_ARCH entry for \p arch if Signatures.def has one, else the
/// SIGNATURE entry (clone's order, for one, differs per arch). std::nullopt
/// when Signatures.def does not describe \p syscall. Whether the syscall
/// exists on \p arch is resolveSyscall's business.
std::optional<std::vector<SyscallArg>>
getSyscallSignature(llvm::StringRef syscall, Arch arch);
/// Every syscall Signatures.def describes, sorted and unique.
std::vector<llvm::StringRef> getSignatureSyscalls();

/// The value of the symbolic constant \p name (Constants.def) on \p arch,
/// as the 64-bit pattern the kernel sees: negative values are their two's
/// complement (AT_FDCWD, the int -100, is 0xffffffffffffff9c; int arguments
/// are compared on their low 32 bits, where that is 0xffffff9c). std::nullopt
/// for an unknown name or one that does not exist on \p arch (MAP_32BIT off
/// x86).
std::optional<uint64_t> lookupConstant(llvm::StringRef name, Arch arch);
/// Every constant name, on any arch, sorted and unique (for did-you-mean).
std::vector<llvm::StringRef> getConstantNames();

} // namespace polc::kb

#endif
