//===- Glob.h - containment of path globs -----------------------*- C++ -*-===//
#ifndef POLC_IR_GLOB_H
#define POLC_IR_GLOB_H

#include "llvm/ADT/StringRef.h"

namespace polc::ir {

/// True when every path \p inner matches is also matched by \p outer, as far
/// as a conservative check can tell (false means "not shown", not "no"):
/// equal globs, `P/**` over anything longer under the literal prefix `P/`,
/// `P/*` over one more component without `/`, and any glob over a literal
/// path it matches. Glob syntax is AppArmor's.
bool globCovers(llvm::StringRef outer, llvm::StringRef inner);

/// True when \p s has an unescaped glob character (`* ? [ {`).
bool hasGlobChars(llvm::StringRef s);

} // namespace polc::ir

#endif
