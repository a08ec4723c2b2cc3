//===- Driver.h - the compiler pipeline, wired once -------------*- C++ -*-===//
#ifndef POLC_DRIVER_DRIVER_H
#define POLC_DRIVER_DRIVER_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <vector>

namespace polc {

/// What `polc` is asked to do.
struct DriverOptions {
  std::vector<std::string> inputs;
  std::string outputDir; ///< empty: no file outputs
  /// Any of: seccomp-json, bpf, apparmor, pfc (files) or ast, ir (stdout).
  std::vector<std::string> emit;
  std::vector<std::string> warningOptions; ///< the text after -W
  bool quiet = false;
  /// "text", or "sarif": diagnostics as one SARIF log on the error stream.
  std::string diagnosticsFormat = "text";
};

/// Exit statuses.
enum ExitStatus { ExitSuccess = 0, ExitCompileError = 1, ExitUsageError = 2 };

/// Parses, checks, lowers and writes. Diagnostics go to \p err; stage dumps
/// and the list of files written to \p out. Output files are written only
/// when there was no error, each atomically (temporary file, then rename).
int runDriver(const DriverOptions &opts, llvm::raw_ostream &out,
              llvm::raw_ostream &err);

/// What `polc import` is asked to do.
struct ImportOptions {
  std::string input;
  std::string output; ///< a .pol file; empty: standard output
  std::vector<std::string> hosts;
  std::optional<std::vector<std::string>> caps; ///< nullopt: Docker's default
  std::string kernel;
  std::string policyName;
  /// AppArmor: where `include <name>` is looked for, in order.
  std::vector<std::string> includeDirs;
  bool includeGiven = false; ///< -I or --base on the command line
  std::vector<std::string> warningOptions;
  bool quiet = false;
};

/// Reads a Docker/OCI seccomp profile and writes the equivalent policy.
int runImport(const ImportOptions &opts, llvm::raw_ostream &out,
              llvm::raw_ostream &err);

/// What `polc explain` is asked to do.
struct ExplainOptions {
  std::vector<std::string> inputs;
  std::string format = "markdown"; ///< or "json"
  std::vector<std::string> warningOptions;
};

/// Compiles the inputs and prints the review report to \p out.
int runExplain(const ExplainOptions &opts, llvm::raw_ostream &out,
               llvm::raw_ostream &err);

/// What `polc diff` is asked to do.
struct DiffOptions {
  std::string before, after;
  std::string format = "markdown"; ///< or "json"
  std::vector<std::string> warningOptions;
};

/// Compiles both and prints what changed. Exit status for CI gates: 0, or
/// 1 when \p after grants anything \p before did not; 2 when either does
/// not compile (nothing was compared).
int runDiff(const DiffOptions &opts, llvm::raw_ostream &out,
            llvm::raw_ostream &err);

/// What `polc check` is asked to do.
struct CheckOptions {
  std::vector<std::string> inputs;
  std::string format = "text"; ///< or "sarif" (to the output stream)
  std::vector<std::string> warningOptions;
};

/// The compiler's warnings plus the review lints. Exit status: 0 when
/// nothing is found, 1 when anything is, 2 for usage and I/O errors.
int runCheck(const CheckOptions &opts, llvm::raw_ostream &out,
             llvm::raw_ostream &err);

/// Prints the pinned syscall sets named in \p names (all when empty): each
/// as `@NAME vVERSION: DESCRIPTION`, then its syscalls, nested sets
/// expanded, one per line. Exit status 2 for an unknown set.
int runSets(const std::vector<std::string> &names, llvm::raw_ostream &out,
            llvm::raw_ostream &err);

/// Prints what the intent verbs in \p names (all when empty) mean in each
/// backend, as text; with \p format "markdown", their rows of the verb
/// table, or with no names the whole vocabulary reference (docs/intents.md).
/// Exit status 2 for an unknown verb or format.
int runIntents(const std::vector<std::string> &names, llvm::StringRef format,
               llvm::raw_ostream &out, llvm::raw_ostream &err);

/// What `polc fmt` is asked to do.
struct FmtOptions {
  std::vector<std::string> inputs;
  bool inPlace = false; ///< rewrite each file that changes, atomically
  bool check = false;   ///< list the files that are not formatted
  bool quiet = false;   ///< with inPlace: do not list the files written
  bool corruptForTesting = false; ///< see format::FormatOptions
};

/// Formats each input: prints it, rewrites it (inPlace) or lists it when it
/// is not formatted (check). A file with syntax errors is reported and never
/// rewritten. Exit status: 0; 1 for syntax errors, an internal error, or
/// (check) any file not formatted; 2 for usage and I/O errors.
int runFormat(const FmtOptions &opts, llvm::raw_ostream &out,
              llvm::raw_ostream &err);

/// The file outputs `--emit` knows, in default order.
llvm::ArrayRef<llvm::StringRef> getFileEmitKinds();

} // namespace polc

#endif
