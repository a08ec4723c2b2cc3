//===- Check.h - lints a reviewer wants, beyond the compiler's --*- C++ -*-===//
//
// `polc check FILE`: the compiler's own warnings (dead, shadowed and
// redundant rules, non-canonical paths, partial families, ...) plus what a
// review asks for: a justification comment on every dangerous grant
// (include/polc/KB/Dangerous.def, and `ioctl` without argument conditions),
// paths that are both writable and executable, and directory globs that
// miss the directory itself (pitfalls A2). `--format=sarif` gives
// code review systems the findings inline.
//
//===----------------------------------------------------------------------===//
#ifndef POLC_REVIEW_CHECK_H
#define POLC_REVIEW_CHECK_H

#include "polc/IR/IR.h"
#include "polc/Support/Diagnostics.h"

namespace polc::review {

/// Reports the review lints of \p module as warnings.
void lint(const ir::Module &module, DiagnosticEngine &diags);

/// The directory lints of one profile's file rules: a read of `D/**` with
/// nothing that reads `D/` itself, and a read of `D/` with nothing below.
void lintDirectories(const ir::Policy &profile, DiagnosticEngine &diags);

/// A profile that no unconfined process may signal: systemd and
/// `docker stop` could not stop it.
void lintSignalReceive(const ir::Policy &profile, DiagnosticEngine &diags);

} // namespace polc::review

#endif
