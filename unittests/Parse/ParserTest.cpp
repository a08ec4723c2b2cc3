//===- ParserTest.cpp - parseBuffer on in-memory sources ------------------===//
#include "polc/Parse/Parse.h"

#include "llvm/Support/MemoryBuffer.h"

#include "gtest/gtest.h"

#include <random>

using namespace polc;
using namespace polc::ast;

namespace {

/// One in-memory source, parsed with its diagnostics captured.
struct Parsed {
  llvm::SourceMgr sm;
  std::string out;
  llvm::raw_string_ostream os{out};
  DiagnosticEngine diags{sm, os};
  unsigned id = 0;
  std::optional<Module> module;

  explicit Parsed(llvm::StringRef text) {
    id = sm.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(text, "t.pol"), llvm::SMLoc());
    module = parseBuffer(id, diags);
  }
  llvm::StringRef buffer() const { return sm.getMemoryBuffer(id)->getBuffer(); }
  /// The source text a range covers.
  static llvm::StringRef text(llvm::SMRange r) {
    return llvm::StringRef(r.Start.getPointer(),
                           r.End.getPointer() - r.Start.getPointer());
  }
  /// Byte offset of \p loc in the buffer.
  size_t offset(llvm::SMLoc loc) const {
    return loc.getPointer() - buffer().data();
  }
  std::pair<unsigned, unsigned> lineCol(llvm::SMLoc loc) const {
    return sm.getLineAndColumn(loc, id);
  }
  const Block &policy(size_t i = 0) const { return module->policies.at(i); }
  const Stmt &stmt(size_t i, size_t p = 0) const {
    return *policy(p).stmts.at(i);
  }
};

size_t countOf(llvm::StringRef hay, llvm::StringRef needle) {
  size_t n = 0;
  for (size_t pos = hay.find(needle); pos != llvm::StringRef::npos;
       pos = hay.find(needle, pos + needle.size()))
    ++n;
  return n;
}

/// Phrases of ANTLR's own messages, which must never reach the user.
void expectNoAntlrWording(llvm::StringRef diags, llvm::StringRef input = "") {
  for (llvm::StringRef bad :
       {"<EOF>", "mismatched input", "expecting {", "expecting",
        "extraneous input", "no viable alternative", "' at '",
        "token recognition error", "at input", "IDENT", "ERRCHAR"}) {
    // Only flag a phrase the input itself does not contain.
    if (input.contains(bad))
      continue;
    EXPECT_FALSE(diags.contains(bad)) << "'" << bad.str() << "' in:\n"
                                      << diags.str();
  }
}

//===----------------------------------------------------------------------===//
// Statements and ranges.
//===----------------------------------------------------------------------===//

void Parser_StatementKindsAndRanges() {
  Parsed p("policy web {\n"                         // line 1
           "  attach /usr/bin/web\n"                // line 2
           "  arch x86_64, aarch64\n"               // line 3
           "  default deny errno EPERM\n"           // line 4
           "  use runtime\n"                        // line 5
           "  may read write /etc/passwd, /tmp/x\n" // line 6
           "  syscall kill thread ptrace, bpf\n"    // line 7
           "}\n");
  ASSERT_TRUE(p.module) << p.out;
  EXPECT_EQ(p.out, "");
  ASSERT_EQ(p.module->policies.size(), 1u);
  EXPECT_TRUE(p.module->groups.empty());
  const Block &b = p.policy();
  EXPECT_EQ(b.name.text, "web");
  EXPECT_EQ(Parsed::text(b.name.range), "web");
  EXPECT_EQ(p.offset(b.range.Start), 0u);
  EXPECT_EQ(p.offset(b.range.End), p.buffer().size() - 1); // before last '\n'
  ASSERT_EQ(b.stmts.size(), 6u);

  const auto *attach = llvm::dyn_cast<AttachStmt>(&p.stmt(0));
  ASSERT_NE(attach, nullptr);
  EXPECT_EQ(attach->getSourceText(), "attach /usr/bin/web");
  EXPECT_EQ(attach->path.kind, Word::Kind::Path);
  EXPECT_EQ(attach->path.text, "/usr/bin/web");
  EXPECT_EQ(Parsed::text(attach->path.range), "/usr/bin/web");
  EXPECT_EQ(p.lineCol(attach->getLoc()), std::make_pair(2u, 3u));

  const auto *arch = llvm::dyn_cast<ArchStmt>(&p.stmt(1));
  ASSERT_NE(arch, nullptr);
  EXPECT_EQ(arch->getSourceText(), "arch x86_64, aarch64");
  ASSERT_EQ(arch->arches.size(), 2u);
  EXPECT_EQ(arch->arches[0].text, "x86_64");
  EXPECT_EQ(arch->arches[1].text, "aarch64");
  EXPECT_EQ(p.lineCol(arch->arches[1].range.Start), std::make_pair(3u, 16u));
  EXPECT_EQ(Parsed::text(arch->arches[1].range), "aarch64");

  const auto *def = llvm::dyn_cast<DefaultStmt>(&p.stmt(2));
  ASSERT_NE(def, nullptr);
  EXPECT_EQ(def->getSourceText(), "default deny errno EPERM");
  EXPECT_EQ(def->action.kind, ActionKind::Deny);
  ASSERT_TRUE(def->action.errnoValue.has_value());
  EXPECT_EQ(def->action.errnoValue->text, "EPERM");
  EXPECT_EQ(def->action.errnoValue->kind, Word::Kind::Ident);
  EXPECT_EQ(Parsed::text(def->action.range), "deny errno EPERM");

  const auto *use = llvm::dyn_cast<UseStmt>(&p.stmt(3));
  ASSERT_NE(use, nullptr);
  EXPECT_EQ(use->group.text, "runtime");
  EXPECT_EQ(use->getSourceText(), "use runtime");

  const auto *intent = llvm::dyn_cast<IntentStmt>(&p.stmt(4));
  ASSERT_NE(intent, nullptr);
  EXPECT_FALSE(intent->negated);
  EXPECT_EQ(intent->getSourceText(), "may read write /etc/passwd, /tmp/x");
  ASSERT_EQ(intent->groups.size(), 2u);
  ASSERT_EQ(intent->groups[0].size(), 3u);
  EXPECT_EQ(intent->groups[0][0].text, "read");
  EXPECT_EQ(intent->groups[0][0].kind, Word::Kind::Ident);
  EXPECT_EQ(intent->groups[0][1].text, "write");
  EXPECT_EQ(intent->groups[0][2].text, "/etc/passwd");
  EXPECT_EQ(intent->groups[0][2].kind, Word::Kind::Path);
  ASSERT_EQ(intent->groups[1].size(), 1u);
  EXPECT_EQ(intent->groups[1][0].text, "/tmp/x");
  EXPECT_EQ(p.lineCol(intent->groups[1][0].range.Start),
            std::make_pair(6u, 31u));
  // Sema fills these, not the parser.
  EXPECT_TRUE(intent->verbs.empty());
  EXPECT_TRUE(intent->objects.empty());

  const auto *sc = llvm::dyn_cast<SyscallStmt>(&p.stmt(5));
  ASSERT_NE(sc, nullptr);
  EXPECT_EQ(sc->getSourceText(), "syscall kill thread ptrace, bpf");
  EXPECT_EQ(sc->action.kind, ActionKind::KillThread);
  ASSERT_EQ(sc->names.size(), 2u);
  EXPECT_EQ(sc->names[0].text, "ptrace");
  EXPECT_EQ(sc->names[1].text, "bpf");
  EXPECT_FALSE(sc->condition != nullptr);
}

void Parser_ActionKinds() {
  Parsed p("group g {\n"
           "  syscall allow a\n"
           "  syscall deny b\n"
           "  syscall deny errno 13 c\n"
           "  syscall kill d\n"
           "  syscall kill process e\n"
           "  syscall kill thread f\n"
           "  syscall trap g\n"
           "  syscall log h\n"
           "}\n");
  ASSERT_TRUE(p.module) << p.out;
  ASSERT_EQ(p.module->groups.size(), 1u);
  EXPECT_TRUE(p.module->policies.empty());
  const Block &g = p.module->groups[0];
  EXPECT_EQ(g.name.text, "g");
  ASSERT_EQ(g.stmts.size(), 8u);
  const ActionKind want[] = {ActionKind::Allow,       ActionKind::Deny,
                             ActionKind::Deny,        ActionKind::KillProcess,
                             ActionKind::KillProcess, ActionKind::KillThread,
                             ActionKind::Trap,        ActionKind::Log};
  for (size_t i = 0; i < 8; ++i) {
    const auto *s = llvm::dyn_cast<SyscallStmt>(g.stmts[i].get());
    ASSERT_NE(s, nullptr) << i;
    EXPECT_EQ(s->action.kind, want[i]) << i;
    ASSERT_EQ(s->names.size(), 1u);
    EXPECT_EQ(s->names[0].text, std::string(1, char('a' + i)));
  }
  const auto &deny = llvm::cast<SyscallStmt>(*g.stmts[1]);
  EXPECT_FALSE(deny.action.errnoValue.has_value());
  const auto &deny13 = llvm::cast<SyscallStmt>(*g.stmts[2]);
  ASSERT_TRUE(deny13.action.errnoValue.has_value());
  EXPECT_EQ(deny13.action.errnoValue->kind, Word::Kind::Number);
  EXPECT_EQ(deny13.action.errnoValue->text, "13");
}

void Parser_KeywordsAreNamesAfterAnAction() {
  Parsed p("policy p { syscall allow kill, log, policy, in, allow }");
  ASSERT_TRUE(p.module) << p.out;
  const auto &s = llvm::cast<SyscallStmt>(p.stmt(0));
  ASSERT_EQ(s.names.size(), 5u);
  EXPECT_EQ(s.names[0].text, "kill");
  EXPECT_EQ(s.names[1].text, "log");
  EXPECT_EQ(s.names[2].text, "policy");
  EXPECT_EQ(s.names[3].text, "in");
  EXPECT_EQ(s.names[4].text, "allow");
}

void Parser_NegatedIntentAndUseHead() {
  Parsed p("policy p {\n  may not exec\n  may use capability setuid\n}");
  ASSERT_TRUE(p.module) << p.out;
  const auto &neg = llvm::cast<IntentStmt>(p.stmt(0));
  EXPECT_TRUE(neg.negated);
  ASSERT_EQ(neg.groups.size(), 1u);
  ASSERT_EQ(neg.groups[0].size(), 1u);
  EXPECT_EQ(neg.groups[0][0].text, "exec");
  EXPECT_EQ(neg.getSourceText(), "may not exec");
  const auto &use = llvm::cast<IntentStmt>(p.stmt(1));
  EXPECT_FALSE(use.negated);
  ASSERT_EQ(use.groups[0].size(), 3u);
  EXPECT_EQ(use.groups[0][0].text, "use");
  EXPECT_EQ(use.groups[0][0].kind, Word::Kind::Ident);
  EXPECT_EQ(use.groups[0][1].text, "capability");
  EXPECT_EQ(use.groups[0][2].text, "setuid");
}

void Parser_ConditionRangeIsRecorded() {
  Parsed p("policy p { syscall allow read if a == 1 and (b & 4 != 0 or c in "
           "{1, 0x2}) }");
  ASSERT_TRUE(p.module) << p.out;
  const auto &s = llvm::cast<SyscallStmt>(p.stmt(0));
  ASSERT_TRUE(s.condition != nullptr);
  EXPECT_EQ(Parsed::text(s.condition->range),
            "a == 1 and (b & 4 != 0 or c in {1, 0x2})");
  EXPECT_EQ(s.getSourceText(),
            "syscall allow read if a == 1 and (b & 4 != 0 or c in {1, 0x2})");
}

void Parser_StatementsNeedNoTerminatorAndCommentsAreSkipped() {
  Parsed p("# leading comment\n"
           "policy p { default allow syscall allow read # trailing\n"
           "  syscall deny write }\n"
           "group g { }\n"
           "policy q {}\n");
  ASSERT_TRUE(p.module) << p.out;
  ASSERT_EQ(p.module->policies.size(), 2u);
  EXPECT_EQ(p.policy(0).stmts.size(), 3u);
  EXPECT_EQ(p.stmt(1).getSourceText(), "syscall allow read");
  EXPECT_EQ(p.stmt(2).getSourceText(), "syscall deny write");
  EXPECT_EQ(p.policy(1).name.text, "q");
  EXPECT_TRUE(p.policy(1).stmts.empty());
  ASSERT_EQ(p.module->groups.size(), 1u);
  EXPECT_TRUE(p.module->groups[0].stmts.empty());
}

void Parser_IncludesAreCollected() {
  Parsed p("include \"common.pol\"\ninclude \"/abs/other.pol\"\n");
  ASSERT_TRUE(p.module) << p.out;
  ASSERT_EQ(p.module->includes.size(), 2u);
  EXPECT_EQ(p.module->includes[0].file.text, "common.pol");
  EXPECT_EQ(p.module->includes[0].file.kind, Word::Kind::String);
  EXPECT_EQ(Parsed::text(p.module->includes[0].file.range), "\"common.pol\"");
  EXPECT_EQ(p.module->includes[1].file.text, "/abs/other.pol");
  EXPECT_EQ(p.module->includes[0].bufferID, 0u);
}

void Parser_EmptyAndCommentOnlyFilesAreEmptyModules() {
  for (llvm::StringRef src : {"", "\n\n", "# nothing\n", "   \t\r\n"}) {
    Parsed p(src);
    ASSERT_TRUE(p.module) << p.out;
    EXPECT_TRUE(p.module->policies.empty());
    EXPECT_TRUE(p.module->groups.empty());
    EXPECT_TRUE(p.module->includes.empty());
    EXPECT_EQ(p.out, "");
  }
}

//===----------------------------------------------------------------------===//
// Words: strings, escapes, bytes.
//===----------------------------------------------------------------------===//

void Parser_QuotedStringsDecodeOnlyEscapedQuote() {
  Parsed p(
      R"(policy p { may read "/a b", "/q\"uote", "/glob\*star", "/back\\slash", "/x\?y" })");
  ASSERT_TRUE(p.module) << p.out;
  const auto &s = llvm::cast<IntentStmt>(p.stmt(0));
  ASSERT_EQ(s.groups.size(), 5u);
  ASSERT_EQ(s.groups[0].size(), 2u);
  EXPECT_EQ(s.groups[0][1].kind, Word::Kind::String);
  EXPECT_EQ(s.groups[0][1].text, "/a b");
  EXPECT_EQ(Parsed::text(s.groups[0][1].range), "\"/a b\"");
  EXPECT_EQ(s.groups[1][0].text, "/q\"uote");
  EXPECT_EQ(s.groups[2][0].text, "/glob\\*star");
  EXPECT_EQ(s.groups[3][0].text, "/back\\\\slash");
  EXPECT_EQ(s.groups[4][0].text, "/x\\?y");
}

void Parser_BarePathKeepsEscapesAndAlternation() {
  Parsed p(R"(policy p { may read /a\ b/{x,y}/c*, /d })");
  ASSERT_TRUE(p.module) << p.out;
  const auto &s = llvm::cast<IntentStmt>(p.stmt(0));
  ASSERT_EQ(s.groups.size(), 2u);
  EXPECT_EQ(s.groups[0][1].kind, Word::Kind::Path);
  EXPECT_EQ(s.groups[0][1].text, "/a\\ b/{x,y}/c*");
  EXPECT_EQ(s.groups[1][0].text, "/d");
}

void Parser_NonAsciiBytesInPathsSurviveByteExactly() {
  // UTF-8, and bytes that are not valid UTF-8 at all.
  const std::string utf8 = "/tmp/caf\xC3\xA9/\xE2\x82\xAC\xF0\x9F\x98\x80";
  const std::string raw = "/tmp/\xFF\xFE\x80\xC0";
  std::string src = "policy p {\n  may read \"" + utf8 + " x\", " + utf8 +
                    ", \"" + raw + "\", " + raw + "\n  syscall allow read\n}\n";
  Parsed p(src);
  ASSERT_TRUE(p.module) << p.out;
  EXPECT_EQ(p.out, "");
  const auto &s = llvm::cast<IntentStmt>(p.stmt(0));
  ASSERT_EQ(s.groups.size(), 4u);
  EXPECT_EQ(s.groups[0][1].kind, Word::Kind::String);
  EXPECT_EQ(s.groups[0][1].text, utf8 + " x");
  EXPECT_EQ(s.groups[1][0].kind, Word::Kind::Path);
  EXPECT_EQ(s.groups[1][0].text, utf8);
  EXPECT_EQ(s.groups[2][0].text, raw);
  EXPECT_EQ(s.groups[3][0].text, raw);
  // Byte offsets stay exact after multi-byte characters.
  EXPECT_EQ(Parsed::text(s.groups[3][0].range), raw);
  EXPECT_EQ(p.stmt(1).getSourceText(), "syscall allow read");
  EXPECT_EQ(p.lineCol(p.stmt(1).getLoc()).first, 3u);
}

void Parser_NonAsciiOutsidePathsIsAnInvalidCharacter() {
  Parsed p("policy caf\xC3\xA9 { }\n");
  EXPECT_FALSE(p.module);
  // The first byte of the name's non-ASCII text is where the error is.
  EXPECT_NE(p.out.find("t.pol:1:11: error: invalid character '\\xc3"),
            std::string::npos)
      << p.out;
  expectNoAntlrWording(p.out);
  EXPECT_TRUE(p.diags.hasErrors());
}

//===----------------------------------------------------------------------===//
// Errors.
//===----------------------------------------------------------------------===//

void Parser_SyntaxErrorInPolcWording() {
  Parsed p(
      "policy p {\n  default deny errno EPERM\n  syscall frobnicate read\n}\n");
  EXPECT_FALSE(p.module);
  EXPECT_EQ(p.diags.getNumErrors(), 1u) << p.out;
  EXPECT_NE(p.out.find("t.pol:3:11: error: unexpected 'frobnicate'; expected "),
            std::string::npos)
      << p.out;
  expectNoAntlrWording(p.out);
}

void Parser_UnexpectedEndOfFile() {
  Parsed p("policy q {\n  syscall allow read\n");
  EXPECT_FALSE(p.module);
  EXPECT_NE(p.out.find("error: unexpected end of file; expected "),
            std::string::npos)
      << p.out;
  expectNoAntlrWording(p.out);
}

void Parser_InvalidCharacterAndUnterminatedString() {
  Parsed p("policy p {\n  $\n  may read \"/unterminated\n}\n");
  EXPECT_FALSE(p.module);
  EXPECT_NE(p.out.find("t.pol:2:3: error: invalid character '$' in policy"),
            std::string::npos)
      << p.out;
  EXPECT_NE(p.out.find("t.pol:3:12: error: missing terminating '\"' character"),
            std::string::npos)
      << p.out;
  expectNoAntlrWording(p.out);
}

void Parser_ErrorsComeOutInSourceOrder() {
  Parsed p("policy p {\n  syscall bogus x\n  $\n  syscall allow\n}\n");
  EXPECT_FALSE(p.module);
  std::vector<unsigned> lines;
  llvm::StringRef rest = p.out;
  while (true) {
    size_t pos = rest.find("t.pol:");
    if (pos == llvm::StringRef::npos)
      break;
    rest = rest.drop_front(pos + 6);
    unsigned line = 0;
    llvm::StringRef digits =
        rest.take_while([](char c) { return c >= '0' && c <= '9'; });
    ASSERT_FALSE(digits.getAsInteger(10, line));
    lines.push_back(line);
  }
  ASSERT_GE(lines.size(), 2u) << p.out;
  EXPECT_TRUE(std::is_sorted(lines.begin(), lines.end())) << p.out;
}

void Parser_AtMostTwentySyntaxErrorsForGarbage() {
  std::string garbage;
  for (int i = 0; i < 200; ++i)
    garbage += "policy } ) $ , == { allow\n";
  Parsed p(garbage);
  EXPECT_FALSE(p.module);
  size_t errors = countOf(p.out, "error:");
  EXPECT_GE(errors, 1u);
  EXPECT_LE(errors, 20u) << p.out;
  EXPECT_LE(p.diags.getNumErrors(), 20u);
  expectNoAntlrWording(p.out);

  // Invalid characters alone are bounded the same way.
  Parsed q(std::string(500, '$'));
  EXPECT_FALSE(q.module);
  EXPECT_GE(q.diags.getNumErrors(), 1u);
  EXPECT_LE(q.diags.getNumErrors(), 20u);
}

void Parser_NulBytesAreReportedNotFatal() {
  std::string src("policy p {\n  \0\n}\n", 16);
  ASSERT_EQ(src.size(), 16u);
  Parsed p(src);
  EXPECT_FALSE(p.module);
  EXPECT_NE(p.out.find("t.pol:2:3: error: invalid character '\\x00' in policy"),
            std::string::npos)
      << p.out;

  // Between tokens, the rest of the file is still seen.
  std::string src2("\0\0policy p { $ }", 16);
  Parsed q(src2);
  EXPECT_FALSE(q.module);
  EXPECT_NE(q.out.find("'$'"), std::string::npos) << q.out;
}

void Parser_ErrorCountMatchesReturnValue() {
  Parsed ok("policy p { default allow }");
  EXPECT_TRUE(ok.module);
  EXPECT_FALSE(ok.diags.hasErrors());
  Parsed bad("policy p { default }");
  EXPECT_FALSE(bad.module);
  EXPECT_TRUE(bad.diags.hasErrors());
}

//===----------------------------------------------------------------------===//
// Robustness: nothing crashes, and the contract holds on any input.
//===----------------------------------------------------------------------===//

/// Checks what must hold whatever the input: a module iff no error, at most
/// 20 errors, polc's wording, and ranges inside the buffer.
void checkContract(llvm::StringRef src, unsigned seed) {
  Parsed p(src);
  SCOPED_TRACE("seed " + std::to_string(seed));
  EXPECT_EQ(p.module.has_value(), !p.diags.hasErrors()) << p.out;
  EXPECT_LE(p.diags.getNumErrors(), 20u);
  expectNoAntlrWording(p.out, src);
  if (!p.module)
    return;
  const char *b = p.buffer().begin(), *e = p.buffer().end();
  auto inside = [&](llvm::SMRange r) {
    return r.Start.getPointer() >= b && r.End.getPointer() <= e &&
           r.Start.getPointer() <= r.End.getPointer();
  };
  for (const auto *blocks : {&p.module->policies, &p.module->groups})
    for (const Block &blk : *blocks) {
      EXPECT_TRUE(inside(blk.range));
      for (const auto &s : blk.stmts)
        EXPECT_TRUE(inside(s->getRange()));
    }
}

TEST(ParserFuzz, RandomBytesNeverCrash) {
  std::mt19937 rng(20240601);
  for (unsigned i = 0; i < 2000; ++i) {
    std::uniform_int_distribution<size_t> len(0, 200);
    std::uniform_int_distribution<int> byte(0, 255);
    std::string s(len(rng), '\0');
    for (char &c : s)
      c = static_cast<char>(byte(rng));
    checkContract(s, i);
  }
}

TEST(ParserFuzz, RandomTokenSoupNeverCrashes) {
  // Pieces of the language, shuffled: reaches far deeper parser states than
  // raw bytes do.
  static const char *pieces[] = {"policy",   "group",    "include",
                                 "attach",   "arch",     "default",
                                 "use",      "may",      "not",
                                 "syscall",  "allow",    "deny",
                                 "errno",    "kill",     "thread",
                                 "process",  "trap",     "log",
                                 "if",       "in",       "and",
                                 "or",       "{",        "}",
                                 "(",        ")",        ",",
                                 "&",        "==",       "!=",
                                 "<=",       ">=",       "<",
                                 ">",        "0x1f",     "42",
                                 "read",     "EPERM",    "/etc/passwd",
                                 "/a/{b,c}", "\"/q s\"", "\"unterminated",
                                 "#c\n",     "\n",       " ",
                                 "\t",       "\0",       "\xC3\xA9",
                                 "\xFF",     "$",        "\\",
                                 "/"};
  std::mt19937 rng(7);
  std::uniform_int_distribution<size_t> pick(0, std::size(pieces) - 1);
  std::uniform_int_distribution<size_t> len(0, 60);
  for (unsigned i = 0; i < 2000; ++i) {
    std::string s;
    // Start most buffers inside a policy, so statements get parsed.
    if (i % 2 == 0)
      s = "policy p { ";
    size_t n = len(rng);
    for (size_t k = 0; k < n; ++k) {
      const char *piece = pieces[pick(rng)];
      if (*piece == '\0')
        s += '\0';
      else
        s += piece;
      s += ' ';
    }
    checkContract(s, i);
  }
}

TEST(ParserFuzz, ValidStatementsAlwaysParse) {
  // Random sequences of valid statements: always a module, never an error.
  static const char *stmts[] = {
      "attach /usr/bin/x",
      "arch x86_64, aarch64",
      "default allow",
      "default deny errno 13",
      "use runtime",
      "may read /etc/passwd",
      "may not exec",
      "may read write \"/a b\", /c/{d,e}",
      "syscall kill process ptrace",
      "syscall log read, write",
      "syscall allow read if a == 1 or not (b & 2 in { 1, 2 })"};
  std::mt19937 rng(99);
  std::uniform_int_distribution<size_t> pick(0, std::size(stmts) - 1);
  std::uniform_int_distribution<size_t> len(0, 12);
  for (unsigned i = 0; i < 200; ++i) {
    std::string s = i % 2 ? "group g {\n" : "policy p {\n";
    size_t n = len(rng);
    std::vector<std::string> want;
    for (size_t k = 0; k < n; ++k) {
      want.push_back(stmts[pick(rng)]);
      s += "  " + want.back() + "\n";
    }
    s += "}\n";
    Parsed p(s);
    ASSERT_TRUE(p.module) << s << p.out;
    const Block &b = i % 2 ? p.module->groups.at(0) : p.module->policies.at(0);
    ASSERT_EQ(b.stmts.size(), n);
    for (size_t k = 0; k < n; ++k)
      EXPECT_EQ(b.stmts[k]->getSourceText(), want[k]);
  }
}

// Deep nesting used to overflow the stack (the generated parser recurses once
// per level); it must be refused with an error, never crash.
void ParserFuzz_DeeplyNestedConditionIsRefusedNotCrashed() {
  const size_t depth = 20000;
  std::string prefix = "policy p { default allow syscall allow read if ";
  {
    std::string s = prefix + std::string(depth, '(') + "a == 1" +
                    std::string(depth, ')') + " }\n";
    Parsed p(s);
    EXPECT_FALSE(p.module);
    EXPECT_EQ(p.diags.getNumErrors(), 1u) << p.out.substr(0, 500);
    expectNoAntlrWording(p.out, s);
  }
  {
    std::string t = prefix;
    for (size_t i = 0; i < depth; ++i)
      t += "not ";
    t += "a == 1 }\n";
    Parsed p(t);
    EXPECT_FALSE(p.module);
    EXPECT_EQ(p.diags.getNumErrors(), 1u) << p.out.substr(0, 500);
  }
  {
    // Alternating 'not (' nests twice per pair.
    std::string t = prefix;
    for (size_t i = 0; i < depth / 2; ++i)
      t += "not (";
    t += "a == 1" + std::string(depth / 2, ')') + " }\n";
    Parsed p(t);
    EXPECT_FALSE(p.module);
    EXPECT_GE(p.diags.getNumErrors(), 1u);
  }
  {
    // Braces nest too.
    std::string t = prefix + "a in " + std::string(depth, '{') + "1 }\n";
    Parsed p(t);
    EXPECT_FALSE(p.module);
    EXPECT_GE(p.diags.getNumErrors(), 1u);
    EXPECT_LE(p.diags.getNumErrors(), 20u);
  }
}

void ParserFuzz_ModerateNestingStillParses() {
  std::string s = "policy p { default allow syscall allow read if " +
                  std::string(200, '(') + "a == 1" + std::string(200, ')') +
                  " }\n";
  Parsed p(s);
  ASSERT_TRUE(p.module) << p.out.substr(0, 500);
  const auto &sc = llvm::cast<SyscallStmt>(p.stmt(1));
  ASSERT_TRUE(sc.condition != nullptr);
  EXPECT_EQ(Parsed::text(sc.condition->range).size(), 406u);
}

//===----------------------------------------------------------------------===//
// The cases above, grouped: one ctest entry (one process) per group keeps
// the suite fast; SCOPED_TRACE names the failing case.
//===----------------------------------------------------------------------===//

TEST(Parser, Statements) {
  {
    SCOPED_TRACE("StatementKindsAndRanges");
    Parser_StatementKindsAndRanges();
  }
  {
    SCOPED_TRACE("ActionKinds");
    Parser_ActionKinds();
  }
  {
    SCOPED_TRACE("KeywordsAreNamesAfterAnAction");
    Parser_KeywordsAreNamesAfterAnAction();
  }
  {
    SCOPED_TRACE("NegatedIntentAndUseHead");
    Parser_NegatedIntentAndUseHead();
  }
  {
    SCOPED_TRACE("ConditionRangeIsRecorded");
    Parser_ConditionRangeIsRecorded();
  }
  {
    SCOPED_TRACE("StatementsNeedNoTerminatorAndCommentsAreSkipped");
    Parser_StatementsNeedNoTerminatorAndCommentsAreSkipped();
  }
  {
    SCOPED_TRACE("IncludesAreCollected");
    Parser_IncludesAreCollected();
  }
  {
    SCOPED_TRACE("EmptyAndCommentOnlyFilesAreEmptyModules");
    Parser_EmptyAndCommentOnlyFilesAreEmptyModules();
  }
}

TEST(Parser, Words) {
  {
    SCOPED_TRACE("QuotedStringsDecodeOnlyEscapedQuote");
    Parser_QuotedStringsDecodeOnlyEscapedQuote();
  }
  {
    SCOPED_TRACE("BarePathKeepsEscapesAndAlternation");
    Parser_BarePathKeepsEscapesAndAlternation();
  }
  {
    SCOPED_TRACE("NonAsciiBytesInPathsSurviveByteExactly");
    Parser_NonAsciiBytesInPathsSurviveByteExactly();
  }
}

TEST(Parser, SyntaxErrors) {
  {
    SCOPED_TRACE("NonAsciiOutsidePathsIsAnInvalidCharacter");
    Parser_NonAsciiOutsidePathsIsAnInvalidCharacter();
  }
  {
    SCOPED_TRACE("SyntaxErrorInPolcWording");
    Parser_SyntaxErrorInPolcWording();
  }
  {
    SCOPED_TRACE("UnexpectedEndOfFile");
    Parser_UnexpectedEndOfFile();
  }
  {
    SCOPED_TRACE("InvalidCharacterAndUnterminatedString");
    Parser_InvalidCharacterAndUnterminatedString();
  }
  {
    SCOPED_TRACE("ErrorsComeOutInSourceOrder");
    Parser_ErrorsComeOutInSourceOrder();
  }
  {
    SCOPED_TRACE("ErrorCountMatchesReturnValue");
    Parser_ErrorCountMatchesReturnValue();
  }
}

TEST(Parser, ErrorLimitAndNulBytes) {
  {
    SCOPED_TRACE("AtMostTwentySyntaxErrorsForGarbage");
    Parser_AtMostTwentySyntaxErrorsForGarbage();
  }
  {
    SCOPED_TRACE("NulBytesAreReportedNotFatal");
    Parser_NulBytesAreReportedNotFatal();
  }
}

TEST(ParserFuzz, NestingLimit) {
  {
    SCOPED_TRACE("DeeplyNestedConditionIsRefusedNotCrashed");
    ParserFuzz_DeeplyNestedConditionIsRefusedNotCrashed();
  }
  {
    SCOPED_TRACE("ModerateNestingStillParses");
    ParserFuzz_ModerateNestingStillParses();
  }
}
} // namespace
