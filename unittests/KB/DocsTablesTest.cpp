//===- DocsTablesTest.cpp - docs/language.md's tables follow the KB ---------===//
//
// The verb, operation, syscall family and network object tables of docs/language.md
// are generated from Verbs.def, Operations.def, Families.def and
// NetObjects.def: this test
// generates them from the knowledge base and fails, printing the table to
// paste, when the document's copy differs.
//
//===----------------------------------------------------------------------===//
#include "polc/KB/KnowledgeBase.h"

#include "llvm/Support/MemoryBuffer.h"

#include "gtest/gtest.h"

#include <string>

using namespace polc::kb;

namespace {

std::string codeList(llvm::ArrayRef<llvm::StringRef> names) {
  if (names.empty())
    return "—";
  std::string out;
  for (llvm::StringRef n : names)
    out += (out.empty() ? "`" : ", `") + n.str() + "`";
  return out;
}

std::string verbTable() {
  std::string out = "| verb | class | AppArmor | seccomp grant | seccomp for "
                    "`may not VERB` |\n|---|---|---|---|---|\n";
  bool firstNetwork = true;
  for (Verb v : getAllVerbs()) {
    const VerbInfo &info = getVerbInfo(v);
    std::string cls, aa;
    switch (info.verbClass) {
    case VerbClass::File: {
      cls = "file";
      std::string perms = info.apparmorPerms.str();
      aa = "`" + perms + "`";
      // 'x' is inherit-exec in a grant and a bare 'x' in a denial, which
      // leaves mapping alone.
      if (perms.find('x') != std::string::npos) {
        std::string grant = perms, denial;
        grant.insert(grant.find('x'), "i");
        for (char c : perms)
          if (c != 'm')
            denial += c;
        aa += " (grant: `" + grant + "`; denial: `" + denial + "`)";
      }
      break;
    }
    case VerbClass::Network:
      cls = "network";
      aa = firstNetwork ? "see [objects](#network-objects)" : "see objects";
      firstNetwork = false;
      break;
    case VerbClass::Privilege:
      cls = "privilege";
      aa = "`capability NAME`";
      break;
    }
    out += "| `" + info.spelling.str() + "` | " + cls + " | " + aa + " | " +
           codeList(info.grantSyscalls) + " | " +
           codeList(info.denyAllSyscalls) + " |\n";
  }
  return out;
}

std::string operationTable() {
  std::string out = "| operation | AppArmor grant / `may not` | seccomp "
                    "(granted or denied whole) |\n|---|---|---|\n";
  for (Operation op : getAllOperations()) {
    const OperationInfo &info = getOperationInfo(op);
    std::vector<std::string> aa;
    for (llvm::StringRef c : info.capabilities)
      aa.push_back("`capability " + c.str() + "`");
    for (llvm::StringRef r : info.apparmorRules)
      aa.push_back("`" + r.str() + "`");
    std::string aaText;
    for (const std::string &a : aa)
      aaText += (aaText.empty() ? "" : ", ") + a;
    out += "| `" + info.spelling.str() + "` | " +
           (aaText.empty() ? std::string("—") : aaText) + " | " +
           codeList(info.syscalls) + " |\n";
  }
  return out;
}

std::string familyTable() {
  std::string out = "| family |\n|---|\n";
  for (const auto &f : getSyscallFamilies())
    out += "| " + codeList(f) + " |\n";
  return out;
}

std::string netObjectTable() {
  std::string out = "| object | AppArmor rules | seccomp: " +
                    codeList(getSocketCalls()) +
                    " for | takes a path |\n|---|---|---|---|\n";
  for (NetObject o : getAllNetObjects()) {
    const NetObjectInfo &info = getNetObjectInfo(o);
    std::string aa;
    for (llvm::StringRef f : info.families)
      aa += (aa.empty() ? "`" : ", `") + ("network " + f).str() +
            (info.type.empty() ? "" : " " + info.type.str()) + "`";
    if (info.type.empty())
      aa += " (every socket type)";
    std::string sc = codeList(info.domains) + ", " +
                     (info.socketType.empty()
                          ? std::string("every type")
                          : "type `" + info.socketType.str() + "`");
    out += "| `" + info.spelling.str() + "` | " + aa + " | " + sc + " | " +
           (info.takesPath ? "yes: `" + info.spelling.str() + " PATH`"
                           : std::string("no")) +
           " |\n";
  }
  return out;
}

TEST(DocsTables, LanguageReferenceFollowsTheDefFiles) {
  auto buf = llvm::MemoryBuffer::getFile(POLC_SOURCE_DIR "/docs/language.md");
  ASSERT_TRUE(bool(buf)) << "docs/language.md not found under " POLC_SOURCE_DIR;
  llvm::StringRef doc = (*buf)->getBuffer();
  for (const auto &[def, table] :
       {std::pair<const char *, std::string>{"Verbs.def", verbTable()},
        {"Operations.def", operationTable()},
        {"Families.def", familyTable()},
        {"NetObjects.def", netObjectTable()}})
    EXPECT_TRUE(doc.contains(table))
        << "docs/language.md's table from " << def
        << " differs from the knowledge base; it should read:\n\n"
        << table;
}

} // namespace
