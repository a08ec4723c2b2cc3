//===- Diff.h - what a policy change grants and revokes ---------*- C++ -*-===//
//
// `polc diff OLD.pol NEW.pol`: a semantic diff on the optimized IR, not on
// text. Per policy (matched by name): syscalls per arch whose action became
// more or less permissive (a conditional grant counts as narrower than an
// unconditional one), the default and other-arch actions, AppArmor file
// rules compared by glob containment (`/var/www/**` widened to `/var/**`),
// network and capabilities. A CI gate uses the exit status: 1 when NEW
// grants anything OLD did not.
//
//===----------------------------------------------------------------------===//
#ifndef POLC_REVIEW_DIFF_H
#define POLC_REVIEW_DIFF_H

#include "polc/IR/IR.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace polc::review {

/// The changes from \p before to \p after as a JSON document with
/// "granted", "revoked" and "changed" lists of {policy, layer, what, detail}.
llvm::json::Value diff(const ir::Module &before, const ir::Module &after);

/// True when the document lists anything granted.
bool grantsMore(const llvm::json::Value &report);

/// The document as Markdown.
void renderDiffMarkdown(const llvm::json::Value &report, llvm::raw_ostream &os);

} // namespace polc::review

#endif
