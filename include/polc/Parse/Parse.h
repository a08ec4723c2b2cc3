//===- Parse.h - policy text to ast::Module ---------------------*- C++ -*-===//
//
// The only door to the ANTLR-generated parser; no ANTLR type crosses it.
//
//===----------------------------------------------------------------------===//
#ifndef POLC_PARSE_PARSE_H
#define POLC_PARSE_PARSE_H

#include "polc/AST/AST.h"
#include "polc/Support/Diagnostics.h"

#include <optional>

namespace polc {

/// The largest policy file polc reads (each file, includes too). Parsing
/// takes memory in proportion to the number of tokens, a few hundred bytes
/// each: 1 MiB of the densest input stays within a few hundred MB and a few
/// seconds. Real policies are a few KB.
constexpr uint64_t MaxInputBytes = 1 << 20;

/// Parses the buffer \p bufferID of the diagnostics' SourceMgr. Syntax errors
/// are reported in polc's wording (at most a bounded number per buffer);
/// returns std::nullopt if there were any.
std::optional<ast::Module> parseBuffer(unsigned bufferID,
                                       DiagnosticEngine &diags);

/// Loads \p path into the SourceMgr, parses it and, recursively, the files it
/// includes (relative to the including file), and merges them into one
/// module. Returns std::nullopt on any error (all of them reported).
std::optional<ast::Module> parseFile(llvm::StringRef path,
                                     DiagnosticEngine &diags);

} // namespace polc

#endif
