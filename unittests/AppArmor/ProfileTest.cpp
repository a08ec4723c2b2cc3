//===- ProfileTest.cpp - quotePath, lowerToAppArmor, printProfile ---------===//
#include "polc/AppArmor/Profile.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include "gtest/gtest.h"

using namespace polc;
using namespace polc::apparmor;

namespace {

//===----------------------------------------------------------------------===//
// quotePath
//===----------------------------------------------------------------------===//

void QuotePath_PlainPathsStayUnquoted() {
  for (llvm::StringRef p :
       {"/usr/bin/foo", "/", "/etc/ld.so.conf.d/*", "/usr/lib/**",
        "/tmp/a-b_c.d~", "/dev/tty[0-9]", "/proc/*/status", "/a?b"})
    EXPECT_EQ(quotePath(p), p.str()) << p.str();
}

void QuotePath_SpecialCharactersForceQuotes() {
  EXPECT_EQ(quotePath("/a b"), "\"/a b\"");
  EXPECT_EQ(quotePath("/a#b"), "\"/a#b\"");
  EXPECT_EQ(quotePath("/a,b"), "\"/a,b\"");
  EXPECT_EQ(quotePath("/a=b"), "\"/a=b\"");
  EXPECT_EQ(quotePath("/a\tb"), "\"/a\\011b\"");
  for (char c : {'(', ')', '!', '<', '>', '+', ':'}) {
    std::string p = std::string("/x") + c + "y";
    EXPECT_EQ(quotePath(p), "\"" + p + "\"") << p;
  }
}

void QuotePath_DoubleQuoteIsEscapedAndQuoted() {
  EXPECT_EQ(quotePath("/a\"b"), "\"/a\\\"b\"");
  EXPECT_EQ(quotePath("/\"\""), "\"/\\\"\\\"\"");
}

void QuotePath_AlternationKeepsItsCommasUnquoted() {
  EXPECT_EQ(quotePath("/{a,b}"), "/{a,b}");
  EXPECT_EQ(quotePath("/usr/{lib,lib64}/**"), "/usr/{lib,lib64}/**");
  EXPECT_EQ(quotePath("/{a,{b,c}}/d"), "/{a,{b,c}}/d");
  // A comma after the alternation closes is a literal comma again.
  EXPECT_EQ(quotePath("/{a,b},c"), "\"/{a,b},c\"");
  // A space inside braces still needs quotes.
  EXPECT_EQ(quotePath("/{a b,c}"), "\"/{a b,c}\"");
  // An escaped brace opens no alternation.
  EXPECT_EQ(quotePath("/\\{a,b"), "\"/\\{a,b\"");
  // A brace inside a character class opens no alternation either.
  EXPECT_EQ(quotePath("/[{],x"), "\"/[{],x\"");
}

void QuotePath_VariableCharactersAreEscaped() {
  EXPECT_EQ(quotePath("/home/@{USER}"), "/home/\\@{USER}");
  EXPECT_EQ(quotePath("/a^b"), "/a\\^b");
  EXPECT_EQ(quotePath("/a b@c"), "\"/a b\\@c\"");
  // Inside a character class a leading '^' negates: kept.
  EXPECT_EQ(quotePath("/[^a]"), "/[^a]");
  EXPECT_EQ(quotePath("/[!a]"), "\"/[!a]\"");
  // Already escaped: not escaped twice.
  EXPECT_EQ(quotePath("/a\\@b"), "/a\\@b");
  EXPECT_EQ(quotePath("/a\\^b"), "/a\\^b");
}

void QuotePath_ExistingEscapesAreKept() {
  EXPECT_EQ(quotePath("/a\\*b"), "/a\\*b");
  // A literal backslash is its octal escape, bare or quoted: apparmor_parser
  // 3.0.8 reads '\\"' at the end of a quoted path as an escaped quote.
  EXPECT_EQ(quotePath("/a\\\\b"), "/a\\134b");
  EXPECT_EQ(quotePath("/a\\\\"), "/a\\134");
  EXPECT_EQ(quotePath("/a b\\\\"), "\"/a b\\134\"");
  // An escaped space: escaped as written, or quoted; the same path either way.
  std::string q = quotePath("/a\\ b");
  EXPECT_TRUE(q == "/a\\ b" || q == "\"/a b\"") << q;
}

void QuotePath_ControlCharactersBecomeOctalEscapes() {
  EXPECT_EQ(quotePath(llvm::StringRef("/a\nb")), "\"/a\\012b\"");
  EXPECT_EQ(quotePath(llvm::StringRef("/a\x01", 3)), "\"/a\\001\"");
  EXPECT_EQ(quotePath(llvm::StringRef("/a\x1f", 3)), "\"/a\\037\"");
  EXPECT_EQ(quotePath(llvm::StringRef("/a\x7f", 3)), "\"/a\\177\"");
  EXPECT_EQ(quotePath(llvm::StringRef("/\0x", 3)), "\"/\\000x\"");
  EXPECT_EQ(quotePath("/\r"), "\"/\\015\"");
}

// A control character right after a backslash is still written as an octal
// escape inside quotes: a raw newline would split the rule.
TEST(QuotePath, ControlCharacterAfterBackslashIsStillEscaped) {
  std::string q = quotePath(llvm::StringRef("/a\\\nb"));
  EXPECT_EQ(q.find('\n'), std::string::npos) << q;
  EXPECT_EQ(q.front(), '"') << q;
  q = quotePath(llvm::StringRef("/a\\\x01", 4));
  EXPECT_EQ(q.find('\x01'), std::string::npos) << q;
}

void QuotePath_NonAsciiBytesSurvive() {
  std::string p = "/tmp/caf\xC3\xA9";
  std::string q = quotePath(p);
  EXPECT_NE(q.find("caf\xC3\xA9"), std::string::npos) << q;
  // Unquoted output, or the same bytes in quotes.
  EXPECT_TRUE(q == p || q == "\"" + p + "\"") << q;
}

/// True when \p q has an '@' that is not escaped and is followed by '{':
/// apparmor_parser would expand (or reject) it as a variable, wherever it is,
/// character classes included (parser_variable.c, split_out_var).
bool hasUnescapedVariable(llvm::StringRef q) {
  for (size_t k = 0; k + 1 < q.size(); ++k) {
    if (q[k] == '\\') {
      ++k;
      continue;
    }
    if (q[k] == '@' && q[k + 1] == '{')
      return true;
  }
  return false;
}

/// Checks what every quotePath result must satisfy.
void checkQuoted(const std::string &p) {
  std::string q = quotePath(p);
  for (char c : q)
    EXPECT_FALSE(static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
        << "raw control char in " << q;
  bool quoted = q.size() >= 2 && q.front() == '"' && q.back() == '"';
  llvm::StringRef body =
      quoted ? llvm::StringRef(q).drop_front().drop_back() : llvm::StringRef(q);
  for (size_t k = 0; k < body.size(); ++k) {
    if (body[k] == '\\') {
      ++k;
      continue;
    }
    EXPECT_NE(body[k], '"') << "unescaped quote in " << q;
    if (!quoted)
      EXPECT_TRUE(body[k] != ' ' && body[k] != '#' && body[k] != '=')
          << "needs quotes: " << q;
  }
  EXPECT_FALSE(hasUnescapedVariable(q)) << "variable in " << q;
}

/// Random short paths over \p alphabet (fixed seed).
template <size_t N> void checkRandomPaths(const char (&alphabet)[N]) {
  uint32_t state = 12345;
  for (int i = 0; i < 2000; ++i) {
    std::string p = "/";
    state = state * 1103515245 + 12345;
    int len = (state >> 16) % 12;
    for (int k = 0; k < len; ++k) {
      state = state * 1103515245 + 12345;
      p += alphabet[(state >> 16) % N];
    }
    checkQuoted(p);
  }
}

TEST(QuotePath, OutputPropertiesOnRandomPaths) {
  // No backslashes and no character classes here: see the tests above.
  const char alphabet[] = {'/', 'a', ' ', ',',  '{',  '}',    '"', '@',
                           '^', '#', '=', '\n', '\t', '\x01', '*', '\x7f'};
  checkRandomPaths(alphabet);
}

// apparmor_parser expands '@{NAME}' anywhere in a path, character classes
// included (/x[@{HOME}]y would silently become the home directories), so
// '@' is escaped inside '[...]' too.
TEST(QuotePath, AtInCharacterClassCannotStartVariable) {
  for (llvm::StringRef p :
       {"/x[@{HOME}]y", "/z[@{}]", "/a[@{HOME}", "/a[b@{x}c]", "/[a-z@{USER}]"})
    EXPECT_FALSE(hasUnescapedVariable(quotePath(p)))
        << p.str() << " -> " << quotePath(p);
  const char alphabet[] = {'/', 'a', ' ', ',', '{', '}',  '[',
                           ']', '"', '@', '^', '#', '\n', '*'};
  checkRandomPaths(alphabet);
}

//===----------------------------------------------------------------------===//
// printProfile
//===----------------------------------------------------------------------===//

Profile sampleProfile() {
  Profile p;
  p.name = "web";
  p.attachment = "/usr/bin/web";
  p.source = "web.pol";
  p.capabilities = {{false, "capability net_bind_service", "web.pol:4"},
                    {true, "capability sys_admin", "web.pol:5"}};
  p.network = {{false, "network inet stream", "web.pol:6"}};
  p.files = {{false, "/etc/web/** r", "web.pol:7"},
             {true, "/etc/shadow rw", "web.pol:8, web.pol:9"},
             {false, "/var/log/web.log a", ""}};
  p.notes = {"web.pol:6 'may connect tcp': enforced in part"};
  return p;
}

void PrintProfile_Layout() {
  std::string s = printProfile(sampleProfile());
  EXPECT_EQ(s,
            "# AppArmor profile 'web', generated by polc from web.pol. Do not "
            "edit: change the policy and recompile.\n"
            "# Load:   apparmor_parser -r THIS_FILE\n"
            "# Docker: docker run --security-opt apparmor=web ...  (the loaded "
            "profile's name, not this file)\n"
            "#\n"
            "# Not fully enforced by this profile:\n"
            "#   web.pol:6 'may connect tcp': enforced in part\n"
            "\n"
            "abi <abi/3.0>,\n"
            "\n"
            "include <tunables/global>\n"
            "\n"
            "profile web /usr/bin/web {\n"
            "  capability net_bind_service,  # web.pol:4\n"
            "  deny capability sys_admin,  # web.pol:5\n"
            "\n"
            "  network inet stream,  # web.pol:6\n"
            "\n"
            "  /etc/web/** r,  # web.pol:7\n"
            "  deny /etc/shadow rw,  # web.pol:8, web.pol:9\n"
            "  /var/log/web.log a,\n"
            "}\n");
}

void PrintProfile_Invariants() {
  std::string s = printProfile(sampleProfile());
  llvm::StringRef ref(s);
  EXPECT_TRUE(ref.startswith("# "));
  EXPECT_TRUE(ref.endswith("}\n"));
  EXPECT_FALSE(ref.endswith("\n\n}\n"));
  EXPECT_NE(ref.find("\nabi <abi/3.0>,\n"), llvm::StringRef::npos);
  EXPECT_NE(ref.find("\ninclude <tunables/global>\n"), llvm::StringRef::npos);
  // abi, then include, then the profile.
  EXPECT_LT(ref.find("abi <abi/3.0>,"), ref.find("include <tunables/global>"));
  EXPECT_LT(ref.find("include <tunables/global>"), ref.find("profile web "));
  // Every line before `abi` is a comment or blank.
  llvm::StringRef head = ref.take_front(ref.find("abi <"));
  llvm::SmallVector<llvm::StringRef, 8> lines;
  head.split(lines, '\n');
  for (llvm::StringRef l : lines)
    EXPECT_TRUE(l.empty() || l.startswith("#")) << l.str();
  // Every deny rule says so.
  EXPECT_NE(ref.find("  deny capability sys_admin,"), llvm::StringRef::npos);
  EXPECT_NE(ref.find("  deny /etc/shadow rw,"), llvm::StringRef::npos);
  EXPECT_EQ(ref.find("  deny /etc/web"), llvm::StringRef::npos);
}

void PrintProfile_AttachmentIsQuotedWhenNeeded() {
  Profile p;
  p.name = "app";
  p.source = "app.pol";
  p.attachment = "/opt/my app/bin";
  std::string s = printProfile(p);
  EXPECT_NE(s.find("\nprofile app \"/opt/my app/bin\" {\n"), std::string::npos)
      << s;
  p.attachment.reset();
  s = printProfile(p);
  EXPECT_NE(s.find("\nprofile app {\n"), std::string::npos) << s;
}

void PrintProfile_EmptyProfile() {
  Profile p;
  p.name = "empty";
  p.source = "e.pol";
  std::string s = printProfile(p);
  EXPECT_TRUE(llvm::StringRef(s).endswith("\nprofile empty {\n}\n")) << s;
  EXPECT_EQ(s.find("Not fully enforced"), std::string::npos);
}

void PrintProfile_OnlyFiles() {
  Profile p;
  p.name = "f";
  p.source = "f.pol";
  p.files = {{true, "/x w", ""}};
  std::string s = printProfile(p);
  EXPECT_TRUE(llvm::StringRef(s).endswith("profile f {\n  deny /x w,\n}\n"))
      << s;
}

//===----------------------------------------------------------------------===//
// lowerToAppArmor
//===----------------------------------------------------------------------===//

TEST(LowerToAppArmor, RulesPermsAndWhere) {
  llvm::SourceMgr sm;
  std::string text = "policy web {\n"           // 1
                     "  may read /etc/a b\n"    // 2
                     "  may not write /etc/c\n" // 3
                     "  may exec /bin/x\n"      // 4
                     "}\n";
  unsigned id = sm.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(text, "dir/web.pol"), llvm::SMLoc());
  llvm::StringRef buf = sm.getMemoryBuffer(id)->getBuffer();
  auto at = [&](llvm::StringRef needle) {
    return llvm::SMLoc::getFromPointer(buf.data() + buf.find(needle));
  };
  auto origin = [&](llvm::StringRef needle) {
    ir::Origin o;
    o.loc = o.detail = at(needle);
    o.text = needle.str();
    o.isIntent = true;
    return o;
  };

  ir::Policy p;
  p.name = "web";
  p.loc = at("web");
  p.attach = "/usr/bin/my web";
  ir::FileRule r1;
  r1.path = "/etc/a";
  r1.perms = ir::PermRead;
  r1.origins = {origin("may read"), origin("may read")};
  ir::FileRule r2;
  r2.path = "/etc/a b";
  r2.perms = ir::PermRead | ir::PermWrite | ir::PermAppend;
  r2.origins = {origin("may read"), origin("may exec")};
  ir::FileRule r3;
  r3.path = "/etc/c";
  r3.perms = ir::PermWrite | ir::PermExec;
  r3.deny = true;
  r3.origins = {origin("may not")};
  ir::FileRule r4;
  r4.path = "/bin/x";
  r4.perms = ir::PermRead | ir::PermMap | ir::PermExec;
  r4.origins = {origin("may exec")};
  p.files = {r1, r2, r3, r4};
  ir::NetworkRule n;
  n.family = "inet";
  n.type = "stream";
  n.deny = true;
  n.origins = {origin("may not")};
  ir::NetworkRule n2;
  n2.family = "unix";
  n2.origins = {origin("may read")};
  p.network = {n, n2};
  ir::CapabilityRule c;
  c.name = "setuid";
  c.origins = {origin("may exec")};
  p.capabilities = {c};
  ir::Coverage full;
  full.origin = origin("may read");
  full.apparmor = ir::Enforcement::Full;
  ir::Coverage part;
  part.origin = origin("may exec");
  part.apparmor = ir::Enforcement::Partial;
  part.apparmorNote = "why";
  ir::Coverage none;
  none.origin = origin("may not");
  none.apparmor = ir::Enforcement::None;
  p.coverage = {full, part, none};

  Profile prof = lowerToAppArmor(p, sm);
  EXPECT_EQ(prof.name, "web");
  EXPECT_EQ(prof.source, "web.pol");
  ASSERT_TRUE(prof.attachment.has_value());
  EXPECT_EQ(*prof.attachment, "/usr/bin/my web");

  ASSERT_EQ(prof.files.size(), 4u);
  EXPECT_FALSE(prof.files[0].deny);
  EXPECT_EQ(prof.files[0].text, "/etc/a r");
  EXPECT_EQ(prof.files[0].where, "web.pol:2");      // deduplicated
  EXPECT_EQ(prof.files[1].text, "\"/etc/a b\" rw"); // 'w' implies 'a'
  EXPECT_EQ(prof.files[1].where, "web.pol:2, web.pol:4");
  EXPECT_TRUE(prof.files[2].deny);
  EXPECT_EQ(prof.files[2].text, "/etc/c wx");   // deny exec is 'x'
  EXPECT_EQ(prof.files[3].text, "/bin/x rmix"); // grant exec is 'ix'

  ASSERT_EQ(prof.network.size(), 2u);
  EXPECT_TRUE(prof.network[0].deny);
  EXPECT_EQ(prof.network[0].text, "network inet stream");
  EXPECT_EQ(prof.network[0].where, "web.pol:3");
  EXPECT_EQ(prof.network[1].text, "network unix");
  ASSERT_EQ(prof.capabilities.size(), 1u);
  EXPECT_EQ(prof.capabilities[0].text, "capability setuid");
  EXPECT_FALSE(prof.capabilities[0].deny);

  // Notes only for what AppArmor does not fully enforce.
  ASSERT_EQ(prof.notes.size(), 2u);
  EXPECT_EQ(prof.notes[0], "web.pol:4 'may exec': enforced in part; why");
  EXPECT_EQ(prof.notes[1], "web.pol:3 'may not': not enforced here");

  std::string s = printProfile(prof);
  EXPECT_NE(s.find("generated by polc from web.pol."), std::string::npos);
  EXPECT_NE(s.find("\nprofile web \"/usr/bin/my web\" {\n"), std::string::npos)
      << s;
  EXPECT_NE(s.find("\n  deny /etc/c wx,  # web.pol:3\n"), std::string::npos)
      << s;
  EXPECT_NE(s.find("\n  deny network inet stream,  # web.pol:3\n"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("#   web.pol:4 'may exec': enforced in part; why\n"),
            std::string::npos)
      << s;
}

//===----------------------------------------------------------------------===//
// The cases above, grouped: one ctest entry (one process) per group keeps
// the suite fast; SCOPED_TRACE names the failing case.
//===----------------------------------------------------------------------===//

TEST(QuotePath, Rules) {
  {
    SCOPED_TRACE("PlainPathsStayUnquoted");
    QuotePath_PlainPathsStayUnquoted();
  }
  {
    SCOPED_TRACE("SpecialCharactersForceQuotes");
    QuotePath_SpecialCharactersForceQuotes();
  }
  {
    SCOPED_TRACE("DoubleQuoteIsEscapedAndQuoted");
    QuotePath_DoubleQuoteIsEscapedAndQuoted();
  }
  {
    SCOPED_TRACE("AlternationKeepsItsCommasUnquoted");
    QuotePath_AlternationKeepsItsCommasUnquoted();
  }
  {
    SCOPED_TRACE("VariableCharactersAreEscaped");
    QuotePath_VariableCharactersAreEscaped();
  }
  {
    SCOPED_TRACE("ExistingEscapesAreKept");
    QuotePath_ExistingEscapesAreKept();
  }
  {
    SCOPED_TRACE("ControlCharactersBecomeOctalEscapes");
    QuotePath_ControlCharactersBecomeOctalEscapes();
  }
  {
    SCOPED_TRACE("NonAsciiBytesSurvive");
    QuotePath_NonAsciiBytesSurvive();
  }
}

TEST(PrintProfile, Output) {
  {
    SCOPED_TRACE("Layout");
    PrintProfile_Layout();
  }
  {
    SCOPED_TRACE("Invariants");
    PrintProfile_Invariants();
  }
  {
    SCOPED_TRACE("AttachmentIsQuotedWhenNeeded");
    PrintProfile_AttachmentIsQuotedWhenNeeded();
  }
  {
    SCOPED_TRACE("EmptyProfile");
    PrintProfile_EmptyProfile();
  }
  {
    SCOPED_TRACE("OnlyFiles");
    PrintProfile_OnlyFiles();
  }
}
} // namespace
