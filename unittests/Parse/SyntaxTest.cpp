//===- SyntaxTest.cpp - syntax::lex and syntax::parseSyntax ---------------===//
#include "polc/Parse/Syntax.h"

#include "llvm/Support/MemoryBuffer.h"

#include "gtest/gtest.h"

#include <functional>

using namespace polc;
using namespace polc::syntax;

namespace {

std::vector<std::string> kinds(const std::vector<Token> &toks) {
  std::vector<std::string> out;
  for (const Token &t : toks) {
    const char *k = t.kind == TokenKind::Keyword       ? "kw"
                    : t.kind == TokenKind::Punctuation ? "p"
                    : t.kind == TokenKind::Comment     ? "c"
                    : t.kind == TokenKind::Word        ? "w"
                                                       : "bad";
    out.push_back(std::string(k) + ":" + t.text.str());
  }
  return out;
}

TEST(SyntaxTest, LexKeepsCommentsAndOffsets) {
  std::string text = "policy p { # note\n  may read /a#b, \"/c d\" } ;";
  std::vector<Token> toks = lex(text);
  std::vector<std::string> want = {
      "kw:policy", "w:p",   "p:{", "c:# note", "kw:may", "w:read",
      "w:/a#b",    "p:,",   "w:\"/c d\"",      "p:}",    "bad:;"};
  EXPECT_EQ(kinds(toks), want);
  for (const Token &t : toks)
    EXPECT_EQ(text.substr(t.offset, t.text.size()), t.text.str());
}

TEST(SyntaxTest, TreeHasRuleNamesAndEveryTokenButComments) {
  llvm::SourceMgr sm;
  std::string diagText;
  llvm::raw_string_ostream os(diagText);
  DiagnosticEngine diags(sm, os);
  unsigned id = sm.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(
          "# head\npolicy p {\n  default allow  # why\n}\n", "t.pol"),
      llvm::SMLoc());
  std::optional<Tree> tree = parseSyntax(id, diags);
  ASSERT_TRUE(tree) << os.str();
  EXPECT_EQ(tree->root.rule, "file");
  ASSERT_EQ(tree->tokens.size(), 8u); // 2 comments, 6 tokens
  std::vector<unsigned> leaves;
  std::function<void(const Node &)> walk = [&](const Node &n) {
    if (n.isLeaf())
      leaves.push_back(static_cast<unsigned>(n.token));
    for (const Node &c : n.children)
      walk(c);
  };
  walk(tree->root);
  EXPECT_EQ(leaves, (std::vector<unsigned>{1, 2, 3, 4, 5, 7}));
  const Node &item = tree->root.children.at(0);
  EXPECT_EQ(item.rule, "topItem");
  EXPECT_EQ(item.children.at(0).rule, "policyDecl");
  EXPECT_EQ(item.first, 1u);
  EXPECT_EQ(item.last, 7u);
}

TEST(SyntaxTest, SyntaxErrorsAsParseBuffer) {
  llvm::SourceMgr sm;
  std::string diagText;
  llvm::raw_string_ostream os(diagText);
  DiagnosticEngine diags(sm, os);
  unsigned id = sm.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy("policy p { syscall allow }\n", "t.pol"),
      llvm::SMLoc());
  EXPECT_FALSE(parseSyntax(id, diags));
  EXPECT_TRUE(diags.hasErrors());
  EXPECT_NE(os.str().find("t.pol:1:26: error: unexpected '}'"), std::string::npos)
      << os.str();
}

} // namespace
