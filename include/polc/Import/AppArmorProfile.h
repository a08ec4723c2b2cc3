//===- AppArmorProfile.h - AppArmor profile text to a policy ---*- C++ -*-===//
//
// `polc import PROFILE`: reads AppArmor profile text (apparmor.d(5)) and
// writes one polc policy per profile, for the part of AppArmor the policy
// language can say: file rules (r w a l k m, ix with m, deny), capability
// rules, network rules for tcp, udp and unix, the profile's name and
// attachment. Everything else gets a diagnostic with the line and column in
// the profile: an error when leaving it out could grant more than the
// profile did (an include, a variable in a denial), a warning when the
// imported policy grants less without it (a px rule, a mount rule: the
// policy then has no grant of that kind, and AppArmor denies it).
//
//===----------------------------------------------------------------------===//
#ifndef POLC_IMPORT_APPARMORPROFILE_H
#define POLC_IMPORT_APPARMORPROFILE_H

#include "polc/Support/Diagnostics.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace polc::import {

struct AppArmorImportOptions {
  /// The policy's name when the file holds one profile; empty: from the
  /// profile's name.
  std::string policyName;
  /// Where `include <name>` is looked for, in order (apparmor_parser's -I
  /// and base directory); empty: /etc/apparmor.d.
  std::vector<std::string> includeDirs;
  /// False: an include other than an abstraction polc knows is an error
  /// rather than read (the fuzzer, which must not read what its input
  /// names).
  bool readIncludes = true;
};

/// True when \p text looks like AppArmor profile text rather than JSON: its
/// first character that is not whitespace is not '{' or '['.
bool looksLikeAppArmor(llvm::StringRef text);

/// Imports the profiles in \p sm's main buffer. Writes the policies to
/// \p out and returns true, or returns false after reporting errors to
/// \p diags (then \p out holds nothing useful).
bool importAppArmorProfile(llvm::SourceMgr &sm, DiagnosticEngine &diags,
                           const AppArmorImportOptions &opts,
                           llvm::raw_ostream &out);

} // namespace polc::import

#endif
