//===- PassesTest.cpp - the IR passes, one by one -------------------------===//
#include "polc/Transforms/Passes.h"

#include "llvm/Support/MemoryBuffer.h"

#include "gtest/gtest.h"

#include <cerrno>

using namespace polc;
using namespace polc::ir;
using polc::kb::Arch;

namespace {

/// Runs one fixture case on a fresh fixture.
template <typename Case> void runCase(const char *name) {
  SCOPED_TRACE(name);
  Case c;
  c.test();
}

Action kill() { return {Action::Kind::KillProcess, 0}; }
Action log() { return {Action::Kind::Log, 0}; }

/// A policy whose rules point into a real source buffer, so that origins have
/// valid locations and diagnostics print positions.
struct PassTest {
  void source(llvm::StringRef text) {
    id = sm.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(text, "t.pol"), llvm::SMLoc());
    p.name = "p";
    p.loc = at("policy");
  }
  llvm::SMLoc at(llvm::StringRef needle) {
    llvm::StringRef buf = sm.getMemoryBuffer(id)->getBuffer();
    size_t pos = buf.find(needle);
    EXPECT_NE(pos, llvm::StringRef::npos) << needle.str();
    return llvm::SMLoc::getFromPointer(buf.data() + pos);
  }
  /// The origin of statement \p stmt (its source text), brought in by
  /// \p via (a `use`) if given.
  Origin origin(llvm::StringRef stmt, llvm::StringRef via = "") {
    Origin o;
    o.detail = at(stmt);
    o.loc = via.empty() ? o.detail : at(via);
    o.text = stmt.rtrim().str();
    o.fromGroup = !via.empty();
    o.isIntent = stmt.startswith("may");
    o.pathScoped = o.isIntent && stmt.contains('/');
    return o;
  }
  void addSyscall(llvm::StringRef name, Action a, const Origin &o) {
    SyscallRule r{name.str(), a, o, {}};
    for (Arch arch : p.arches)
      if (std::optional<int> nr = kb::resolveSyscall(name, arch))
        r.numbers[arch] = *nr;
    p.syscalls.push_back(std::move(r));
  }
  /// Every rule \p stmt makes: `syscall ACTION a, b` style statements.
  void addStmt(llvm::StringRef stmt, Action a,
               std::initializer_list<llvm::StringRef> names,
               llvm::StringRef via = "") {
    Origin o = origin(stmt, via);
    for (llvm::StringRef n : names)
      addSyscall(n, a, o);
  }
  void addFile(llvm::StringRef path, unsigned perms, bool deny,
               const Origin &o) {
    FileRule r;
    r.path = path.str();
    r.perms = perms;
    r.deny = deny;
    r.origins.push_back(o);
    p.files.push_back(std::move(r));
  }
  void run(std::unique_ptr<Pass> pass) { pass->run(p, diags); }

  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const SyscallRule &r : p.syscalls)
      out.push_back(r.name + ":" + r.action.str());
    return out;
  }
  size_t count(llvm::StringRef needle) const {
    size_t n = 0;
    llvm::StringRef hay = out;
    for (size_t pos = hay.find(needle); pos != llvm::StringRef::npos;
         pos = hay.find(needle, pos + 1))
      ++n;
    return n;
  }

  llvm::SourceMgr sm;
  unsigned id = 0;
  std::string out;
  llvm::raw_string_ostream os{out};
  DiagnosticEngine diags{sm, os};
  Policy p;
};

using Strings = std::vector<std::string>;

//===----------------------------------------------------------------------===//
// The pipeline.
//===----------------------------------------------------------------------===//

TEST(Pipeline, OrderOfPassesDef) {
  std::vector<std::string> got;
  for (const auto &pass : createDefaultPipeline())
    got.push_back(pass->getName().str());
  // Each factory makes the pass Passes.def names, in Passes.def's order.
  Strings expected = {
#define PASS(NAME, CLASS, DESCRIPTION) NAME,
#include "polc/Transforms/Passes.def"
  };
  EXPECT_EQ(got, expected);
}

//===----------------------------------------------------------------------===//
// merge-duplicates
//===----------------------------------------------------------------------===//

struct MergeIdenticalSyscallRulesKeepsFirst : PassTest {
  void test() {
    source("policy p {\n"
           "  syscall allow read, write\n"
           "  syscall allow read\n"
           "  syscall deny mkdir\n"
           "  syscall deny errno EACCES mkdir\n"
           "  syscall kill read\n"
           "}\n");
    p.arches = {Arch::X86_64};
    p.defaultAction = kill();
    addStmt("syscall allow read, write", Action::allow(), {"read", "write"});
    addStmt("syscall allow read\n", Action::allow(), {"read"});
    addStmt("syscall deny mkdir", Action::errno_(EPERM), {"mkdir"});
    addStmt("syscall deny errno EACCES mkdir", Action::errno_(EACCES),
            {"mkdir"});
    addStmt("syscall kill read", kill(), {"read"});
    run(createMergeDuplicateRulesPass());
    EXPECT_EQ(names(),
              (Strings{"read:allow", "write:allow", "mkdir:errno EPERM",
                       "mkdir:errno EACCES", "read:kill process"}));
    // The survivor is the first: its origin is the first statement.
    EXPECT_EQ(p.syscalls[0].origin.text, "syscall allow read, write");
    EXPECT_EQ(p.syscalls[0].numbers.at(Arch::X86_64), 0);
    EXPECT_EQ(out, "");
  }
};

struct MergeFileRulesUnionsPermsPerPathAndPolarity : PassTest {
  void test() {
    source("policy p {\n  may read /a\n  may write /a\n  may not read /a\n"
           "  may read /b\n  may not write /a\n}\n");
    addFile("/a", PermRead, false, origin("may read /a"));
    addFile("/a", PermWrite | PermLock, false, origin("may write /a"));
    addFile("/a", PermRead, true, origin("may not read /a"));
    addFile("/b", PermRead, false, origin("may read /b"));
    addFile("/a", PermWrite, true, origin("may not write /a"));
    addFile("/a", PermRead | PermMap, false, origin("may read /a"));
    run(createMergeDuplicateRulesPass());
    ASSERT_EQ(p.files.size(), 3u);
    EXPECT_EQ(p.files[0].path, "/a");
    EXPECT_FALSE(p.files[0].deny);
    EXPECT_EQ(p.files[0].perms,
              unsigned(PermRead | PermWrite | PermLock | PermMap));
    ASSERT_EQ(p.files[0].origins.size(), 3u);
    EXPECT_EQ(p.files[0].origins[0].text, "may read /a");
    EXPECT_EQ(p.files[0].origins[1].text, "may write /a");
    EXPECT_EQ(p.files[1].path, "/a");
    EXPECT_TRUE(p.files[1].deny);
    EXPECT_EQ(p.files[1].perms, unsigned(PermRead | PermWrite));
    EXPECT_EQ(p.files[1].origins.size(), 2u);
    EXPECT_EQ(p.files[2].path, "/b");
    EXPECT_EQ(p.files[2].perms, unsigned(PermRead));
    EXPECT_EQ(out, "");
  }
};

struct MergeDoesNotConflateSimilarPaths : PassTest {
  void test() {
    source("policy p {\n  may read /a\n}\n");
    addFile("/a", PermRead, false, origin("may read /a"));
    addFile("/a/", PermWrite, false, origin("may read /a"));
    addFile("/a*", PermWrite, false, origin("may read /a"));
    addFile("/A", PermWrite, false, origin("may read /a"));
    run(createMergeDuplicateRulesPass());
    EXPECT_EQ(p.files.size(), 4u);
    EXPECT_EQ(p.files[0].perms, unsigned(PermRead));
  }
};

struct MergeNetworkAndCapabilityRules : PassTest {
  void test() {
    source("policy p {\n  may connect tcp\n  may use capability setuid\n}\n");
    Origin o1 = origin("may connect tcp"), o2 = origin("may use capability");
    auto net = [&](const char *fam, const char *type, bool deny, Origin o) {
      NetworkRule r;
      r.family = fam;
      r.type = type;
      r.deny = deny;
      r.origins.push_back(o);
      p.network.push_back(r);
    };
    net("inet", "stream", false, o1);
    net("inet", "stream", false, o2);
    net("inet", "dgram", false, o1);
    net("inet", "stream", true, o1);
    net("inet6", "stream", false, o1);
    net("inet", "", false, o1);
    auto cap = [&](const char *name, bool deny, Origin o) {
      CapabilityRule r;
      r.name = name;
      r.deny = deny;
      r.origins.push_back(o);
      p.capabilities.push_back(r);
    };
    cap("setuid", false, o2);
    cap("setgid", false, o2);
    cap("setuid", false, o1);
    cap("setuid", true, o1);
    run(createMergeDuplicateRulesPass());
    ASSERT_EQ(p.network.size(), 5u);
    EXPECT_EQ(p.network[0].origins.size(), 2u);
    EXPECT_EQ(p.network[1].type, "dgram");
    EXPECT_TRUE(p.network[2].deny);
    EXPECT_EQ(p.network[3].family, "inet6");
    EXPECT_EQ(p.network[4].type, "");
    ASSERT_EQ(p.capabilities.size(), 3u);
    EXPECT_EQ(p.capabilities[0].name, "setuid");
    EXPECT_EQ(p.capabilities[0].origins.size(), 2u);
    EXPECT_EQ(p.capabilities[1].name, "setgid");
    EXPECT_TRUE(p.capabilities[2].deny);
  }
};

//===----------------------------------------------------------------------===//
// deny-over-allow
//===----------------------------------------------------------------------===//

struct DenyOverAllowKeepsStricterActionAndReportsDeadStatement : PassTest {
  void test() {
    source("policy p {\n"                    // 1
           "  syscall allow mkdir\n"         // 2
           "  syscall kill mkdir, rmdir\n"   // 3
           "  syscall allow getpid, rmdir\n" // 4
           "  syscall log getpid\n"          // 5
           "}\n");
    p.arches = {Arch::X86_64};
    p.defaultAction = Action::errno_(EPERM);
    addStmt("syscall allow mkdir", Action::allow(), {"mkdir"});
    addStmt("syscall kill mkdir, rmdir", kill(), {"mkdir", "rmdir"});
    addStmt("syscall allow getpid, rmdir", Action::allow(),
            {"getpid", "rmdir"});
    addStmt("syscall log getpid", log(), {"getpid"});
    run(createDenyOverAllowPass());
    // One rule per syscall, the strictest, in the order of the winners.
    EXPECT_EQ(names(), (Strings{"mkdir:kill process", "rmdir:kill process",
                                "getpid:log"}));
    EXPECT_EQ(p.syscalls[0].origin.text, "syscall kill mkdir, rmdir");
    // Every statement all of whose rules lost is dead, with a note at what
    // voided it: 'allow mkdir' lost to kill; 'allow getpid, rmdir' lost both,
    // to log and to kill (the note names one of them).
    EXPECT_TRUE(llvm::StringRef(out).startswith(
        "t.pol:2:3: warning: 'syscall allow mkdir' has no effect: a "
        "stricter rule applies to every syscall it names [-Wdead-rule]\n"
        "  syscall allow mkdir\n"
        "  ^\n"
        "t.pol:3:3: note: voided by this statement\n"
        "  syscall kill mkdir, rmdir\n"
        "  ^\n"
        "t.pol:4:3: warning: 'syscall allow getpid, rmdir' has no effect: a "
        "stricter rule applies to every syscall it names [-Wdead-rule]\n"
        "  syscall allow getpid, rmdir\n"
        "  ^\n"))
        << out;
    EXPECT_EQ(count("note: voided by this statement"), 2u) << out;
    EXPECT_EQ(count("t.pol:3:3: note:") + count("t.pol:5:3: note:"), 2u) << out;
    EXPECT_EQ(diags.getNumWarnings(), 2u);
    EXPECT_EQ(diags.getNumErrors(), 0u);
  }
};

struct DenyOverAllowPartlyVoidedStatementIsNotDead : PassTest {
  void test() {
    source(
        "policy p {\n  syscall kill mkdir\n  syscall allow getpid, mkdir\n}\n");
    p.arches = {Arch::X86_64};
    p.defaultAction = Action::errno_(EPERM);
    addStmt("syscall kill mkdir", kill(), {"mkdir"});
    addStmt("syscall allow getpid, mkdir", Action::allow(),
            {"getpid", "mkdir"});
    run(createDenyOverAllowPass());
    EXPECT_EQ(names(), (Strings{"mkdir:kill process", "getpid:allow"}));
    EXPECT_EQ(out, "");
  }
};

struct DenyOverAllowStricterRuleLaterInSourceStillWins : PassTest {
  void test() {
    source("policy p {\n  syscall allow ptrace\n  syscall deny ptrace\n}\n");
    p.arches = {Arch::X86_64};
    p.defaultAction = Action::allow();
    addStmt("syscall allow ptrace", Action::allow(), {"ptrace"});
    addStmt("syscall deny ptrace", Action::errno_(EPERM), {"ptrace"});
    run(createDenyOverAllowPass());
    EXPECT_EQ(names(), (Strings{"ptrace:errno EPERM"}));
    EXPECT_EQ(count("warning: 'syscall allow ptrace' has no effect"), 1u)
        << out;
    EXPECT_EQ(count("t.pol:3:3: note: voided by this statement"), 1u) << out;
  }
};

struct DenyOverAllowGroupGrantsAreOverridableSilently : PassTest {
  void test() {
    source("group g {\n  syscall allow mkdir\n}\n"
           "policy p {\n  use g\n  syscall kill mkdir\n}\n");
    p.arches = {Arch::X86_64};
    p.defaultAction = Action::errno_(EPERM);
    addStmt("syscall allow mkdir", Action::allow(), {"mkdir"}, "use g");
    addStmt("syscall kill mkdir", kill(), {"mkdir"});
    run(createDenyOverAllowPass());
    EXPECT_EQ(names(), (Strings{"mkdir:kill process"}));
    EXPECT_EQ(out, "");
  }
};

struct DenyOverAllowDuplicatesOfTheWinnerAreNotDead : PassTest {
  void test() {
    source(
        "policy p {\n  syscall kill mkdir\n  syscall kill mkdir, rmdir\n}\n");
    p.arches = {Arch::X86_64};
    p.defaultAction = Action::allow();
    addStmt("syscall kill mkdir\n", kill(), {"mkdir"});
    addStmt("syscall kill mkdir, rmdir", kill(), {"mkdir", "rmdir"});
    run(createDenyOverAllowPass());
    // Duplicates of the winner stay for the passes that warn per statement;
    // merge-duplicates folds them.
    EXPECT_EQ(names(), (Strings{"mkdir:kill process", "mkdir:kill process",
                                "rmdir:kill process"}));
    run(createMergeDuplicateRulesPass());
    EXPECT_EQ(names(), (Strings{"mkdir:kill process", "rmdir:kill process"}));
    EXPECT_EQ(out, "");
  }
};

struct DenyOverAllowWnoDeadRuleSilencesWarningAndNote : PassTest {
  void test() {
    source("policy p {\n  syscall allow mkdir\n  syscall kill mkdir\n}\n");
    ASSERT_TRUE(diags.applyWarningOption("no-dead-rule"));
    p.arches = {Arch::X86_64};
    p.defaultAction = Action::allow();
    addStmt("syscall allow mkdir", Action::allow(), {"mkdir"});
    addStmt("syscall kill mkdir", kill(), {"mkdir"});
    run(createDenyOverAllowPass());
    EXPECT_EQ(names(), (Strings{"mkdir:kill process"}));
    EXPECT_EQ(out, "");
  }
};

struct DenyOverAllowPathScopedGrantAgainstBlanketDenialIsAnError : PassTest {
  void test() {
    source("policy p {\n  may exec /usr/bin/perl\n  may not exec\n}\n");
    p.arches = {Arch::X86_64};
    p.defaultAction = Action::errno_(EPERM);
    addStmt("may exec /usr/bin/perl", Action::allow(), {"execve", "execveat"});
    addStmt("may not exec", Action::errno_(EPERM), {"execve", "execveat"});
    ASSERT_TRUE(p.syscalls[0].origin.pathScoped);
    ASSERT_FALSE(p.syscalls[2].origin.pathScoped);
    run(createDenyOverAllowPass());
    EXPECT_EQ(names(), (Strings{"execve:errno EPERM", "execveat:errno EPERM"}));
    EXPECT_EQ(diags.getNumErrors(), 1u) << out;
    EXPECT_EQ(count("t.pol:2:3: error: 'may exec /usr/bin/perl' conflicts with "
                    "'may not exec'"),
              1u)
        << out;
    EXPECT_EQ(count("t.pol:3:3: note: conflicting statement is here"), 1u)
        << out;
    // Reported as a conflict, not as a dead rule as well.
    EXPECT_EQ(count("dead-rule"), 0u) << out;
  }
};

struct DenyOverAllowFileGrantCoveredByDenialIsDead : PassTest {
  void test() {
    source("policy p {\n"
           "  may read /etc/ssl/private/key.pem\n"
           "  may read write /etc/ssl/private/other.pem\n"
           "  may not read /etc/ssl/private/**\n"
           "}\n");
    p.defaultAction = Action::errno_(EPERM);
    addFile("/etc/ssl/private/key.pem", PermRead, false,
            origin("may read /etc/ssl/private/key.pem"));
    addFile("/etc/ssl/private/other.pem", PermRead | PermWrite, false,
            origin("may read write"));
    addFile("/etc/ssl/private/**", PermRead, true, origin("may not read"));
    run(createDenyOverAllowPass());
    EXPECT_EQ(
        count("t.pol:2:3: warning: 'may read /etc/ssl/private/key.pem' has "
              "no effect"),
        1u)
        << out;
    EXPECT_EQ(count("t.pol:4:3: note: voided by this statement"), 1u) << out;
    EXPECT_EQ(count("other.pem"), 0u) << out;
    EXPECT_EQ(diags.getNumWarnings(), 1u);
    // AppArmor resolves file rules itself: all are kept.
    EXPECT_EQ(p.files.size(), 3u);
  }
};

//===----------------------------------------------------------------------===//
// remove-default-rules
//===----------------------------------------------------------------------===//

struct RemoveDefaultRulesDropsAndWarnsForSyscallStatements : PassTest {
  void test() {
    source("policy p {\n"                        // 1
           "  syscall deny mkdir\n"              // 2
           "  syscall deny rmdir, ptrace\n"      // 3
           "  may not exec\n"                    // 4
           "  use g\n"                           // 5
           "  syscall deny errno EACCES chdir\n" // 6
           "  syscall deny a, b\n"               // 7
           "}\n"
           "group g {\n  syscall deny getpid\n}\n");
    p.arches = {Arch::X86_64};
    p.defaultAction = Action::errno_(EPERM);
    addStmt("syscall deny mkdir", Action::errno_(EPERM), {"mkdir"});
    addStmt("syscall deny rmdir, ptrace", Action::errno_(EPERM), {"rmdir"});
    addSyscall("ptrace", kill(), origin("syscall deny rmdir, ptrace"));
    addStmt("may not exec", Action::errno_(EPERM), {"execve", "execveat"});
    addStmt("syscall deny getpid", Action::errno_(EPERM), {"getpid"}, "use g");
    addStmt("syscall deny errno EACCES chdir", Action::errno_(EACCES),
            {"chdir"});
    addStmt("syscall deny a, b", Action::errno_(EPERM), {"read", "write"});
    run(createRemoveDefaultRulesPass());
    EXPECT_EQ(names(), (Strings{"ptrace:kill process", "chdir:errno EACCES"}));
    // Warned: the two syscall statements whose every rule went, once each.
    EXPECT_EQ(out,
              "t.pol:2:3: warning: 'syscall deny mkdir' has no effect: the "
              "default action is already 'errno EPERM' [-Wredundant-rule]\n"
              "  syscall deny mkdir\n"
              "  ^\n"
              "t.pol:7:3: warning: 'syscall deny a, b' has no effect: the "
              "default action is already 'errno EPERM' [-Wredundant-rule]\n"
              "  syscall deny a, b\n"
              "  ^\n");
    EXPECT_EQ(diags.getNumWarnings(), 2u);
  }
};

struct RemoveDefaultRulesUnderAllowDefault : PassTest {
  void test() {
    source("policy p {\n  syscall allow read, write\n  may read /etc/x\n"
           "  syscall log read\n}\n");
    p.arches = {Arch::X86_64};
    p.defaultAction = Action::allow();
    addStmt("syscall allow read, write", Action::allow(), {"read", "write"});
    addStmt("may read /etc/x", Action::allow(), {"openat", "read"});
    addStmt("syscall log read", log(), {"read"});
    run(createRemoveDefaultRulesPass());
    EXPECT_EQ(names(), (Strings{"read:log"}));
    EXPECT_EQ(count("warning:"), 1u) << out;
    EXPECT_EQ(count("'syscall allow read, write' has no effect: the default "
                    "action is already 'allow'"),
              1u)
        << out;
  }
};

struct RemoveDefaultRulesErrnoValueMatters : PassTest {
  void test() {
    source("policy p {\n  syscall deny errno EPERM mkdir\n}\n");
    p.arches = {Arch::X86_64};
    p.defaultAction = Action::errno_(EACCES);
    addStmt("syscall deny errno EPERM mkdir", Action::errno_(EPERM), {"mkdir"});
    run(createRemoveDefaultRulesPass());
    EXPECT_EQ(names(), (Strings{"mkdir:errno EPERM"}));
    EXPECT_EQ(out, "");
  }
};

//===----------------------------------------------------------------------===//
// fold-syscalls
//===----------------------------------------------------------------------===//

std::string describe(const ArchSyscalls &as) {
  std::string s = kb::getArchInfo(as.arch).name.str() + ":";
  for (const auto &[action, calls] : as.byAction) {
    s += " [" + action.str() + "]";
    for (const auto &[nr, name] : calls)
      s += " " + name + "=" + std::to_string(nr);
  }
  return s;
}

struct FoldSortsByNumberPerArchAndSkipsAbsentSyscalls : PassTest {
  void test() {
    source("policy p {\n  syscall allow x\n}\n");
    p.arches = {Arch::X86_64, Arch::AArch64};
    p.defaultAction = Action::errno_(EPERM);
    Origin o = origin("syscall allow x");
    addSyscall("getpid", Action::allow(), o);
    addSyscall("ptrace", kill(), o);
    addSyscall("write", Action::allow(), o);
    addSyscall("mkdir", Action::errno_(EACCES), o); // not on aarch64
    addSyscall("open", Action::allow(), o);         // not on aarch64
    addSyscall("read", Action::allow(), o);
    addSyscall("rmdir", Action::errno_(EROFS), o); // not on aarch64
    addSyscall("chdir", Action::errno_(EACCES), o);
    addSyscall("uselib", log(), o); // not on aarch64
    run(createFoldSyscallsPass());
    ASSERT_EQ(p.folded.size(), 2u);
    EXPECT_EQ(describe(p.folded[0]),
              "x86_64: [allow] read=0 write=1 open=2 getpid=39 [log] uselib=134"
              " [errno EACCES] chdir=80 mkdir=83 [errno EROFS] rmdir=84"
              " [kill process] ptrace=101");
    EXPECT_EQ(describe(p.folded[1]),
              "aarch64: [allow] read=63 write=64 getpid=172 [errno EACCES] "
              "chdir=49 [kill process] ptrace=117");
    // The rules themselves are untouched.
    EXPECT_EQ(p.syscalls.size(), 9u);
    EXPECT_EQ(out, "");
  }
};

struct FoldFollowsArchOrderAndIsIdempotent : PassTest {
  void test() {
    source("policy p {\n  syscall allow x\n}\n");
    p.arches = {Arch::X86, Arch::X32, Arch::X86_64};
    p.defaultAction = Action::errno_(EPERM);
    addSyscall("read", Action::allow(), origin("syscall allow x"));
    addSyscall("socketcall", Action::allow(), origin("syscall allow x"));
    run(createFoldSyscallsPass());
    run(createFoldSyscallsPass());
    ASSERT_EQ(p.folded.size(), 3u);
    EXPECT_EQ(describe(p.folded[0]), "x86: [allow] read=3 socketcall=102");
    EXPECT_EQ(describe(p.folded[1]),
              "x32: [allow] read=" + std::to_string(0x40000000));
    EXPECT_EQ(describe(p.folded[2]), "x86_64: [allow] read=0");
  }
};

struct FoldIgnoresNumbersOfArchesNotTargeted : PassTest {
  void test() {
    source("policy p {\n  syscall allow x\n}\n");
    p.arches = {Arch::AArch64};
    SyscallRule r{"read", Action::allow(), origin("syscall allow x"), {}};
    r.numbers[Arch::X86_64] = 0;
    r.numbers[Arch::AArch64] = 63;
    p.syscalls.push_back(r);
    run(createFoldSyscallsPass());
    ASSERT_EQ(p.folded.size(), 1u);
    EXPECT_EQ(describe(p.folded[0]), "aarch64: [allow] read=63");
  }
};

struct FoldWithoutRulesGivesEmptySections : PassTest {
  void test() {
    source("policy p {\n}\n");
    p.arches = {Arch::X86_64, Arch::Arm};
    run(createFoldSyscallsPass());
    ASSERT_EQ(p.folded.size(), 2u);
    EXPECT_TRUE(p.folded[0].byAction.empty());
    EXPECT_EQ(p.folded[1].arch, Arch::Arm);
  }
};

//===----------------------------------------------------------------------===//
// check-exec
//===----------------------------------------------------------------------===//

struct CheckExecWarnsWhenExecveIsDenied : PassTest {
  void test() {
    source("policy p {\n  syscall allow execve\n}\n");
    p.arches = {Arch::X86_64};
    p.defaultAction = Action::errno_(EPERM);
    run(createCheckExecPass());
    EXPECT_EQ(count("t.pol:1:1: warning: policy 'p' denies 'execve'"), 1u)
        << out;
    out.clear();
    addStmt("syscall allow execve", Action::allow(), {"execve"});
    run(createCheckExecPass());
    EXPECT_EQ(out, "");
    p.defaultAction = Action::allow();
    p.syscalls.clear();
    run(createCheckExecPass());
    EXPECT_EQ(out, "");
    p.defaultAction = log();
    run(createCheckExecPass());
    EXPECT_EQ(out, "");
  }
};

//===----------------------------------------------------------------------===//
// All passes together.
//===----------------------------------------------------------------------===//

struct RunPassesEndToEnd : PassTest {
  void test() {
    source("policy p {\n"
           "  syscall allow read, execve\n"
           "  syscall allow read\n"
           "  syscall deny mkdir\n"
           "  syscall kill mkdir\n"
           "}\n");
    p.arches = {Arch::X86_64, Arch::AArch64};
    p.defaultAction = Action::errno_(EPERM);
    addStmt("syscall allow read, execve", Action::allow(), {"read", "execve"});
    addStmt("syscall allow read\n", Action::allow(), {"read"});
    addStmt("syscall deny mkdir", Action::errno_(EPERM), {"mkdir"});
    addStmt("syscall kill mkdir", kill(), {"mkdir"});
    Module m;
    m.policies.push_back(std::move(p));
    runPasses(m, diags);
    const Policy &q = m.policies[0];
    std::vector<std::string> got;
    for (const SyscallRule &r : q.syscalls)
      got.push_back(r.name + ":" + r.action.str());
    EXPECT_EQ(got,
              (Strings{"read:allow", "execve:allow", "mkdir:kill process"}));
    ASSERT_EQ(q.folded.size(), 2u);
    EXPECT_EQ(describe(q.folded[0]),
              "x86_64: [allow] read=0 execve=59 [kill process] mkdir=83");
    EXPECT_EQ(describe(q.folded[1]), "aarch64: [allow] read=63 execve=221");
    // 'syscall deny mkdir' lost to kill: dead, and reported once.
    EXPECT_EQ(count("warning:"), 1u) << out;
    EXPECT_EQ(count("'syscall deny mkdir' has no effect: a stricter rule"), 1u)
        << out;
  }
};

// A statement that repeats an earlier one is reported like it: here lines 5
// and 7 (merge-duplicates runs after the passes that warn per statement).
struct DuplicateStatementsAreReportedToo : PassTest {
  void test() {
    source("policy p {\n"             // 1
           "  arch x86_64\n"          // 2
           "  default allow\n"        // 3
           "  syscall allow mkdir\n"  // 4
           "  syscall allow mkdir \n" // 5 (a trailing blank tells them apart)
           "  syscall deny getpid\n"  // 6
           "  syscall deny getpid \n" // 7
           "  syscall kill getpid\n"  // 8
           "}\n");
    p.arches = {Arch::X86_64};
    p.defaultAction = Action::allow();
    addStmt("syscall allow mkdir\n", Action::allow(), {"mkdir"});
    addStmt("syscall allow mkdir \n", Action::allow(), {"mkdir"});
    addStmt("syscall deny getpid\n", Action::errno_(EPERM), {"getpid"});
    addStmt("syscall deny getpid \n", Action::errno_(EPERM), {"getpid"});
    addStmt("syscall kill getpid", kill(), {"getpid"});
    Module m;
    m.policies.push_back(std::move(p));
    runPasses(m, diags);
    EXPECT_EQ(count("t.pol:4:3: warning:"), 1u) << out;
    EXPECT_EQ(count("t.pol:5:3: warning:"), 1u) << out;
    EXPECT_EQ(count("t.pol:6:3: warning:"), 1u) << out;
    EXPECT_EQ(count("t.pol:7:3: warning:"), 1u) << out;
  }
};

//===----------------------------------------------------------------------===//
// The cases above, grouped: one ctest entry (one process) per group keeps
// the suite fast; SCOPED_TRACE names the failing case.
//===----------------------------------------------------------------------===//

TEST(MergeDuplicateRules, Merges) {
  runCase<MergeIdenticalSyscallRulesKeepsFirst>(
      "MergeIdenticalSyscallRulesKeepsFirst");
  runCase<MergeFileRulesUnionsPermsPerPathAndPolarity>(
      "MergeFileRulesUnionsPermsPerPathAndPolarity");
  runCase<MergeDoesNotConflateSimilarPaths>("MergeDoesNotConflateSimilarPaths");
  runCase<MergeNetworkAndCapabilityRules>("MergeNetworkAndCapabilityRules");
}

TEST(DenyOverAllow, StricterActionWinsAndDeadStatementsAreReported) {
  runCase<DenyOverAllowKeepsStricterActionAndReportsDeadStatement>(
      "DenyOverAllowKeepsStricterActionAndReportsDeadStatement");
  runCase<DenyOverAllowPartlyVoidedStatementIsNotDead>(
      "DenyOverAllowPartlyVoidedStatementIsNotDead");
  runCase<DenyOverAllowStricterRuleLaterInSourceStillWins>(
      "DenyOverAllowStricterRuleLaterInSourceStillWins");
  runCase<DenyOverAllowGroupGrantsAreOverridableSilently>(
      "DenyOverAllowGroupGrantsAreOverridableSilently");
  runCase<DenyOverAllowDuplicatesOfTheWinnerAreNotDead>(
      "DenyOverAllowDuplicatesOfTheWinnerAreNotDead");
  runCase<DenyOverAllowWnoDeadRuleSilencesWarningAndNote>(
      "DenyOverAllowWnoDeadRuleSilencesWarningAndNote");
}

TEST(DenyOverAllow, ConflictsAndDeadFileGrants) {
  runCase<DenyOverAllowPathScopedGrantAgainstBlanketDenialIsAnError>(
      "DenyOverAllowPathScopedGrantAgainstBlanketDenialIsAnError");
  runCase<DenyOverAllowFileGrantCoveredByDenialIsDead>(
      "DenyOverAllowFileGrantCoveredByDenialIsDead");
}

TEST(RemoveDefaultRules, DropsAndWarns) {
  runCase<RemoveDefaultRulesDropsAndWarnsForSyscallStatements>(
      "RemoveDefaultRulesDropsAndWarnsForSyscallStatements");
  runCase<RemoveDefaultRulesUnderAllowDefault>(
      "RemoveDefaultRulesUnderAllowDefault");
  runCase<RemoveDefaultRulesErrnoValueMatters>(
      "RemoveDefaultRulesErrnoValueMatters");
}

TEST(FoldSyscalls, PerArchByNumber) {
  runCase<FoldSortsByNumberPerArchAndSkipsAbsentSyscalls>(
      "FoldSortsByNumberPerArchAndSkipsAbsentSyscalls");
  runCase<FoldFollowsArchOrderAndIsIdempotent>(
      "FoldFollowsArchOrderAndIsIdempotent");
  runCase<FoldIgnoresNumbersOfArchesNotTargeted>(
      "FoldIgnoresNumbersOfArchesNotTargeted");
  runCase<FoldWithoutRulesGivesEmptySections>(
      "FoldWithoutRulesGivesEmptySections");
}

TEST(CheckExec, WarnsWhenExecveIsDenied) {
  runCase<CheckExecWarnsWhenExecveIsDenied>("CheckExecWarnsWhenExecveIsDenied");
}

//===----------------------------------------------------------------------===//
// lower-multiplexed-calls
//===----------------------------------------------------------------------===//

/// "ipc errno EPERM on x86 if (a0 & 0xffff) == 0x17 for shmget"
std::string describeRule(const SyscallRule &r) {
  std::string s = r.name + " " + r.action.str();
  if (r.conditional)
    s += " on " + kb::getArchInfo(r.numbers.begin()->first).name.str() +
         " if " + formatCondition(r.cond);
  if (!r.multiplexedCall.empty())
    s += " for " + r.multiplexedCall;
  return s;
}

struct LowerMultiplexedAddsMaskedRules : PassTest {
  void test() {
    source("policy p {\n  syscall deny shmget, semop\n}\n");
    p.arches = {Arch::X86, Arch::X86_64};
    p.defaultAction = Action::allow();
    addStmt("syscall deny shmget, semop", Action::errno_(EPERM), {"shmget"});
    // semop: i386 makes it only through ipc (IRGen's pseudo-number).
    SyscallRule semop{"semop", Action::errno_(EPERM),
                      origin("syscall deny shmget, semop"),
                      {{Arch::X86, -201}, {Arch::X86_64, 65}}};
    semop.overrides = true;
    p.syscalls.push_back(semop);
    run(createLowerMultiplexedCallsPass());
    Strings got;
    for (const SyscallRule &r : p.syscalls)
      got.push_back(describeRule(r));
    EXPECT_EQ(got, (Strings{
                       "shmget errno EPERM",
                       "ipc errno EPERM on x86 if (a0 & 0xffff) == 0x17 for shmget",
                       "semop errno EPERM",
                       "ipc errno EPERM on x86 if (a0 & 0xffff) == 0x1 for semop",
                   }));
    ASSERT_EQ(p.syscalls.size(), 4u);
    // The multiplexer rule keeps its call's origin and standing.
    EXPECT_EQ(p.syscalls[1].origin.detail, p.syscalls[0].origin.detail);
    EXPECT_EQ(p.syscalls[1].numbers, (std::map<Arch, int>{{Arch::X86, 117}}));
    EXPECT_FALSE(p.syscalls[1].overrides);
    EXPECT_TRUE(p.syscalls[3].overrides);
    EXPECT_EQ(out, "");
  }
};

struct LowerMultiplexedUnderUnconditionalMultiplexerRule : PassTest {
  void test() {
    source("policy p {\n  syscall kill ipc\n  syscall deny shmget\n"
           "  syscall allow semop\n}\n");
    p.arches = {Arch::X86};
    p.defaultAction = Action::allow();
    addStmt("syscall kill ipc", kill(), {"ipc"});
    addStmt("syscall deny shmget", Action::errno_(EPERM), {"shmget"});
    run(createLowerMultiplexedCallsPass());
    // kill ipc decides every call through ipc: no rule for shmget there.
    EXPECT_EQ(names(), (Strings{"ipc:kill process", "shmget:errno EPERM"}));

    // A multiplexer rule equal to the default vanishes later, and does not
    // keep the call's multiplexer rule out.
    p.syscalls.clear();
    p.defaultAction = kill();
    addStmt("syscall kill ipc", kill(), {"ipc"});
    SyscallRule semop{"semop", Action::allow(), origin("syscall allow semop"),
                      {{Arch::X86, -201}}};
    p.syscalls.push_back(semop);
    run(createLowerMultiplexedCallsPass());
    EXPECT_EQ(names(),
              (Strings{"ipc:kill process", "semop:allow", "ipc:allow"}));
    EXPECT_EQ(out, "");
  }
};

struct LowerMultiplexedOverlapsWithConditionalMultiplexerRules : PassTest {
  void test() {
    source("policy p {\n  syscall allow ipc if call == 23\n"
           "  syscall kill shmget\n  syscall allow socketcall if call == 2\n"
           "  syscall kill socket\n}\n");
    p.arches = {Arch::X86};
    p.defaultAction = Action::errno_(EPERM);
    auto conditional = [&](llvm::StringRef name, int nr, uint64_t call,
                           llvm::StringRef stmt) {
      SyscallRule r{name.str(), Action::allow(), origin(stmt), {{Arch::X86, nr}}};
      r.conditional = true;
      r.cond.push_back(ArgCmp{0, ArgCmp::Op::MaskedEQ, 0xffffffffu, call});
      p.syscalls.push_back(r);
    };
    conditional("ipc", 117, 23, "syscall allow ipc if call == 23");
    addStmt("syscall kill shmget", kill(), {"shmget"});
    conditional("socketcall", 102, 2, "syscall allow socketcall if call == 2");
    addStmt("syscall kill socket", kill(), {"socket"});
    run(createLowerMultiplexedCallsPass());
    // ipc(SHMGET) matches both: an error. socketcall(SYS_BIND) and
    // socketcall(SYS_SOCKET) never meet.
    EXPECT_EQ(count("error:"), 1u) << out;
    EXPECT_EQ(count("'syscall kill shmget' and 'syscall allow ipc if call == "
                    "23' give syscall 'ipc' different actions"),
              1u)
        << out;
    EXPECT_EQ(count("note: conflicting statement is here"), 1u) << out;
  }
};

TEST(LowerMultiplexedCalls, MaskedRulesForMultiplexedCalls) {
  runCase<LowerMultiplexedAddsMaskedRules>("LowerMultiplexedAddsMaskedRules");
  runCase<LowerMultiplexedUnderUnconditionalMultiplexerRule>(
      "LowerMultiplexedUnderUnconditionalMultiplexerRule");
  runCase<LowerMultiplexedOverlapsWithConditionalMultiplexerRules>(
      "LowerMultiplexedOverlapsWithConditionalMultiplexerRules");
}

TEST(Pipeline, EndToEnd) { runCase<RunPassesEndToEnd>("RunPassesEndToEnd"); }

TEST(MergeDuplicateRules, DuplicateStatementsAreReported) {
  runCase<DuplicateStatementsAreReportedToo>(
      "DuplicateStatementsAreReportedToo");
}
} // namespace
