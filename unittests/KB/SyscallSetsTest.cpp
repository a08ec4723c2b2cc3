//===- SyscallSetsTest.cpp - SyscallSets.def is sound and pinned ----------===//
//
// The sets are pinned: each one's checksum, written by
// scripts/gen-syscall-sets.py, must equal the FNV-1a hash of its members as
// polc expands them, so a set cannot change (by an edit of the .def, or of
// the expansion) without the script bumping its version. Every member must
// be a syscall polc knows on some arch, and every nested set must exist.
//
//===----------------------------------------------------------------------===//
#include "polc/KB/KnowledgeBase.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

#include "gtest/gtest.h"

#include <set>

using namespace polc::kb;

namespace {

uint64_t fnv1a(llvm::StringRef text) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

TEST(SyscallSets, ChecksumsPinTheExpandedContent) {
  ASSERT_FALSE(getSyscallSets().empty());
  for (const SyscallSetInfo &s : getSyscallSets()) {
    std::string joined = llvm::join(expandSyscallSet(s.name), " ");
    EXPECT_EQ(fnv1a(joined), s.checksum)
        << s.name.str() << " changed without scripts/gen-syscall-sets.py "
        << "bumping its version (now " << s.version << ")";
    EXPECT_GE(s.version, 1u) << s.name.str();
  }
}

TEST(SyscallSets, ChecksumDetectsAChange) {
  // The check above can fail: one name more gives another hash.
  std::string joined = llvm::join(expandSyscallSet("@clock"), " ");
  EXPECT_NE(fnv1a(joined + " time"), getSyscallSet("@clock")->checksum);
}

TEST(SyscallSets, MembersAreKnownAndNestedSetsExist) {
  for (const SyscallSetInfo &s : getSyscallSets()) {
    EXPECT_TRUE(s.name.startswith("@")) << s.name.str();
    llvm::SmallVector<llvm::StringRef, 64> members;
    s.members.split(members, ' ', -1, false);
    EXPECT_FALSE(members.empty()) << s.name.str();
    for (llvm::StringRef m : members) {
      if (m.startswith("@")) {
        EXPECT_NE(getSyscallSet(m), nullptr) << s.name.str() << ": " << m.str();
        continue;
      }
      bool known = false;
      for (Arch a : getAllArches())
        known |= syscallExists(m, a);
      EXPECT_TRUE(known) << s.name.str() << ": " << m.str();
    }
  }
}

TEST(SyscallSets, NestedSetsExpand) {
  std::vector<llvm::StringRef> service = expandSyscallSet("@system-service");
  std::set<llvm::StringRef> all(service.begin(), service.end());
  EXPECT_EQ(all.size(), service.size()); // unique
  EXPECT_TRUE(std::is_sorted(service.begin(), service.end()));
  for (llvm::StringRef nested : {"@basic-io", "@file-system", "@network-io"})
    for (llvm::StringRef m : expandSyscallSet(nested))
      EXPECT_TRUE(all.count(m)) << nested.str() << ": " << m.str();
  EXPECT_TRUE(all.count("read"));
  EXPECT_FALSE(all.count("mount")); // @mount is not a system service's
  EXPECT_TRUE(expandSyscallSet("@no-such-set").empty());
  EXPECT_EQ(getSyscallSet("@no-such-set"), nullptr);
}

} // namespace
