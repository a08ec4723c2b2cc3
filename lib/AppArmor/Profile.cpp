//===- Profile.cpp - IR to AppArmor profile text --------------------------===//
#include "polc/AppArmor/Profile.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace polc;
using namespace polc::apparmor;

std::string apparmor::quotePath(llvm::StringRef path) {
  // In polc a backslash makes the next character literal, whatever it is.
  // AppArmor gives some escapes other meanings (\n, \t, \NNN), so only the
  // characters that are special to AppArmor's globbing keep a backslash; any
  // other escaped character is written as itself.
  // Inside an alternation a literal ',' needs its backslash too.
  auto isAppArmorSpecial = [](char c, int braceDepth) {
    return llvm::StringRef("*?[]{}^@\\").contains(c) ||
           (c == ',' && braceDepth > 0);
  };
  std::string out;
  bool quote = false;
  int braceDepth = 0;
  bool inClass = false;
  for (size_t i = 0; i < path.size(); ++i) {
    char c = path[i];
    bool escaped = false;
    if (c == '\\' && i + 1 < path.size()) {
      c = path[++i];
      escaped = true;
    }
    unsigned char u = static_cast<unsigned char>(c);
    if (escaped) {
      // A literal backslash is written as its octal escape: apparmor_parser
      // 3.0.8's lexer reads '\\"' at the end of a quoted path as an escaped
      // quote, so the string would run on into the next rule's quotes; and
      // a bare path cannot end in '\\'. '\134' is the literal backslash in
      // both forms (hash-equal to an escaped backslash; test/AppArmor/path-fuzz.test).
      if (c == '\\') {
        out += "\\134";
        continue;
      }
      if (isAppArmorSpecial(c, braceDepth))
        out += '\\';
    } else {
      switch (c) {
      case '[': inClass = true; break;
      case ']': inClass = false; break;
      case '{': if (!inClass) ++braceDepth; break;
      case '}': if (!inClass && braceDepth) --braceDepth; break;
      case ',':
        if (braceDepth == 0)
          quote = true;
        break;
      case '@':
        // A literal '@' could start a variable, even inside '[...]'.
        out += '\\';
        break;
      case '^':
        // Outside a class a literal '^' could name a hat; inside, it negates.
        if (!inClass)
          out += '\\';
        break;
      default:
        break;
      }
    }
    switch (c) {
    case '"':
      quote = true;
      out += '\\';
      break;
    case ' ': case '\t': case '#': case '=': case '(': case ')': case '!':
    case '<': case '>': case '+': case ':':
      quote = true;
      break;
    case ',':
      quote |= escaped;
      break;
    default:
      if (u >= 0x7f)
        quote = true;
      break;
    }
    if (u < 0x20 || u == 0x7f) {
      // Octal escape, understood inside quotes (Sema refuses these anyway).
      quote = true;
      out += '\\';
      out += static_cast<char>('0' + ((u >> 6) & 7));
      out += static_cast<char>('0' + ((u >> 3) & 7));
      out += static_cast<char>('0' + (u & 7));
      continue;
    }
    out += c;
  }
  return quote ? "\"" + out + "\"" : out;
}

namespace {
std::string whereOf(const llvm::SourceMgr &sm,
                    llvm::ArrayRef<ir::Origin> origins) {
  std::vector<std::string> locs;
  for (const ir::Origin &o : origins) {
    std::string l = ir::formatLoc(sm, o.loc);
    if (!l.empty() && !llvm::is_contained(locs, l))
      locs.push_back(l);
  }
  return llvm::join(locs, ", ");
}
} // namespace

/// `[audit] [deny] [owner] PATH PERMS [-> TARGET]` (the AppArmor 3 order:
/// audit and deny before owner, owner before the path; pitfalls A7).
static Rule lowerFileRule(const ir::FileRule &r, const llvm::SourceMgr &sm) {
  Rule out;
  out.deny = r.deny;
  out.audit = r.audit;
  out.text = (r.owner ? "owner " : "") + quotePath(r.path) + " " +
             ir::formatFilePerms(r);
  out.where = whereOf(sm, r.origins);
  return out;
}

/// The rules of a profile (a policy's or a child's).
static void lowerRules(const ir::Policy &policy, const llvm::SourceMgr &sm,
                       Profile &prof) {
  for (const ir::AbstractionRule &r : policy.abstractions)
    prof.abstractions.push_back({false, r.name, whereOf(sm, r.origins)});
  for (const ir::CapabilityRule &r : policy.capabilities) {
    prof.capabilities.push_back(
        {r.deny, "capability " + r.name, whereOf(sm, r.origins)});
    prof.capabilities.back().audit = r.audit;
  }
  for (const ir::OtherRule &r : policy.otherRules) {
    std::string text = r.text;
    // change_profile EXEC_PATH -> TARGET: the condition is a path.
    llvm::StringRef rest(r.text);
    if (!r.execPath.empty() && rest.consume_front("change_profile"))
      text = "change_profile " + quotePath(r.execPath) + rest.str();
    prof.others.push_back({r.deny, text, whereOf(sm, r.origins)});
    prof.others.back().audit = r.audit;
  }
  for (const ir::NetworkRule &r : policy.network) {
    prof.network.push_back({r.deny, r.str(), whereOf(sm, r.origins)});
    prof.network.back().audit = r.audit;
  }
  for (const ir::FileRule &r : policy.files)
    prof.files.push_back(lowerFileRule(r, sm));
  for (const ir::Policy &c : policy.children) {
    Profile child;
    child.name = c.name;
    child.hat = c.hat;
    lowerRules(c, sm, child);
    prof.children.push_back(std::move(child));
  }
}

Profile apparmor::lowerToAppArmor(const ir::Policy &policy,
                                  const llvm::SourceMgr &sm) {
  Profile prof;
  prof.name = policy.name;
  prof.attachment = policy.attach;
  prof.flags = policy.apparmorFlags;
  unsigned id = sm.FindBufferContainingLoc(policy.loc);
  if (id)
    prof.source = llvm::sys::path::filename(
                      sm.getMemoryBuffer(id)->getBufferIdentifier())
                      .str();
  lowerRules(policy, sm, prof);
  for (const ir::Coverage &c : policy.coverage) {
    if (c.apparmor == ir::Enforcement::Full)
      continue;
    std::string note = ir::formatLoc(sm, c.origin.detail) + " '" +
                       c.origin.text + "': ";
    note += c.apparmor == ir::Enforcement::None ? "not enforced here"
                                                : "enforced in part";
    if (!c.apparmorNote.empty())
      note += "; " + c.apparmorNote;
    prof.notes.push_back(std::move(note));
  }
  return prof;
}

/// The rules of \p p, one per line, then its child profiles nested.
static void printBody(llvm::raw_string_ostream &os, const Profile &p,
                      llvm::StringRef indent) {
  std::string &s = os.str();
  auto section = [&](const std::vector<Rule> &rules) {
    if (rules.empty())
      return;
    for (const Rule &r : rules) {
      os << indent << (r.audit ? "audit " : "") << (r.deny ? "deny " : "")
         << r.text << ",";
      if (!r.where.empty())
        os << "  # " << r.where;
      os << "\n";
    }
    os << "\n";
  };
  // An include is no rule: no trailing comma. tunables/global, in the
  // preamble, comes first, since abstractions use its variables (A4).
  if (!p.abstractions.empty()) {
    for (const Rule &r : p.abstractions) {
      os << indent << "include <abstractions/" << r.text << ">";
      if (!r.where.empty())
        os << "  # " << r.where;
      os << "\n";
    }
    os << "\n";
  }
  section(p.capabilities);
  section(p.others);
  section(p.network);
  section(p.files);
  // A child profile is named without a leading '/': `profile` is needed
  // (A10); it attaches to nothing and is entered only by Cx. A hat is
  // `^NAME`, entered only by change_hat(2).
  for (const Profile &c : p.children) {
    os << indent << (c.hat ? "^" : "profile ") << c.name << " {\n";
    printBody(os, c, (indent + "  ").str());
    os << indent << "}\n\n";
  }
  if (s.back() == '\n' && s[s.size() - 2] == '\n')
    s.pop_back();
}

std::string apparmor::printProfile(const Profile &p) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "# AppArmor profile '" << p.name << "', generated by polc from "
     << p.source << ". Do not edit: change the policy and recompile.\n"
     << "# Load:   apparmor_parser -r THIS_FILE\n"
     << "# Docker: docker run --security-opt apparmor=" << p.name
     << " ...  (the loaded profile's name, not this file)\n";
  for (llvm::StringRef mode : {"complain", "unconfined"})
    if (llvm::is_contained(p.flags, mode))
      os << "#\n# flags=(" << mode
         << "): this profile ENFORCES NOTHING; the policy asked for it.\n";
  if (!p.notes.empty()) {
    os << "#\n# Not fully enforced by this profile:\n";
    for (const std::string &n : p.notes)
      os << "#   " << n << "\n";
  }
  os << "\nabi <abi/3.0>,\n\ninclude <tunables/global>\n\n";
  os << "profile " << p.name;
  if (p.attachment)
    os << ' ' << quotePath(*p.attachment);
  if (!p.flags.empty())
    os << " flags=(" << llvm::join(p.flags, ", ") << ")";
  os << " {\n";
  printBody(os, p, "  ");
  os << "}\n";
  return s;
}
