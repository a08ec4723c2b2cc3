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

#include <optional>
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

enum class NetObject : unsigned {
#define NETOBJ(ID, SPELLING, FAMILIES, TYPE, TAKES_PATH) ID,
#include "polc/KB/NetObjects.def"
};
struct NetObjectInfo {
  llvm::StringRef spelling;
  llvm::SmallVector<llvm::StringRef, 2> families;
  llvm::StringRef type; ///< empty: every type
  bool takesPath;
};
const NetObjectInfo &getNetObjectInfo(NetObject obj);
std::optional<NetObject> lookupNetObject(llvm::StringRef spelling);
llvm::ArrayRef<llvm::StringRef> getNetObjectSpellings();

bool isCapability(llvm::StringRef name);
llvm::ArrayRef<llvm::StringRef> getCapabilityNames();

/// A seccomp target architecture.
enum class Arch : unsigned {
#define ARCH(ID, NAME, OCI_NAME, ALIASES, BIG_ENDIAN) ID,
#include "polc/KB/Arches.def"
};
struct ArchInfo {
  llvm::StringRef name;
  llvm::StringRef ociName;
  llvm::SmallVector<llvm::StringRef, 2> aliases;
  bool bigEndian;
};
const ArchInfo &getArchInfo(Arch arch);
llvm::ArrayRef<Arch> getAllArches();
/// Names and aliases, for did-you-mean.
std::vector<llvm::StringRef> getArchSpellings();
std::optional<Arch> lookupArch(llvm::StringRef nameOrAlias);
/// The ABI polc itself was built for: the default target.
Arch getNativeArch();

/// errno names (EPERM) to numbers, as the C library knows them.
std::optional<unsigned> lookupErrno(llvm::StringRef name);
std::vector<llvm::StringRef> getErrnoNames();

/// Syscall resolution, from libseccomp's tables: the number of \p name on
/// \p arch, or std::nullopt when the syscall does not exist there.
std::optional<int> resolveSyscall(llvm::StringRef name, Arch arch);
/// Every syscall name libseccomp knows on at least one of \p arches, sorted.
const std::vector<std::string> &getSyscallNames(llvm::ArrayRef<Arch> arches);

/// The syscall family \p name belongs to (Families.def), including \p name
/// itself; just {name} when it belongs to none.
std::vector<llvm::StringRef> getSyscallFamily(llvm::StringRef name);
/// Every family, for tests.
std::vector<std::vector<llvm::StringRef>> getSyscallFamilies();

/// Syscalls polc denies (ENOSYS) under a permissive default unless a
/// statement names one of them: io_uring, whose operations bypass seccomp.
/// Allowing them is therefore never "the same as the default".
llvm::ArrayRef<llvm::StringRef> getImplicitlyDeniedSyscalls();

/// The text of the built-in groups (lib/KB/builtin.pol), and its name in
/// diagnostics.
llvm::StringRef getBuiltinSource();
constexpr const char *BuiltinBufferName = "<builtin>";

} // namespace polc::kb

#endif
