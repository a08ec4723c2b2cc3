//===- Format.h - the canonical layout of a policy file ---------*- C++ -*-===//
//
// `polc fmt`: reprints a policy file in the canonical style of
// docs/language.md ("Formatting"). Only whitespace changes: the result is
// checked to lex to the same tokens and comments, in the same order, and
// to be a fixed point of the formatter; if it were not, that is reported as
// an internal error and no text is returned.
//
//===----------------------------------------------------------------------===//
#ifndef POLC_FORMAT_FORMAT_H
#define POLC_FORMAT_FORMAT_H

#include "polc/Support/Diagnostics.h"

#include <optional>
#include <string>

namespace polc::format {

struct FormatOptions {
  unsigned columnLimit = 80;
  unsigned indentWidth = 2;        ///< per block level
  unsigned continuationIndent = 4; ///< of a statement's wrapped lines
  /// Test only: damage the formatted text before it is checked, to
  /// exercise the internal-error path.
  bool corruptForTesting = false;
};

/// Formats the buffer \p bufferID of the diagnostics' SourceMgr. Returns
/// std::nullopt after reporting its syntax errors, or an internal error.
std::optional<std::string> formatBuffer(unsigned bufferID,
                                        DiagnosticEngine &diags,
                                        const FormatOptions &opts = {});

} // namespace polc::format

#endif
