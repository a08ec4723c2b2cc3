//===- Profile.h - the AppArmor backend -------------------------*- C++ -*-===//
//
// An AppArmor profile as a rule model, lowered from IR, and its printer. The
// output targets AppArmor 3.0 (`abi <abi/3.0>,`) and is validated in tests by
// apparmor_parser against a pinned feature set.
//
//===----------------------------------------------------------------------===//
#ifndef POLC_APPARMOR_PROFILE_H
#define POLC_APPARMOR_PROFILE_H

#include "polc/IR/IR.h"

#include <optional>
#include <string>
#include <vector>

namespace llvm {
class SourceMgr;
}

namespace polc::apparmor {

struct Rule {
  bool deny = false;
  std::string text;  ///< the rule without `deny` and the trailing comma
  std::string where; ///< "file.pol:LINE" of the statements behind it
  bool audit = false; ///< `audit`, printed before `deny`
};

struct Profile {
  std::string name;
  std::optional<std::string> attachment; ///< an AppArmor path glob
  std::vector<std::string> flags;        ///< flags=(...), if any
  std::string source;                    ///< the policy file's name
  /// `include <abstractions/NAME>` lines, first in the profile body
  /// (Rule::text is NAME).
  std::vector<Rule> abstractions;
  std::vector<Rule> capabilities, network, files;
  /// Other rules (mount, umount, pivot_root), after the capabilities.
  std::vector<Rule> others;
  /// Statements AppArmor enforces only in part, or not at all.
  std::vector<std::string> notes;
  /// Child profiles, printed nested at the end of the body
  /// (`profile NAME { ... }`), entered by `Cx -> NAME`; and hats
  /// (`^NAME { ... }`), entered with change_hat(2).
  std::vector<Profile> children;
  /// In `children`: a hat.
  bool hat = false;
};

/// Lowers one policy (after the pass pipeline).
Profile lowerToAppArmor(const ir::Policy &policy, const llvm::SourceMgr &sm);

/// The profile's text, deterministic.
std::string printProfile(const Profile &profile);

/// A polc path glob (AppArmor's glob syntax, escapes kept) as an AppArmor
/// path token: quoted when it holds characters the profile lexer would read
/// otherwise, with `"` escaped and a literal `@` or `^` escaped so that it
/// cannot start a variable.
std::string quotePath(llvm::StringRef path);

} // namespace polc::apparmor

#endif
