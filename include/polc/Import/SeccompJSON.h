//===- SeccompJSON.h - Docker/OCI seccomp JSON to a policy -----*- C++ -*-===//
//
// `polc import PROFILE.json`: reads a seccomp profile in Docker's format
// (defaultAction, archMap, syscalls with includes/excludes) or the OCI
// runtime-spec's (architectures, syscalls) and writes a polc policy that
// means the same on the kernel: names grouped per action and per the arches
// where they exist, conditions as expressions over named arguments, what a
// Docker profile makes depend on the host (includes/excludes of arches,
// capabilities, kernel versions) resolved for the hosts and capability set
// asked for, and diagnostics (with line:col in the JSON) for what cannot be
// expressed.
//
//===----------------------------------------------------------------------===//
#ifndef POLC_IMPORT_SECCOMPJSON_H
#define POLC_IMPORT_SECCOMPJSON_H

#include "polc/Support/Diagnostics.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <vector>

namespace polc::import {

struct SeccompImportOptions {
  /// Host arches (polc names or aliases) a Docker profile is resolved for:
  /// each brings its archMap entry (x86_64 brings x86 and x32). Empty: the
  /// ones of x86_64 and aarch64 the profile has.
  std::vector<std::string> hosts;
  /// Capabilities of the container (CAP_*), deciding includes/excludes.caps.
  /// std::nullopt: Docker's default set (getDockerDefaultCapabilities()).
  std::optional<std::vector<std::string>> caps;
  /// The kernel deciding includes/excludes.minKernel, as "X.Y"; empty: newer
  /// than every minKernel in the profile.
  std::string kernel;
  /// The policy's name; empty: from the file name.
  std::string policyName;
};

/// Docker's default capability set (moby oci/caps/defaults.go).
llvm::ArrayRef<llvm::StringRef> getDockerDefaultCapabilities();

/// Imports the profile in \p sm's main buffer. Writes the policy to \p out
/// and returns true, or returns false after reporting errors to \p diags
/// (then \p out holds nothing useful).
bool importSeccompJSON(llvm::SourceMgr &sm, DiagnosticEngine &diags,
                       const SeccompImportOptions &opts, llvm::raw_ostream &out);

} // namespace polc::import

#endif
