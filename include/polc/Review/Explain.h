//===- Explain.h - what a policy grants, for a reviewer ---------*- C++ -*-===//
//
// `polc explain FILE`: the report a reviewer reads instead of the generated
// JSON. Per policy: each statement with its source line and how far each
// backend enforces it, what AppArmor grants and denies (files, network,
// capabilities), the effective syscall set per arch by action, what the
// default action catches, and the warnings. Built once as a JSON document
// (`--format=json`); the Markdown report is rendered from that document, so
// the two never disagree.
//
//===----------------------------------------------------------------------===//
#ifndef POLC_REVIEW_EXPLAIN_H
#define POLC_REVIEW_EXPLAIN_H

#include "polc/IR/IR.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace polc::review {

/// The report as data. \p warnings are the diagnostics' first lines.
llvm::json::Value explain(const ir::Module &module, const llvm::SourceMgr &sm,
                          llvm::ArrayRef<std::string> warnings);

/// The report in Markdown, from explain()'s document.
void renderMarkdown(const llvm::json::Value &report, llvm::raw_ostream &os);

} // namespace polc::review

#endif
