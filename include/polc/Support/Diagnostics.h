//===- Diagnostics.h - caret diagnostics over llvm::SourceMgr ---*- C++ -*-===//
#ifndef POLC_SUPPORT_DIAGNOSTICS_H
#define POLC_SUPPORT_DIAGNOSTICS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/SMLoc.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace polc {

/// Every diagnostic polc can emit, from DiagnosticKinds.def.
enum class DiagID : unsigned {
#define DIAG(ID, LEVEL, FLAG, FORMAT) ID,
#include "polc/Support/DiagnosticKinds.def"
  NumDiagnostics
};

enum class DiagLevel { Error, Warning, Note };

/// Static facts about one diagnostic kind.
struct DiagInfo {
  llvm::StringRef name;
  DiagLevel level;
  llvm::StringRef flag;
  llvm::StringRef format;
};
const DiagInfo &getDiagInfo(DiagID id);
llvm::ArrayRef<DiagInfo> getAllDiagInfos();

/// Reports diagnostics as `file:line:col: error: message`, the source line and
/// a caret, through the SourceMgr that owns the buffers. Counts errors; knows
/// which warnings are disabled or promoted to errors.
class DiagnosticEngine {
public:
  /// Hostile input must not make hostile output. At most this many errors,
  /// and as many warnings, are printed (all are counted); the first one past
  /// the limit prints a note that says so.
  static constexpr unsigned MaxShownPerLevel = 100;
  /// A source line longer than this is shown as a window of this many bytes
  /// around the caret, so that a diagnostic on a megabyte-long line is not a
  /// megabyte of output.
  static constexpr unsigned MaxShownLine = 160;

  explicit DiagnosticEngine(llvm::SourceMgr &sm,
                            llvm::raw_ostream &os = llvm::errs())
      : sm(sm), os(os) {}

  template <typename... Ts>
  void report(DiagID id, llvm::SMLoc loc, Ts &&...args) {
    reportFormatted(id, loc, {},
                    llvm::formatv(getDiagInfo(id).format.data(),
                                  std::forward<Ts>(args)...)
                        .str());
  }
  template <typename... Ts>
  void reportRange(DiagID id, llvm::SMRange range, Ts &&...args) {
    reportFormatted(id, range.Start, range,
                    llvm::formatv(getDiagInfo(id).format.data(),
                                  std::forward<Ts>(args)...)
                        .str());
  }

  /// The same with the arguments known only at run time, as a list.
  void reportWithArgs(DiagID id, llvm::SMRange range,
                      llvm::ArrayRef<std::string> args);

  void reportFormatted(DiagID id, llvm::SMLoc loc, llvm::SMRange range,
                       const std::string &message);

  /// -Wno-FLAG, -WFLAG, -Werror=FLAG, -Werror.
  bool applyWarningOption(llvm::StringRef option);
  void setAllWarningsAsErrors(bool v) { allWarningsAsErrors = v; }

  /// Collects diagnostics instead of printing them, for writeSarif()
  /// (`--diagnostics-format=sarif`, `polc check --format=sarif`).
  void setSarifOutput(bool v) { sarif = v; }
  /// Writes the collected diagnostics as one SARIF 2.1.0 log.
  void writeSarif(llvm::raw_ostream &os) const;

  unsigned getNumErrors() const { return numErrors; }
  unsigned getNumWarnings() const { return numWarnings; }
  bool hasErrors() const { return numErrors != 0; }
  llvm::SourceMgr &getSourceMgr() { return sm; }

private:
  llvm::SourceMgr &sm;
  llvm::raw_ostream &os;
  unsigned numErrors = 0;
  unsigned numWarnings = 0;
  bool allWarningsAsErrors = false;
  bool lastSuppressed = false; // notes follow the fate of their diagnostic
  struct Recorded {
    std::string ruleId, level, message, file;
    unsigned line = 0, column = 0;
  };
  bool sarif = false;
  std::vector<Recorded> recorded;
  unsigned shownErrors = 0, shownWarnings = 0;
  void print(llvm::SMLoc loc, llvm::SourceMgr::DiagKind kind,
             const std::string &text, llvm::SMRange range);
  llvm::StringMap<bool> disabled;
  llvm::StringMap<bool> promoted;
};

/// The closest candidate to \p name by edit distance, or "" when nothing is
/// close enough to be a plausible typo.
llvm::StringRef closestMatch(llvm::StringRef name,
                             llvm::ArrayRef<llvm::StringRef> candidates);
/// "; did you mean 'X'?" or "".
std::string didYouMean(llvm::StringRef name,
                       llvm::ArrayRef<llvm::StringRef> candidates);

} // namespace polc

#endif
