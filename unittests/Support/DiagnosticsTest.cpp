//===- DiagnosticsTest.cpp - DiagnosticEngine and did-you-mean ------------===//
#include "polc/Support/Diagnostics.h"

#include "llvm/Support/MemoryBuffer.h"

#include "gtest/gtest.h"

using namespace polc;

namespace {

/// Runs one fixture case on a fresh fixture.
template <typename Case> void runCase(const char *name) {
  SCOPED_TRACE(name);
  Case c;
  c.test();
}

/// A SourceMgr holding one named buffer, and an engine printing into a string.
struct DiagTest {
  void load(llvm::StringRef text, llvm::StringRef name = "test.pol") {
    bufID = sm.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(text, name), llvm::SMLoc());
  }
  /// The location of the first occurrence of \p needle in the buffer.
  llvm::SMLoc at(llvm::StringRef needle) {
    llvm::StringRef buf = sm.getMemoryBuffer(bufID)->getBuffer();
    size_t pos = buf.find(needle);
    EXPECT_NE(pos, llvm::StringRef::npos) << needle.str();
    return llvm::SMLoc::getFromPointer(buf.data() + pos);
  }
  llvm::SMRange rangeOf(llvm::StringRef needle) {
    llvm::SMLoc b = at(needle);
    return {b, llvm::SMLoc::getFromPointer(b.getPointer() + needle.size())};
  }

  llvm::SourceMgr sm;
  unsigned bufID = 0;
  std::string out;
  llvm::raw_string_ostream os{out};
  DiagnosticEngine diags{sm, os};
};

struct ErrorFormatIsFileLineColMessageSourceLineCaret : DiagTest {
  void test() {
    load("policy p {\n  bogus stuff\n}\n");
    diags.report(DiagID::err_syntax, at("bogus"), "unexpected 'bogus'");
    EXPECT_EQ(os.str(), "test.pol:2:3: error: unexpected 'bogus'\n"
                        "  bogus stuff\n"
                        "  ^\n");
  }
};

struct FormatArgumentsAreSubstituted : DiagTest {
  void test() {
    load("syscall allow mkdri\n");
    diags.report(DiagID::err_unknown_syscall, at("mkdri"), "mkdri",
                 "; did you mean 'mkdir'?");
    EXPECT_EQ(os.str(),
              "test.pol:1:15: error: unknown syscall 'mkdri'; did you mean "
              "'mkdir'?\nsyscall allow mkdri\n              ^\n");
  }
};

struct RangeIsUnderlined : DiagTest {
  void test() {
    load("syscall allow mkdri\n");
    diags.reportRange(DiagID::err_unknown_syscall, rangeOf("mkdri"), "mkdri",
                      "");
    EXPECT_EQ(os.str(), "test.pol:1:15: error: unknown syscall 'mkdri'\n"
                        "syscall allow mkdri\n"
                        "              ^~~~~\n");
  }
};

struct EmptyRangeGivesCaretOnly : DiagTest {
  void test() {
    load("abc\n");
    llvm::SMLoc l = at("b");
    diags.reportRange(DiagID::err_unknown_group, llvm::SMRange(l, l), "x", "");
    EXPECT_EQ(os.str(), "test.pol:1:2: error: unknown group 'x'\nabc\n ^\n");
  }
};

struct NoLocationPrintsToolName : DiagTest {
  void test() {
    diags.report(DiagID::err_unknown_warning_option, llvm::SMLoc(), "bogus");
    EXPECT_EQ(os.str(), "polc: error: unknown warning option '-Wbogus'\n");
    EXPECT_EQ(diags.getNumErrors(), 1u);
  }
};

struct WarningAndNoteFormat : DiagTest {
  void test() {
    load("syscall allow mkdir\nsyscall kill mkdir\n");
    diags.report(DiagID::warn_dead_rule, at("syscall allow"),
                 "syscall allow mkdir", "why");
    diags.report(DiagID::note_voided_by, at("syscall kill"));
    EXPECT_EQ(os.str(),
              "test.pol:1:1: warning: 'syscall allow mkdir' has no effect: why "
              "[-Wdead-rule]\n"
              "syscall allow mkdir\n^\n"
              "test.pol:2:1: note: voided by this statement\n"
              "syscall kill mkdir\n^\n");
  }
};

struct CountsErrorsAndWarningsButNotNotes : DiagTest {
  void test() {
    load("a\nb\nc\n");
    EXPECT_FALSE(diags.hasErrors());
    diags.report(DiagID::warn_duplicate_arch, at("a"), "x86_64");
    EXPECT_FALSE(diags.hasErrors());
    EXPECT_EQ(diags.getNumWarnings(), 1u);
    diags.report(DiagID::err_unknown_arch, at("b"), "foo", "");
    diags.report(DiagID::note_previous_definition, at("c"));
    diags.report(DiagID::err_empty_path, at("c"));
    EXPECT_TRUE(diags.hasErrors());
    EXPECT_EQ(diags.getNumErrors(), 2u);
    EXPECT_EQ(diags.getNumWarnings(), 1u);
  }
};

struct WnoSuppressesWarningAndItsNotes : DiagTest {
  void test() {
    load("one\ntwo\nthree\nfour\n");
    ASSERT_TRUE(diags.applyWarningOption("no-dead-rule"));
    diags.report(DiagID::warn_dead_rule, at("one"), "one", "why");
    diags.report(DiagID::note_voided_by, at("two"));
    diags.report(DiagID::note_voided_by, at("three"));
    EXPECT_EQ(os.str(), "");
    EXPECT_EQ(diags.getNumWarnings(), 0u);
    EXPECT_EQ(diags.getNumErrors(), 0u);

    // Another warning is unaffected, and so are its notes.
    diags.report(DiagID::warn_rule_equals_default, at("four"), "'four'",
                 "allow");
    diags.report(DiagID::note_voided_by, at("two"));
    EXPECT_NE(os.str().find("warning: 'four' has no effect: the default action "
                            "is already 'allow' [-Wredundant-rule]"),
              std::string::npos)
        << os.str();
    EXPECT_NE(os.str().find("test.pol:2:1: note: voided by this statement"),
              std::string::npos)
        << os.str();
    EXPECT_EQ(diags.getNumWarnings(), 1u);
  }
};

struct NoteAfterErrorFollowingSuppressedWarningIsShown : DiagTest {
  void test() {
    load("one\ntwo\nthree\n");
    ASSERT_TRUE(diags.applyWarningOption("no-dead-rule"));
    diags.report(DiagID::warn_dead_rule, at("one"), "one", "why");
    diags.report(DiagID::err_redefinition_group, at("two"), "g");
    diags.report(DiagID::note_previous_definition, at("three"));
    EXPECT_EQ(os.str(),
              "test.pol:2:1: error: redefinition of group 'g'\ntwo\n^\n"
              "test.pol:3:1: note: previous definition is here\n"
              "three\n^\n");
  }
};

struct WflagReenablesDisabledWarning : DiagTest {
  void test() {
    load("one\n");
    ASSERT_TRUE(diags.applyWarningOption("no-duplicate"));
    ASSERT_TRUE(diags.applyWarningOption("duplicate"));
    diags.report(DiagID::warn_duplicate_arch, at("one"), "x86");
    EXPECT_EQ(diags.getNumWarnings(), 1u);
    EXPECT_NE(os.str().find("warning: architecture 'x86' is listed twice "
                            "[-Wduplicate]"),
              std::string::npos)
        << os.str();
  }
};

struct WerrorEqualsPromotesOneWarning : DiagTest {
  void test() {
    load("one\ntwo\n");
    ASSERT_TRUE(diags.applyWarningOption("error=dead-rule"));
    diags.report(DiagID::warn_dead_rule, at("one"), "one", "why");
    EXPECT_EQ(os.str(), "test.pol:1:1: error: 'one' has no effect: why "
                        "[-Werror,-Wdead-rule]\none\n^\n");
    EXPECT_EQ(diags.getNumErrors(), 1u);
    EXPECT_EQ(diags.getNumWarnings(), 0u);
    EXPECT_TRUE(diags.hasErrors());

    // A different warning stays a warning.
    out.clear();
    diags.report(DiagID::warn_duplicate_arch, at("two"), "x86");
    EXPECT_EQ(os.str(), "test.pol:2:1: warning: architecture 'x86' is listed "
                        "twice [-Wduplicate]\ntwo\n^\n");
    EXPECT_EQ(diags.getNumErrors(), 1u);
    EXPECT_EQ(diags.getNumWarnings(), 1u);
  }
};

struct WerrorPromotesEveryWarning : DiagTest {
  void test() {
    load("one\ntwo\n");
    ASSERT_TRUE(diags.applyWarningOption("error"));
    diags.report(DiagID::warn_dead_rule, at("one"), "one", "why");
    diags.report(DiagID::warn_duplicate_arch, at("two"), "x86");
    EXPECT_NE(os.str().find("[-Werror,-Wdead-rule]"), std::string::npos);
    EXPECT_NE(os.str().find("[-Werror,-Wduplicate]"), std::string::npos);
    EXPECT_EQ(os.str().find("warning:"), std::string::npos) << os.str();
    EXPECT_EQ(diags.getNumErrors(), 2u);
    EXPECT_EQ(diags.getNumWarnings(), 0u);
  }
};

struct SetAllWarningsAsErrors : DiagTest {
  void test() {
    load("one\n");
    diags.setAllWarningsAsErrors(true);
    diags.report(DiagID::warn_duplicate_arch, at("one"), "x86");
    EXPECT_EQ(diags.getNumErrors(), 1u);
    EXPECT_NE(os.str().find("error: architecture 'x86' is listed twice "
                            "[-Werror,-Wduplicate]"),
              std::string::npos)
        << os.str();
  }
};

struct DisabledWinsOverPromoted : DiagTest {
  void test() {
    load("one\n");
    ASSERT_TRUE(diags.applyWarningOption("error=dead-rule"));
    ASSERT_TRUE(diags.applyWarningOption("no-dead-rule"));
    diags.report(DiagID::warn_dead_rule, at("one"), "one", "why");
    EXPECT_EQ(os.str(), "");
    EXPECT_FALSE(diags.hasErrors());
  }
};

struct UnknownWarningOptionsAreRejected : DiagTest {
  void test() {
    EXPECT_FALSE(diags.applyWarningOption("bogus"));
    EXPECT_FALSE(diags.applyWarningOption("no-bogus"));
    EXPECT_FALSE(diags.applyWarningOption("error=bogus"));
    EXPECT_FALSE(diags.applyWarningOption("error="));
    EXPECT_FALSE(diags.applyWarningOption("no-"));
    EXPECT_FALSE(diags.applyWarningOption(""));
    // Spelled with the dash, or in another case: not a flag name.
    EXPECT_FALSE(diags.applyWarningOption("-Wdead-rule"));
    EXPECT_FALSE(diags.applyWarningOption("Dead-Rule"));
    // Errors have no flag; their (empty) flag must not be accepted.
    EXPECT_FALSE(diags.applyWarningOption("no-error"));
    // Rejected options change nothing.
    load("one\n");
    diags.report(DiagID::warn_dead_rule, at("one"), "one", "why");
    EXPECT_EQ(diags.getNumWarnings(), 1u);
    EXPECT_EQ(diags.getNumErrors(), 0u);
  }
};

struct EveryWarningFlagIsAccepted : DiagTest {
  void test() {
    for (const DiagInfo &info : getAllDiagInfos()) {
      if (info.level != DiagLevel::Warning)
        continue;
      EXPECT_FALSE(info.flag.empty()) << info.name.str();
      EXPECT_TRUE(diags.applyWarningOption(info.flag)) << info.flag.str();
      EXPECT_TRUE(diags.applyWarningOption(("no-" + info.flag).str()));
      EXPECT_TRUE(diags.applyWarningOption(("error=" + info.flag).str()));
    }
  }
};

TEST(DiagInfoTable, MatchesEnumAndConventions) {
  EXPECT_EQ(getAllDiagInfos().size(),
            static_cast<size_t>(DiagID::NumDiagnostics));
  EXPECT_EQ(getDiagInfo(DiagID::warn_dead_rule).name, "warn_dead_rule");
  EXPECT_EQ(getDiagInfo(DiagID::warn_dead_rule).flag, "dead-rule");
  EXPECT_EQ(getDiagInfo(DiagID::err_syntax).level, DiagLevel::Error);
  EXPECT_EQ(getDiagInfo(DiagID::note_voided_by).level, DiagLevel::Note);
  for (const DiagInfo &info : getAllDiagInfos()) {
    // Names say their level; only warnings carry a flag.
    llvm::StringRef prefix = info.level == DiagLevel::Error     ? "err_"
                             : info.level == DiagLevel::Warning ? "warn_"
                                                                : "note_";
    EXPECT_TRUE(info.name.startswith(prefix)) << info.name.str();
    EXPECT_EQ(info.flag.empty(), info.level != DiagLevel::Warning)
        << info.name.str();
    // Wording: lower case start, no trailing period.
    ASSERT_FALSE(info.format.empty()) << info.name.str();
    EXPECT_FALSE(info.format.endswith(".")) << info.name.str();
    char c = info.format.front();
    EXPECT_FALSE(c >= 'A' && c <= 'Z') << info.name.str();
  }
}

void ClosestMatch_FindsOneEditTypos() {
  llvm::StringRef cands[] = {"mkdir", "rmdir", "read", "write"};
  EXPECT_EQ(closestMatch("mkdr", cands), "mkdir");   // deletion
  EXPECT_EQ(closestMatch("mkdirr", cands), "mkdir"); // insertion
  EXPECT_EQ(closestMatch("wrute", cands), "write");  // replacement
  EXPECT_EQ(closestMatch("read", cands), "read");    // exact
}

void ClosestMatch_RejectsFarNames() {
  llvm::StringRef cands[] = {"mkdir", "rmdir", "read", "write"};
  EXPECT_EQ(closestMatch("zzzzzzzz", cands), "");
  EXPECT_EQ(closestMatch("socket", cands), "");
  EXPECT_EQ(closestMatch("x", {}), "");
  // A one-letter name is not "close" to an unrelated longer name.
  EXPECT_EQ(closestMatch("q", cands), "");
}

void ClosestMatch_TiesGoToTheSmallestCandidateWhateverTheOrder() {
  llvm::StringRef ab[] = {"ac", "aa"};
  llvm::StringRef ba[] = {"aa", "ac"};
  EXPECT_EQ(closestMatch("ab", ab), "aa");
  EXPECT_EQ(closestMatch("ab", ba), "aa");
  // A strictly closer candidate beats a smaller one.
  llvm::StringRef c[] = {"abdy", "abaa"};
  EXPECT_EQ(closestMatch("abdx", c), "abdy");
}

void DidYouMean_Formats() {
  llvm::StringRef cands[] = {"x86_64", "aarch64"};
  EXPECT_EQ(didYouMean("x86_46", cands), "; did you mean 'x86_64'?");
  EXPECT_EQ(didYouMean("aarch46", cands), "; did you mean 'aarch64'?");
  EXPECT_EQ(didYouMean("sparc", cands), "");
}

//===----------------------------------------------------------------------===//
// The cases above, grouped: one ctest entry (one process) per group keeps
// the suite fast; SCOPED_TRACE names the failing case.
//===----------------------------------------------------------------------===//

TEST(DiagnosticEngine, OutputFormat) {
  runCase<ErrorFormatIsFileLineColMessageSourceLineCaret>(
      "ErrorFormatIsFileLineColMessageSourceLineCaret");
  runCase<FormatArgumentsAreSubstituted>("FormatArgumentsAreSubstituted");
  runCase<RangeIsUnderlined>("RangeIsUnderlined");
  runCase<EmptyRangeGivesCaretOnly>("EmptyRangeGivesCaretOnly");
  runCase<NoLocationPrintsToolName>("NoLocationPrintsToolName");
  runCase<WarningAndNoteFormat>("WarningAndNoteFormat");
}

TEST(DiagnosticEngine, Counting) {
  runCase<CountsErrorsAndWarningsButNotNotes>(
      "CountsErrorsAndWarningsButNotNotes");
}

TEST(DiagnosticEngine, WnoSuppressesWarningAndItsNotes) {
  runCase<WnoSuppressesWarningAndItsNotes>("WnoSuppressesWarningAndItsNotes");
  runCase<NoteAfterErrorFollowingSuppressedWarningIsShown>(
      "NoteAfterErrorFollowingSuppressedWarningIsShown");
  runCase<WflagReenablesDisabledWarning>("WflagReenablesDisabledWarning");
  runCase<DisabledWinsOverPromoted>("DisabledWinsOverPromoted");
}

TEST(DiagnosticEngine, WerrorPromotesToError) {
  runCase<WerrorEqualsPromotesOneWarning>("WerrorEqualsPromotesOneWarning");
  runCase<WerrorPromotesEveryWarning>("WerrorPromotesEveryWarning");
  runCase<SetAllWarningsAsErrors>("SetAllWarningsAsErrors");
}

TEST(DiagnosticEngine, WarningOptionNames) {
  runCase<UnknownWarningOptionsAreRejected>("UnknownWarningOptionsAreRejected");
  runCase<EveryWarningFlagIsAccepted>("EveryWarningFlagIsAccepted");
}

TEST(ClosestMatch, TyposTiesAndDidYouMean) {
  {
    SCOPED_TRACE("FindsOneEditTypos");
    ClosestMatch_FindsOneEditTypos();
  }
  {
    SCOPED_TRACE("RejectsFarNames");
    ClosestMatch_RejectsFarNames();
  }
  {
    SCOPED_TRACE("TiesGoToTheSmallestCandidateWhateverTheOrder");
    ClosestMatch_TiesGoToTheSmallestCandidateWhateverTheOrder();
  }
  {
    SCOPED_TRACE("Formats");
    DidYouMean_Formats();
  }
}
} // namespace
