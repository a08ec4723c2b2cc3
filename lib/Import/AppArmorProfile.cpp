//===- AppArmorProfile.cpp - AppArmor profile text to a policy ------------===//
//
// A hand-written reader for apparmor.d(5) text, following apparmor_parser
// 3.0's lexer (parser_lex.l) where the subset needs it:
//
//   - a bare path runs over any character but whitespace, '"' and '!'; a ','
//     ends it only when what follows could not continue it (",b" inside
//     "{a,b}" continues; ", " and a final "," end it);
//   - '#' starts a comment only where a token starts ("/a#b" is a path), and
//     "#include" is the include directive;
//   - escapes are processunquoted()'s: \\ \" \NNN (octal) \dNNN \xHH \a \e
//     \f \n \r \t give a character, which stays escaped when it is special
//     to AppArmor's globbing; any other \X is the literal X.
//
// Each profile becomes one policy; each rule class is one function
// (importFileRule, importCapabilityRule, importNetworkRule), and the rule
// classes the policy language has no statement for are listed in
// unsupportedRules with what leaving them out means.
//
// Soundness: AppArmor denies what no rule grants, so leaving a grant out
// makes the policy stricter (a warning), and so does leaving out a denial
// of a class the policy then grants nothing of (mount, signal, ...). A
// denial within the classes the policy does grant (files, network) is never
// dropped: it is imported, widened when polc cannot say it exactly (a
// warning), or the import fails.
//
//===----------------------------------------------------------------------===//
#include "polc/Import/AppArmorProfile.h"

#include "polc/KB/KnowledgeBase.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

#include <map>
#include <set>
#include <optional>
#include <vector>

using namespace polc;
using namespace polc::import;

namespace {

//===----------------------------------------------------------------------===//
// Tokens
//===----------------------------------------------------------------------===//

enum class TokKind {
  Eof,
  Word,   // keywords, names, modes, flag values
  Path,   // a bare token starting with '/' or '@'
  String, // "..." (text keeps the quotes)
  Angle,  // <...> (text keeps the brackets)
  LBrace,
  RBrace,
  LParen,
  RParen,
  Comma,
  Equal,
  PlusEqual,
  Arrow,
  Caret,
  Other, // a character no token accepts
};

struct Token {
  TokKind kind = TokKind::Eof;
  llvm::StringRef text;
  bool startsLine = false; // first token on its line
};

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/// apparmor_parser's lexer, for the tokens a profile's structure and the
/// imported rule classes need.
class Lexer {
public:
  explicit Lexer(llvm::StringRef buf) : buf(buf) {}

  Token next() {
    bool newLine = pos == 0;
    for (;;) {
      while (pos < buf.size() && isSpace(buf[pos])) {
        if (buf[pos] == '\n')
          newLine = true;
        ++pos;
      }
      if (pos < buf.size() && buf[pos] == '#' &&
          !buf.substr(pos).startswith("#include")) {
        while (pos < buf.size() && buf[pos] != '\n')
          ++pos;
        continue;
      }
      break;
    }
    Token t;
    t.startsLine = newLine;
    if (pos >= buf.size()) {
      t.text = buf.substr(buf.size(), 0);
      return t;
    }
    size_t start = pos;
    char c = buf[pos];
    auto one = [&](TokKind k) {
      ++pos;
      t.kind = k;
      t.text = buf.slice(start, pos);
      return t;
    };
    if (c == '#') { // "#include"; other '#' were comments
      pos += 8;
      t.kind = TokKind::Word;
      t.text = buf.slice(start, pos);
      return t;
    }
    switch (c) {
    case '{': return one(TokKind::LBrace);
    case '}': return one(TokKind::RBrace);
    case '(': return one(TokKind::LParen);
    case ')': return one(TokKind::RParen);
    case ',': return one(TokKind::Comma);
    case '=': return one(TokKind::Equal);
    case '^': return one(TokKind::Caret);
    case '+':
      if (buf.substr(pos).startswith("+=")) {
        pos += 2;
        t.kind = TokKind::PlusEqual;
        t.text = buf.slice(start, pos);
        return t;
      }
      break;
    case '-':
      if (buf.substr(pos).startswith("->")) {
        pos += 2;
        t.kind = TokKind::Arrow;
        t.text = buf.slice(start, pos);
        return t;
      }
      break;
    case '<': {
      size_t end = buf.find_first_of(">\n", pos);
      if (end != llvm::StringRef::npos && buf[end] == '>') {
        pos = end + 1;
        t.kind = TokKind::Angle;
        t.text = buf.slice(start, pos);
        return t;
      }
      return one(TokKind::Other);
    }
    case '"': {
      ++pos;
      while (pos < buf.size() && buf[pos] != '"') {
        if (buf[pos] == '\\' && pos + 1 < buf.size())
          ++pos;
        ++pos;
      }
      if (pos >= buf.size()) {
        t.kind = TokKind::Other; // unterminated
        t.text = buf.slice(start, start + 1);
        return t;
      }
      ++pos;
      t.kind = TokKind::String;
      t.text = buf.slice(start, pos);
      return t;
    }
    case '@': {
      // "@{NAME}" before '=' or '+=' is a variable being set.
      size_t close = buf.find('}', pos);
      if (buf.substr(pos).startswith("@{") && close != llvm::StringRef::npos) {
        llvm::StringRef rest = buf.substr(close + 1).ltrim(" \t");
        // (apparmor_parser's lexer takes "@{NAME}+" as the start of
        // "+=" too: "@{NAME}+/x" is no path.)
        if (rest.startswith("=") || rest.startswith("+")) {
          pos = close + 1;
          t.kind = TokKind::Path;
          t.text = buf.slice(start, pos);
          return t;
        }
      }
      t.kind = TokKind::Path;
      pos = scanPath(pos);
      t.text = buf.slice(start, pos);
      return t;
    }
    case '/':
      t.kind = TokKind::Path;
      pos = scanPath(pos);
      t.text = buf.slice(start, pos);
      return t;
    default:
      break;
    }
    if (isWordChar(c)) {
      while (pos < buf.size() && isWordChar(buf[pos]))
        ++pos;
      t.kind = TokKind::Word;
      t.text = buf.slice(start, pos);
      return t;
    }
    return one(TokKind::Other);
  }

  size_t offset() const { return pos; }
  void reset(size_t p) { pos = p; }
  /// The text not lexed yet.
  llvm::StringRef rest() const { return buf.substr(pos); }

  /// Skips to the end of the line (boolean variable assignments have no
  /// terminator).
  void skipLine() {
    while (pos < buf.size() && buf[pos] != '\n')
      ++pos;
  }

private:
  llvm::StringRef buf;
  size_t pos = 0;

  static bool isWordChar(char c) {
    if (isSpace(c))
      return false;
    return !llvm::StringRef("{}(),=\"<>!#^").contains(c) && c != '\0';
  }

  // parser_lex.l: ID = [^ \t\r\n"!,] | ",[^ \t\r\n"!,]" | \\[ \t"!,].
  size_t scanPath(size_t p) const {
    while (p < buf.size()) {
      char c = buf[p];
      if (c == '\\' && p + 1 < buf.size() &&
          llvm::StringRef(" \t\"!,").contains(buf[p + 1])) {
        p += 2;
        continue;
      }
      if (isSpace(c) || c == '"' || c == '!' || c == '\0')
        break;
      if (c == ',') {
        if (p + 1 < buf.size() && !isSpace(buf[p + 1]) &&
            !llvm::StringRef("\"!,").contains(buf[p + 1]) && buf[p + 1] != 0) {
          p += 2;
          continue;
        }
        break;
      }
      ++p;
    }
    return p;
  }
};

//===----------------------------------------------------------------------===//
// Paths
//===----------------------------------------------------------------------===//

/// A path as apparmor_parser reads it, turned into polc's spelling.
struct PathResult {
  std::string polc;   // polc path text (with quotes when needed)
  std::string problem; // why it cannot be imported; empty: fine
  bool invalid = false; // the problem is an error in AppArmor too
};

/// A path token with its variables replaced by their values, still in
/// AppArmor's spelling.
struct PathExpansion {
  std::string text;
  std::string problem; // why it cannot be expanded; empty: fine
};

/// The most texts one path may expand to: AppArmor's tunables give a few
/// (`@{HOME}` is two); far more is a sign of a mistake.
constexpr size_t maxExpansions = 256;

/// Calls \p f(i, c) for each character of s[from, to) that is neither
/// escaped nor in a character class (nor its brackets), until \p f returns
/// false; returns the index it stopped at, or npos.
template <typename F>
size_t scanGlob(llvm::StringRef s, size_t from, size_t to, F f) {
  bool inClass = false;
  for (size_t i = from; i < std::min(to, s.size()); ++i) {
    char c = s[i];
    if (c == '\\') {
      ++i;
    } else if (inClass) {
      inClass = c != ']';
    } else if (c == '[') {
      inClass = true;
    } else if (!f(i, c)) {
      return i;
    }
  }
  return llvm::StringRef::npos;
}

/// Where the alternation '{' at \p s[open] closes: the index of its '}', or
/// npos.
size_t matchingBrace(llvm::StringRef s, size_t open) {
  int depth = 0;
  return scanGlob(s, open, s.size(), [&](size_t, char c) {
    if (c == '{')
      ++depth;
    return !(c == '}' && --depth == 0);
  });
}

/// The choices of the alternation s[open..close]: split at its own commas.
std::vector<llvm::StringRef> choicesOf(llvm::StringRef s, size_t open,
                                       size_t close) {
  std::vector<llvm::StringRef> out;
  int depth = 0;
  size_t from = open + 1;
  scanGlob(s, open + 1, close, [&](size_t i, char c) {
    if (c == '{') {
      ++depth;
    } else if (c == '}') {
      --depth;
    } else if (c == ',' && depth == 0) {
      out.push_back(s.slice(from, i));
      from = i + 1;
    }
    return true;
  });
  out.push_back(s.slice(from, close));
  return out;
}

/// The first alternation of \p s: its '{' and '}', or npos for both.
std::pair<size_t, size_t> firstAlternation(llvm::StringRef s, size_t from) {
  size_t open = scanGlob(s, from, s.size(),
                         [](size_t, char c) { return c != '{'; });
  if (open == llvm::StringRef::npos)
    return {open, open};
  size_t close = matchingBrace(s, open);
  return {close == llvm::StringRef::npos ? close : open, close};
}

/// Every string \p s stands for with its alternations expanded (globs and
/// escapes kept). False when there would be more than maxExpansions.
bool expandBraces(llvm::StringRef s, std::vector<std::string> &out) {
  auto [open, close] = firstAlternation(s, 0);
  if (open == llvm::StringRef::npos) {
    out.push_back(s.str());
    return true;
  }
  std::vector<std::string> rest;
  if (!expandBraces(s.substr(close + 1), rest))
    return false;
  for (llvm::StringRef choice : choicesOf(s, open, close)) {
    std::vector<std::string> inner;
    if (!expandBraces(choice, inner))
      return false;
    for (const std::string &a : inner)
      for (const std::string &b : rest) {
        if (out.size() >= maxExpansions)
          return false;
        out.push_back(s.take_front(open).str() + a + b);
      }
  }
  return true;
}

bool hasNestedBraces(llvm::StringRef s) {
  int depth = 0;
  return scanGlob(s, 0, s.size(), [&](size_t, char c) {
           if (c == '}')
             --depth;
           return !(c == '{' && ++depth > 1);
         }) != llvm::StringRef::npos;
}

/// \p s with nested alternations flattened (`{a,b{c,d}}` is `{a,bc,bd}`),
/// the same set of paths in the one level of '{...}' the policy language
/// has. False when there are too many choices.
bool flattenBraces(llvm::StringRef s, std::string &out) {
  size_t pos = 0;
  for (;;) {
    auto [open, close] = firstAlternation(s, pos);
    if (open == llvm::StringRef::npos) {
      out += s.substr(pos).str();
      return true;
    }
    out += s.slice(pos, open).str();
    std::vector<std::string> all;
    for (llvm::StringRef choice : choicesOf(s, open, close))
      if (!expandBraces(choice, all))
        return false;
    std::vector<std::string> uniq;
    for (std::string &a : all)
      if (!llvm::is_contained(uniq, a))
        uniq.push_back(std::move(a));
    out += uniq.size() == 1 ? uniq.front() : "{" + llvm::join(uniq, ",") + "}";
    pos = close + 1;
  }
}

bool isAppArmorGlobChar(char c) {
  return llvm::StringRef("*?[]{}^,\\").contains(c);
}

/// processunquoted(): one escape sequence after the backslash at \p s[i].
/// Returns the character, or -1 for an unsupported escape (the backslash
/// stays, and the glob converter reads \X as the literal X).
int decodeEscape(llvm::StringRef s, size_t &i) {
  size_t p = i + 1;
  auto number = [&](unsigned base, size_t maxDigits, size_t from) -> int {
    unsigned long v = 0;
    size_t q = from, n = 0;
    while (q < s.size() && n < maxDigits) {
      char c = s[q];
      int d = llvm::isDigit(c) ? c - '0'
              : (base == 16 && llvm::isHexDigit(c)) ? llvm::hexDigitValue(c)
                                                    : -1;
      if (d < 0 || d >= static_cast<int>(base) || v * base + d > 255)
        break;
      v = v * base + d;
      ++q;
      ++n;
    }
    if (q == from)
      return -1;
    i = q;
    return static_cast<int>(v);
  };
  if (p >= s.size())
    return -1;
  char c = s[p];
  if (c >= '0' && c <= '7')
    return number(8, 3, p);
  switch (c) {
  case '\\': i = p + 1; return '\\';
  case '"': i = p + 1; return '"';
  case 'd': return number(10, 3, p + 1);
  case 'x': return number(16, 2, p + 1);
  case 'a': i = p + 1; return '\a';
  case 'e': i = p + 1; return 033;
  case 'f': i = p + 1; return '\f';
  case 'n': i = p + 1; return '\n';
  case 'r': i = p + 1; return '\r';
  case 't': i = p + 1; return '\t';
  default: return -1;
  }
}

/// Converts a path token (bare, or quoted with its quotes) to polc's
/// spelling of the same set of paths.
PathResult convertPath(llvm::StringRef tok) {
  PathResult r;
  llvm::StringRef s = tok;
  if (s.startswith("\"") && s.size() >= 2)
    s = s.drop_front().drop_back();
  // (char, escaped) units: an escaped character is literal in both
  // languages; an unescaped glob character keeps its glob meaning.
  std::vector<std::pair<char, bool>> units;
  for (size_t i = 0; i < s.size();) {
    char c = s[i];
    if (c == '@' && i + 1 < s.size() && s[i + 1] == '{') {
      r.problem = "variables such as '" +
                  s.substr(i, s.find('}', i) - i + 1).str() +
                  "' are not supported by the policy language";
      return r;
    }
    if (c == '\\') {
      size_t j = i;
      int v = decodeEscape(s, j);
      if (v < 0) {
        if (i + 1 >= s.size()) {
          r.problem = "the path ends in a backslash";
          return r;
        }
        unsigned char e = static_cast<unsigned char>(s[i + 1]);
        if (e < 0x20 || e == 0x7f) {
          r.problem = "the path contains a control character, which the "
                      "policy language does not allow in paths";
          return r;
        }
        units.push_back({s[i + 1], true});
        i += 2;
        continue;
      }
      if (v == 0 || v < 0x20 || v == 0x7f) {
        r.problem = "the path contains a control character, which the "
                    "policy language does not allow in paths";
        return r;
      }
      units.push_back({static_cast<char>(v), isAppArmorGlobChar(
                                                 static_cast<char>(v))});
      i = j;
      continue;
    }
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      r.problem = "the path contains a control character, which the policy "
                  "language does not allow in paths";
      return r;
    }
    units.push_back({c, false});
    ++i;
  }
  if (units.empty() || units.front().first != '/' || units.front().second) {
    r.problem = "the path is not absolute";
    return r;
  }
  // polc's bare paths allow one level of '{...}' without whitespace.
  int depth = 0;
  bool inClass = false, quote = false;
  std::vector<bool> sawComma; // per open '{'
  std::string out;
  for (size_t i = 0; i < units.size(); ++i) {
    auto [c, escaped] = units[i];
    if (escaped) {
      out += '\\';
      out += c;
      if (c == ',' || c == ' ' || c == '\t')
        quote = true;
      continue;
    }
    switch (c) {
    case '[': {
      auto unescaped = [&](size_t k, char ch) {
        return k < units.size() &&
               units[k] == std::pair<char, bool>{ch, false};
      };
      if (!inClass && (unescaped(i + 1, ']') ||
                       (unescaped(i + 1, '^') && unescaped(i + 2, ']')))) {
        r.problem = "empty character class '[]'";
        r.invalid = true;
        return r;
      }
      inClass = true;
      break;
    }
    case ']':
      if (!inClass) {
        r.problem = "']' without '['";
        r.invalid = true;
        return r;
      }
      inClass = false;
      break;
    case '{':
      // apparmor_parser refuses a brace in a class, as polc does.
      if (inClass) {
        r.problem = "a brace inside '[...]'";
        r.invalid = true;
        return r;
      }
      sawComma.push_back(false);
      if (++depth > 1) {
        r.problem = "nested alternations ('{...{...}...}') are not supported "
                    "by the policy language";
        return r;
      }
      break;
    case '}':
      if (!inClass && depth > 0) {
        --depth;
        if (!sawComma.back()) {
          r.problem = "an alternation '{...}' needs a ',' between its "
                      "choices";
          r.invalid = true;
          return r;
        }
        sawComma.pop_back();
      } else {
        r.problem = inClass ? "a brace inside '[...]'" : "'}' without '{'";
        r.invalid = true;
        return r;
      }
      break;
    case ',':
      if (depth == 0)
        quote = true;
      else if (!inClass)
        sawComma.back() = true;
      break;
    case '"':
    case '\\':
      out += '\\';
      quote = true;
      break;
    case ' ':
    case '\t':
    case '#':
      quote = true;
      break;
    default:
      break;
    }
    out += c;
  }
  if (depth != 0) {
    r.problem = "the path has an unclosed '{'";
    return r;
  }
  if (inClass) {
    r.problem = "the path has an unclosed '['";
    return r;
  }
  r.polc = quote ? "\"" + out + "\"" : out;
  return r;
}

//===----------------------------------------------------------------------===//
// The importer
//===----------------------------------------------------------------------===//

/// File permissions of one rule.
struct Perms {
  bool r = false, w = false, a = false, l = false, k = false, m = false;
  bool x = false;         // some exec permission
  std::string execMode;   // the qualifier letters before 'x' ("i", "P", ...)
};

/// Where a statement came from, for the comment after it.
struct Stmt {
  std::string text;
  unsigned line;
};

struct Policy {
  std::string name;         // polc name
  std::string aaName;       // the profile's name as AppArmor spells it
  std::optional<std::string> attach;
  bool attachByName = false; // no explicit attachment: the name is one
  unsigned line = 0;
  std::vector<Stmt> uses, caps, net, files, limits;
  std::set<std::string> included; // the files its includes read
  // network rules, for the end of the profile (finishNetwork)
  struct NetRule {
    bool deny;
    std::string family, type, proto; // empty: not named
    llvm::SMRange range;
    bool audit = false;
  };
  std::vector<NetRule> netRules;
  // signal, ptrace and change_profile rules, for the end of the profile
  // (finishPeers): a peer may be the profile itself, whose polc name is
  // known only then.
  std::vector<Stmt> peers;
  struct PeerRule {
    bool deny, ptrace;
    bool changeProfile; // change_profile -> PEER (perms unused)
    unsigned perms;   // PeerPerm bits
    std::string peer; // polc spelling; "self", "unconfined", "any" or a name
    std::string problem; // why the peer cannot be said; empty: fine
    llvm::SMRange range;
    bool audit = false;
    std::string onExec; // change_profile's exec condition, polc's spelling
  };
  std::vector<PeerRule> peerRules;
};

/// Permissions of signal and ptrace rules.
enum PeerPerm : unsigned {
  SigSend = 1, SigReceive = 2,
  PtTrace = 1, PtRead = 2, PtTracedBy = 4, PtReadBy = 8,
};

/// The qualifiers before a rule.
struct Prefix {
  bool audit = false, deny = false, allow = false, owner = false;
  llvm::SMLoc start;
  bool any() const { return audit || deny || allow || owner; }
};

const char *const networkFamilies[] = {
    "unspec",   "unix",     "inet",      "ax25",     "ipx",        "appletalk",
    "netrom",   "bridge",    "atmpvc",   "x25",        "inet6",
    "rose",     "netbeui",   "security", "key",        "netlink",
    "packet",   "ash",       "econet",   "atmsvc",     "rds",
    "sna",      "irda",      "pppox",    "wanpipe",    "llc",
    "ib",       "mpls",      "can",      "tipc",       "bluetooth",
    "iucv",     "rxrpc",     "isdn",     "phonet",     "ieee802154",
    "caif",     "alg",       "nfc",      "vsock",      "kcm",
    "qipcrtr",  "smc",       "xdp",      "mctp"};
const char *const networkTypes[] = {"stream", "dgram", "seqpacket", "rdm",
                                    "raw",    "packet"};
const char *const networkProtocols[] = {"tcp", "udp", "icmp"};

/// Rule classes the policy language has no statement for. `denySafe`: the
/// imported policy grants nothing of the class, so leaving out a denial
/// grants nothing either.
struct UnsupportedRule {
  llvm::StringRef keyword;
  llvm::StringRef what;
  bool denySafe;
};
const UnsupportedRule unsupportedRules[] = {
    {"dbus", "this 'dbus' rule", true},
    {"mount", "this 'mount' rule", true},
    {"remount", "this 'remount' rule", true},
    {"umount", "this 'umount' rule", true},
    {"pivot_root", "this 'pivot_root' rule", true},
    {"mqueue", "this 'mqueue' rule", true},
    {"userns", "this 'userns' rule", true},
    {"io_uring", "this 'io_uring' rule", true},
    // unix rules narrow what `network unix` grants: dropping a denial
    // would grant it.
    {"unix", "this 'unix' rule", false},
    {"alias", "this 'alias' rule", false},
    {"rlimit", "this 'rlimit' rule", false},
};

class Importer {
public:
  Importer(llvm::SourceMgr &sm, DiagnosticEngine &diags,
           const AppArmorImportOptions &opts)
      : sm(sm), diags(diags), opts(opts),
        buf(sm.getMemoryBuffer(sm.getMainFileID())->getBuffer()), lex(buf),
        includeDirs(opts.includeDirs) {
    if (includeDirs.empty())
      includeDirs.push_back("/etc/apparmor.d");
  }

  bool run(llvm::raw_ostream &out);

private:
  llvm::SourceMgr &sm;
  DiagnosticEngine &diags;
  const AppArmorImportOptions &opts;
  llvm::StringRef buf;
  Lexer lex;
  Token tok;
  std::vector<Policy> policies;
  llvm::StringSet<> usedNames;
  unsigned syntaxErrors = 0;
  /// Variables set by `@{NAME} = VALUE ...` (in the file or the files it
  /// includes): the values as written, without quotes.
  std::map<std::string, std::vector<std::string>, std::less<>> variables;
  /// Where `include <name>` looks, in order.
  std::vector<std::string> includeDirs;
  /// The files being read, outermost first.
  std::vector<std::string> includeStack;
  /// The files read before the profiles (Policy::included: in a profile).
  std::set<std::string> includedBeforeProfiles;

  void advance() { tok = lex.next(); }
  llvm::SMLoc loc(llvm::StringRef s) const {
    return llvm::SMLoc::getFromPointer(s.data());
  }
  llvm::SMRange range(llvm::StringRef s) const {
    return {loc(s), llvm::SMLoc::getFromPointer(s.data() + s.size())};
  }
  llvm::SMRange rangeFrom(llvm::SMLoc start) const {
    return {start, llvm::SMLoc::getFromPointer(tok.text.data())};
  }
  /// The line in the main file: a rule read from an included file is at
  /// the line of its outermost include.
  unsigned lineOf(llvm::SMLoc l) const {
    unsigned id = sm.FindBufferContainingLoc(l);
    while (id != 0 && id != sm.getMainFileID()) {
      l = sm.getBufferInfo(id).IncludeLoc;
      id = sm.FindBufferContainingLoc(l);
    }
    return sm.getLineAndColumn(l).first;
  }
  bool isWord(llvm::StringRef w) const {
    return tok.kind == TokKind::Word && tok.text == w;
  }
  std::string describe(const Token &t) const {
    if (t.kind == TokKind::Eof)
      return "the end of the file";
    return "'" + t.text.take_front(40).str() + "'";
  }

  void syntax(llvm::SMRange r, const std::string &msg) {
    ++syntaxErrors;
    diags.reportRange(DiagID::err_aa_syntax, r, msg);
  }
  void syntaxHere(const std::string &msg) { syntax(range(tok.text), msg); }

  // Error recovery: skip to the ',' that ends the rule, or to a '}' that
  // closes the enclosing block (not consumed).
  void skipRule() {
    int depth = 0;
    while (tok.kind != TokKind::Eof) {
      if (tok.kind == TokKind::LParen || tok.kind == TokKind::LBrace)
        ++depth;
      else if (tok.kind == TokKind::RParen)
        depth = std::max(0, depth - 1);
      else if (tok.kind == TokKind::RBrace) {
        if (depth == 0)
          return;
        if (--depth == 0) {
          advance();
          return; // a block rule ends at its '}'
        }
      } else if (tok.kind == TokKind::Comma && depth == 0) {
        advance();
        return;
      }
      advance();
    }
  }
  /// `owner` is for file rules (a syntax error elsewhere, as in
  /// apparmor_parser); `audit` is the language's qualifier on capability,
  /// network and peer statements too (`may audit use capability x`).
  /// False on error.
  bool qualifiersApply(const Prefix &pre, llvm::SMRange r,
                       llvm::StringRef cls) {
    if (pre.owner) {
      syntax(r, "'owner' does not apply to " + cls.str() + " rules");
      return false;
    }
    return true;
  }

  bool expectComma(llvm::StringRef what) {
    if (tok.kind == TokKind::Comma) {
      advance();
      return true;
    }
    syntaxHere("expected ',' after " + what.str() + ", found " +
               describe(tok));
    skipRule();
    return false;
  }

  void parseTopLevel();
  void parseProfile(Token profileKw);
  void parseBody(Policy &p);
  void parseRule(Policy &p);
  void parseInclude(Policy *p);
  void readIncluded(unsigned bufferID, Policy *p);
  std::optional<std::string> findInclude(llvm::StringRef what,
                                         bool &isDirectory);
  PathExpansion expandPath(llvm::StringRef tok);
  PathResult importPath(llvm::StringRef tok);
  bool expandInto(llvm::StringRef text, std::string &out,
                  std::string &problem);
  void parseAbi();
  void parseVariable();
  void parseFlags(llvm::StringRef kw);

  void importCapabilityRule(Policy &p, const Prefix &pre);
  void importNetworkRule(Policy &p, const Prefix &pre);
  void importFileRule(Policy &p, const Prefix &pre, bool fileKeyword);
  void importLinkRule(Policy &p, const Prefix &pre);
  void importUnsupportedRule(const UnsupportedRule &u, const Prefix &pre);
  void importChildProfile(const Prefix &pre);
  void finishNetwork(Policy &p);
  void importSetRule(Policy &p, const Prefix &pre);
  void importChangeProfileRule(Policy &p, const Prefix &pre);
  void importPeerRule(Policy &p, const Prefix &pre);
  void finishPeers(Policy &p);

  std::optional<Perms> parsePerms(llvm::StringRef text, bool deny);
  std::string policyNameFor(llvm::StringRef aaName);
  void print(llvm::raw_ostream &out);
};

std::string Importer::policyNameFor(llvm::StringRef aaName) {
  llvm::StringRef base = aaName;
  if (base.contains('/'))
    base = llvm::sys::path::filename(base.rtrim('/'), llvm::sys::path::Style::posix);
  std::string n;
  for (char c : base)
    n += (llvm::isAlnum(c) || c == '_' || c == '.' || c == '-') ? c : '_';
  if (n.empty() || !(llvm::isAlpha(n[0]) || n[0] == '_'))
    n = "p_" + n;
  // Keywords that cannot name a policy.
  static const llvm::StringRef reserved[] = {"may", "not", "syscall",
                                             "if",  "and", "or"};
  if (llvm::is_contained(reserved, n))
    n += "_";
  std::string unique = n;
  for (unsigned i = 2; usedNames.count(unique); ++i)
    unique = n + "_" + std::to_string(i);
  usedNames.insert(unique);
  return unique;
}

bool Importer::run(llvm::raw_ostream &out) {
  advance();
  while (tok.kind != TokKind::Eof && syntaxErrors < 20)
    parseTopLevel();
  if (diags.hasErrors())
    return false;
  if (policies.empty()) {
    syntax({}, "no profile in the file");
    return false;
  }
  if (!opts.policyName.empty()) {
    if (policies.size() > 1) {
      diags.report(DiagID::err_import_option, llvm::SMLoc(),
                   "'--name' needs a file with one profile; this one has " +
                       std::to_string(policies.size()));
      return false;
    }
    policies.front().name = opts.policyName;
  }
  print(out);
  return true;
}

/// preamble and profiles:
///   abi <abi/3.0>,   include <tunables/global>   @{VAR} = ...   $B = true
///   [profile NAME] [ATTACH] [xattrs=(...)] [flags=(...)] { RULES }
void Importer::parseTopLevel() {
  switch (tok.kind) {
  case TokKind::Word:
    if (tok.text == "abi")
      return parseAbi();
    if (tok.text == "include" || tok.text == "#include")
      return parseInclude(nullptr);
    if (tok.text == "profile") {
      Token kw = tok;
      advance();
      return parseProfile(kw);
    }
    if (tok.text.startswith("$")) {
      diags.reportRange(DiagID::warn_aa_ignored, range(tok.text),
                        "boolean variable '" + tok.text.str() + "'",
                        "conditional rules are not imported");
      lex.skipLine();
      advance();
      return;
    }
    if (tok.text == "alias") {
      diags.reportRange(DiagID::err_aa_unsupported, range(tok.text),
                        "'alias' rules",
                        "they rewrite every path of the profiles");
      advance();
      skipRule();
      return;
    }
    if (tok.text == "hat") {
      diags.reportRange(DiagID::err_aa_syntax, range(tok.text),
                        "a hat must be inside a profile");
      ++syntaxErrors;
      advance();
      skipRule();
      return;
    }
    break;
  case TokKind::Path:
    if (tok.text.startswith("@{"))
      return parseVariable();
    return parseProfile(Token());
  case TokKind::String:
    return parseProfile(Token());
  default:
    break;
  }
  syntaxHere("expected a profile, found " + describe(tok));
  advance();
  skipRule();
}

void Importer::parseAbi() {
  Token kw = tok;
  advance();
  if (tok.kind != TokKind::Angle && tok.kind != TokKind::String &&
      tok.kind != TokKind::Word && tok.kind != TokKind::Path) {
    syntaxHere("expected '<abi/...>' after 'abi', found " + describe(tok));
    skipRule();
    return;
  }
  Token what = tok;
  advance();
  if (!expectComma("'abi'"))
    return;
  if (what.text != "<abi/3.0>")
    diags.reportRange(DiagID::warn_aa_ignored,
                      {loc(kw.text), loc(what.text.end())},
                      "'abi " + what.text.str() + "'",
                      "polc's profiles are written for 'abi <abi/3.0>'");
}

/// include <name> | include "name" | include if exists <name> | #include
///
/// In a profile, an abstraction polc knows (`<abstractions/NAME>`) becomes
/// `may use abstraction NAME`: polc's profile includes the same file, so
/// its rules, denials too, hold as before. Any other file is read as
/// apparmor_parser reads it, its variables and rules imported as if they
/// were written in its place; a directory is each of its files. A missing
/// file is an error, as in apparmor_parser, unless `if exists` says so.
void Importer::parseInclude(Policy *p) {
  Token kw = tok;
  advance();
  bool ifExists = false;
  if (isWord("if")) {
    advance();
    if (!isWord("exists")) {
      syntaxHere("expected 'exists' after 'include if', found " +
                 describe(tok));
      skipRule();
      return;
    }
    ifExists = true;
    advance();
  }
  // A bare name (`include simple_tests/x`) is a path, as "..." is.
  if (tok.kind != TokKind::Angle && tok.kind != TokKind::String &&
      tok.kind != TokKind::Word && tok.kind != TokKind::Path) {
    syntaxHere("expected '<FILE>' or '\"FILE\"' after '" + kw.text.str() +
               "', found " + describe(tok));
    skipRule();
    return;
  }
  Token what = tok;
  advance();
  llvm::SMRange r{loc(kw.text), loc(what.text.end())};
  std::string spelled =
      "'" +
      llvm::StringRef(kw.text.begin(), what.text.end() - kw.text.begin())
          .str() +
      "'";
  llvm::StringRef name = what.text.drop_front().drop_back();
  llvm::StringRef abstraction = name;
  if (p && what.kind == TokKind::Angle &&
      abstraction.consume_front("abstractions/") &&
      kb::isAbstraction(abstraction)) {
    p->uses.push_back(
        {"may use abstraction " + abstraction.str(), lineOf(r.Start)});
    return;
  }
  if (!opts.readIncludes) {
    if (!p && what.text == "<tunables/global>")
      return; // polc writes it into every profile
    diags.reportRange(DiagID::err_aa_unsupported, r, spelled,
                      "included files are not read here");
    return;
  }
  bool isDirectory = false;
  std::optional<std::string> file = findInclude(what.text, isDirectory);
  if (!file) {
    // polc writes 'include <tunables/global>' into every profile; without
    // the file here, its variables are unknown (and said so where used).
    if (ifExists || (!p && what.text == "<tunables/global>"))
      return;
    diags.reportRange(
        DiagID::err_aa_unsupported, r, spelled,
        what.kind != TokKind::Angle
            ? std::string("no such file (apparmor_parser would refuse the "
                          "profile)")
            : "no such file in " + llvm::join(includeDirs, ", ") +
                  " (apparmor_parser would refuse the profile; '-I DIR' "
                  "searches DIR first)");
    return;
  }
  if (includeStack.size() >= 64) {
    syntax(r, spelled + " is nested in more than 64 includes");
    return;
  }
  std::vector<std::string> files;
  if (isDirectory) {
    // apparmor_parser's dirat_for_each() with its skip list
    // (parser_misc.c's is_blacklisted()).
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(*file, ec), e; it != e && !ec;
         it.increment(ec)) {
      llvm::StringRef base = llvm::sys::path::filename(it->path());
      static const char *const skipped[] = {
          "~",         ".bak",    ".dpkg-new", ".dpkg-old",
          ".dpkg-dist", ".dpkg-bak", ".dpkg-remove", ".pacsave",
          ".pacnew",   ".rpmnew", ".rpmsave", ".orig", ".rej"};
      if (base.startswith(".") || base == "README" ||
          llvm::any_of(skipped, [&](const char *x) {
            return base.endswith(x);
          }))
        continue;
      if (llvm::sys::fs::is_regular_file(it->path()))
        files.push_back(it->path());
    }
    llvm::sort(files);
  } else if (llvm::sys::fs::is_regular_file(*file)) {
    files.push_back(*file);
  } else {
    // A device or a FIFO: reading it could block or never end.
    diags.reportRange(DiagID::err_aa_unsupported, r, spelled,
                      "'" + *file + "' is not a regular file");
    return;
  }
  // apparmor_parser reads a file once per profile (and once before the
  // profiles): a second include of it, or one of itself, adds nothing.
  std::set<std::string> &seen = p ? p->included : includedBeforeProfiles;
  includeStack.push_back(*file);
  for (const std::string &f : files) {
    llvm::SmallString<256> real;
    if (llvm::sys::fs::real_path(f, real))
      real = f;
    if (!seen.insert(std::string(real)).second)
      continue;
    llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buf =
        llvm::MemoryBuffer::getFile(f, /*IsText=*/true);
    if (!buf) {
      diags.reportRange(DiagID::err_aa_unsupported, r, spelled,
                        "cannot read '" + f + "': " + buf.getError().message());
      break;
    }
    readIncluded(sm.AddNewSourceBuffer(std::move(*buf), r.Start), p);
  }
  includeStack.pop_back();
}

/// The file (or directory) an include names: `<name>` in the include
/// directories, in order; `"name"` (or a bare name) as written
/// (apparmor.d(5): "the path is passed to open(2)").
std::optional<std::string> Importer::findInclude(llvm::StringRef what,
                                                 bool &isDirectory) {
  bool angle = what.startswith("<");
  llvm::StringRef name = what;
  if (angle || what.startswith("\""))
    name = name.drop_front().drop_back();
  // `<"name with spaces">`
  if (angle && name.size() >= 2 && name.startswith("\"") &&
      name.endswith("\""))
    name = name.drop_front().drop_back();
  if (name.empty())
    return std::nullopt;
  std::vector<std::string> candidates;
  if (!angle)
    candidates.push_back(name.str());
  else
    for (const std::string &dir : includeDirs) {
      llvm::SmallString<256> path(dir);
      llvm::sys::path::append(path, llvm::sys::path::Style::posix, name);
      candidates.push_back(std::string(path));
    }
  for (const std::string &c : candidates) {
    if (llvm::sys::fs::is_directory(c)) {
      isDirectory = true;
      return c;
    }
    if (llvm::sys::fs::exists(c))
      return c;
  }
  return std::nullopt;
}

/// Imports an included file: at the top level its variables, includes and
/// profiles; in a profile (\p p) its rules.
void Importer::readIncluded(unsigned bufferID, Policy *p) {
  Lexer savedLex = lex;
  Token savedTok = tok;
  lex = Lexer(sm.getMemoryBuffer(bufferID)->getBuffer());
  advance();
  while (tok.kind != TokKind::Eof && syntaxErrors < 20) {
    if (!p) {
      parseTopLevel();
    } else if (tok.kind == TokKind::RBrace) {
      syntaxHere("'}' without '{' in an included file");
      advance();
    } else {
      parseRule(*p);
    }
  }
  lex = savedLex;
  tok = savedTok;
}

/// @{NAME} = VALUE ... | @{NAME} += VALUE ...   (to the end of the line)
/// Values are bare (apparmor_parser's ID: no whitespace, '"' or '!', a ','
/// only inside a word) or quoted.
void Importer::parseVariable() {
  Token var = tok;
  advance();
  if (tok.kind != TokKind::Equal && tok.kind != TokKind::PlusEqual) {
    syntaxHere("expected '=' or '+=' after '" + var.text.str() +
               "', found " + describe(tok));
    skipRule();
    return;
  }
  bool append = tok.kind == TokKind::PlusEqual;
  // The values run to the end of the line (or a comment); a '\' at the
  // end of a line continues them on the next.
  llvm::StringRef rest = lex.rest();
  size_t end = 0;
  while (end < rest.size() && rest[end] != '\n')
    end += rest[end] == '\\' ? 2 : 1;
  end = std::min(end, rest.size());
  llvm::StringRef line = rest.take_front(end);
  lex.reset(lex.offset() + end);
  advance();
  llvm::StringRef name = var.text.drop_front(2).drop_back();
  if (name.empty() || !llvm::isAlpha(name[0]) ||
      !llvm::all_of(name, [](char c) { return llvm::isAlnum(c) || c == '_'; })) {
    syntax(range(var.text), "invalid variable name '" + var.text.str() +
                                "': a letter, then letters, digits and '_'");
    return;
  }
  std::vector<std::string> values;
  for (size_t i = 0; i < line.size();) {
    char c = line[i];
    if (isSpace(c) || line.substr(i).startswith("\\\n")) {
      i += isSpace(c) ? 1 : 2;
      continue;
    }
    if (c == '#')
      break;
    size_t start = i;
    auto bad = [&](const std::string &why) {
      syntax({loc(line.substr(start)), loc(line.substr(start + 1))},
             "invalid value of '" + var.text.str() + "': " + why);
    };
    if (c == '"') {
      size_t j = i + 1;
      while (j < line.size() && line[j] != '"')
        j += line[j] == '\\' ? 2 : 1;
      if (j >= line.size())
        return bad("the '\"' is not closed");
      if (j + 1 < line.size() && !isSpace(line[j + 1]))
        return bad("text after the closing '\"'");
      values.push_back(line.slice(i + 1, j).str());
      i = j + 1;
      continue;
    }
    size_t j = i;
    while (j < line.size() && !isSpace(line[j])) {
      if (line[j] == '\\') {
        j += 2;
        continue;
      }
      if (line[j] == '"' || line[j] == '!')
        return bad(std::string("'") + line[j] + "' inside a value");
      if (line[j] == ',' &&
          (j + 1 >= line.size() || isSpace(line[j + 1]) ||
           line[j + 1] == ','))
        return bad("a ',' after a value (values are separated by spaces)");
      ++j;
    }
    values.push_back(line.slice(i, std::min(j, line.size())).str());
    i = j;
  }
  if (values.empty()) {
    syntax(range(var.text), "'" + var.text.str() + "' is given no value");
    return;
  }
  auto it = variables.find(name);
  if (append) {
    if (it == variables.end()) {
      syntax(range(var.text), "'+=' adds to a variable that is set; '" +
                                  var.text.str() + "' is not set");
      return;
    }
    llvm::append_range(it->second, values);
    return;
  }
  if (it != variables.end()) {
    syntax(range(var.text), "'" + var.text.str() +
                                "' is set already; '+=' adds values to it");
    return;
  }
  variables.emplace(name.str(), std::move(values));
}

/// \p text with its variables replaced as apparmor_parser 3.0 replaces
/// them (parser_variable.c): the first `@{NAME}` of the text is replaced,
/// then the text is scanned again, so a value may use other variables. A
/// variable of one value is replaced by it; of several, by the alternation
/// `{a,b}`, without the values' leading '/' when a '/' comes before the
/// variable and without their trailing '/' when a '/' follows it.
bool Importer::expandInto(llvm::StringRef text, std::string &out,
                          std::string &problem) {
  out = text.str();
  for (unsigned rounds = 0;; ++rounds) {
    size_t at = llvm::StringRef::npos;
    bool escaped = false;
    for (size_t i = 0; i + 1 < out.size(); ++i) {
      if (out[i] == '\\') {
        escaped = !escaped;
        continue;
      }
      if (out[i] == '@' && out[i + 1] == '{' && !escaped) {
        at = i;
        break;
      }
      escaped = false;
    }
    if (at == llvm::StringRef::npos)
      return true;
    size_t close = out.find('}', at);
    if (close == std::string::npos) {
      problem = "'@{' without '}'";
      return false;
    }
    std::string name = out.substr(at + 2, close - at - 2);
    auto it = variables.find(name);
    if (it == variables.end()) {
      problem = "variables such as '@{" + name + "}' are not set " +
                (name == "profile_name" || name == "exec_path"
                     ? "by a path (apparmor_parser sets them per profile)"
                     : "in the file or the files it includes");
      return false;
    }
    // A variable whose values lead back to it never ends.
    if (rounds > 4096 || out.size() > 65536) {
      problem = "its variables are defined in terms of themselves";
      return false;
    }
    std::string prefix = out.substr(0, at), suffix = out.substr(close + 1);
    const std::vector<std::string> &values = it->second;
    std::string replacement;
    if (values.size() == 1) {
      replacement = values.front();
    } else {
      bool leading = !prefix.empty() && prefix.back() == '/';
      bool trailing = !suffix.empty() && suffix.front() == '/';
      for (const std::string &v : values) {
        llvm::StringRef s = v;
        if (leading)
          s = s.ltrim('/');
        if (trailing)
          s = s.rtrim('/');
        replacement += (replacement.empty() ? "{" : ",") + s.str();
      }
      replacement += "}";
    }
    out = prefix + replacement + suffix;
  }
}

/// A path token in polc's spelling, its variables expanded.
PathResult Importer::importPath(llvm::StringRef tok) {
  PathExpansion ex = expandPath(tok);
  if (!ex.problem.empty()) {
    PathResult r;
    r.problem = ex.problem;
    return r;
  }
  return convertPath(ex.text);
}

/// A path token with its variables expanded, duplicate slashes folded (as
/// apparmor_parser's filter_slashes() does after expanding), and put in a
/// form the policy language takes: nested alternations are flattened, and
/// an alternation the path starts with, `{/home/*,/root}/x` (a variable of
/// absolute paths first in the rule), is `/{home/*,root}/x`.
PathExpansion Importer::expandPath(llvm::StringRef tok) {
  PathExpansion r;
  if (!tok.contains("@{")) {
    if (!hasNestedBraces(tok))
      r.text = tok.str();
    else if (!flattenBraces(tok, r.text))
      r.problem = "its alternations give more than " +
                  std::to_string(maxExpansions) + " paths";
    return r;
  }
  std::string raw;
  if (!expandInto(tok, raw, r.problem))
    return r;
  std::string folded;
  for (char c : raw)
    if (!(c == '/' && !folded.empty() && folded.back() == '/'))
      folded += c;
  std::string flat;
  if (!hasNestedBraces(folded))
    flat = folded;
  else if (!flattenBraces(folded, flat)) {
    r.problem = "its alternations give more than " +
                std::to_string(maxExpansions) + " paths";
    return r;
  }
  llvm::StringRef body = flat;
  bool quoted = body.consume_front("\"");
  if (body.startswith("{")) {
    size_t close = matchingBrace(body, 0);
    if (close != llvm::StringRef::npos) {
      std::vector<llvm::StringRef> choices = choicesOf(body, 0, close);
      if (llvm::all_of(choices, [](llvm::StringRef c) {
            return c.startswith("/");
          })) {
        std::string moved = quoted ? "\"/{" : "/{";
        for (size_t i = 0; i < choices.size(); ++i)
          moved += (i ? "," : "") + choices[i].drop_front().str();
        flat = moved + "}" + body.substr(close + 1).str();
      }
    }
  }
  r.text = std::move(flat);
  return r;
}

/// flags=(...) and xattrs=(...) after the profile name.
void Importer::parseFlags(llvm::StringRef kw) {
  Token word = tok;
  advance();
  if (tok.kind != TokKind::Equal) {
    syntaxHere("expected '=' after '" + kw.str() + "', found " +
               describe(tok));
    return;
  }
  advance();
  if (tok.kind != TokKind::LParen) {
    syntaxHere("expected '(' after '" + kw.str() + "=', found " +
               describe(tok));
    return;
  }
  advance();
  std::vector<std::string> values;
  while (tok.kind != TokKind::RParen && tok.kind != TokKind::Eof &&
         tok.kind != TokKind::LBrace) {
    if (tok.kind != TokKind::Comma)
      values.push_back(tok.text.str());
    advance();
  }
  if (tok.kind != TokKind::RParen) {
    syntaxHere("expected ')' to close '" + kw.str() + "=(', found " +
               describe(tok));
    return;
  }
  llvm::SMRange r{loc(word.text), loc(tok.text.end())};
  advance();
  if (kw == "flags") {
    static const char *const known[] = {
        "complain", "enforce", "kill", "unconfined", "audit", "mediate_deleted",
        "delegate_deleted", "attach_disconnected", "no_attach_disconnected",
        "chroot_relative", "namespace_relative", "chroot_attach",
        "chroot_no_attach", "debug", "interruptible", "user"};
    for (const std::string &v : values) {
      llvm::StringRef name = llvm::StringRef(v).split('=').first;
      if (!llvm::is_contained(known, name)) {
        syntax(r, "unknown profile flag '" + v + "'");
        return;
      }
    }
    diags.reportRange(DiagID::warn_aa_ignored, r,
                      "'flags=(" + llvm::join(values, ",") + ")'",
                      "the imported profile is enforcing, with polc's "
                      "defaults");
    return;
  }
  diags.reportRange(DiagID::warn_aa_ignored, r, "'xattrs=(...)'",
                    "the profile attaches by path alone, so it confines "
                    "more programs");
}

void Importer::parseProfile(Token profileKw) {
  Policy p;
  llvm::SMLoc start = profileKw.kind == TokKind::Eof ? loc(tok.text)
                                                      : loc(profileKw.text);
  p.line = lineOf(start);
  Token nameTok = tok;
  bool named = profileKw.kind != TokKind::Eof;
  if (tok.kind == TokKind::Word || tok.kind == TokKind::Path ||
      tok.kind == TokKind::String) {
    if (!named && tok.kind == TokKind::Word) {
      syntaxHere("expected a profile, found " + describe(tok));
      advance();
      skipRule();
      return;
    }
    advance();
  } else {
    syntaxHere("expected a profile name, found " + describe(tok));
    skipRule();
    return;
  }
  llvm::StringRef name = nameTok.text;
  // apparmor_parser expands the variables of a name (the profile is named
  // what they expand to).
  std::string expandedName, unused;
  if (name.contains("@{") && expandInto(name, expandedName, unused))
    name = expandedName;
  p.aaName = name.str();
  std::optional<Token> attachTok;
  if (named && (tok.kind == TokKind::Path || tok.kind == TokKind::String)) {
    attachTok = tok;
    advance();
  }
  if (!named || !attachTok) {
    llvm::StringRef plain = name;
    if (plain.startswith("\""))
      plain = plain.drop_front().drop_back();
    if (plain.startswith("/") || plain.startswith("@")) {
      attachTok = nameTok;
      p.attachByName = true;
    }
  }
  if (name.startswith(":") || name.contains("//")) {
    diags.reportRange(DiagID::err_aa_unsupported, range(nameTok.text),
                      "profile '" + name.str() + "'",
                      "namespaces and child profile names are not "
                      "supported");
  }
  if (attachTok) {
    PathResult pr = importPath(attachTok->text);
    if (!pr.problem.empty())
      diags.reportRange(DiagID::warn_aa_ignored, range(attachTok->text),
                        "the attachment '" + attachTok->text.str() + "'",
                        pr.problem + "; the profile is attached by its name "
                                     "only");
    else
      p.attach = pr.polc;
  }
  while (isWord("flags") || isWord("xattrs"))
    parseFlags(tok.text);
  if (tok.kind != TokKind::LBrace) {
    syntaxHere("expected '{' to open profile '" + name.str() + "', found " +
               describe(tok));
    skipRule();
    return;
  }
  llvm::SMLoc open = loc(tok.text);
  advance();
  parseBody(p);
  if (tok.kind != TokKind::RBrace) {
    syntax({open, llvm::SMLoc::getFromPointer(open.getPointer() + 1)},
           "profile '" + name.str() + "' has no closing '}'");
    return;
  }
  advance();
  finishNetwork(p);
  std::string plainName = name.str();
  if (name.startswith("\""))
    plainName = name.drop_front().drop_back().str();
  p.name = policyNameFor(plainName);
  finishPeers(p);
  policies.push_back(std::move(p));
}

void Importer::parseBody(Policy &p) {
  while (tok.kind != TokKind::RBrace && tok.kind != TokKind::Eof &&
         syntaxErrors < 20)
    parseRule(p);
}

/// [audit] [deny|allow] [owner] RULE
void Importer::parseRule(Policy &p) {
  Prefix pre;
  pre.start = loc(tok.text);
  for (;;) {
    if (isWord("audit") && !pre.audit && !pre.deny && !pre.allow) {
      pre.audit = true;
    } else if (isWord("deny") && !pre.deny && !pre.allow) {
      pre.deny = true;
    } else if (isWord("allow") && !pre.deny && !pre.allow) {
      pre.allow = true;
    } else if (isWord("owner") && !pre.owner) {
      pre.owner = true;
    } else if (isWord("other")) {
      diags.reportRange(DiagID::err_aa_unsupported, range(tok.text),
                        "'other'", "the policy language has no owner "
                                   "conditions");
      advance();
      skipRule();
      return;
    } else {
      break;
    }
    advance();
  }
  if (tok.kind == TokKind::Word) {
    llvm::StringRef w = tok.text;
    if (w == "capability")
      return importCapabilityRule(p, pre);
    if (w == "network")
      return importNetworkRule(p, pre);
    if (w == "file")
      return importFileRule(p, pre, /*fileKeyword=*/true);
    if (w == "link")
      return importLinkRule(p, pre);
    if (w == "signal" || w == "ptrace")
      return importPeerRule(p, pre);
    if (w == "change_profile")
      return importChangeProfileRule(p, pre);
    if (w == "set")
      return importSetRule(p, pre);
    if (w == "abi" && !pre.any())
      return parseAbi();
    if (w == "include" || w == "#include") {
      if (pre.any()) {
        syntaxHere("'" + w.str() + "' takes no qualifiers");
        advance();
        skipRule();
        return;
      }
      return parseInclude(&p);
    }
    if (w == "profile" || w == "hat")
      return importChildProfile(pre);
    if (w == "if") {
      diags.reportRange(DiagID::err_aa_unsupported, range(w),
                        "conditional rules ('if')",
                        "which rules apply depends on variables the "
                        "policy language does not have");
      advance();
      while (tok.kind != TokKind::LBrace && tok.kind != TokKind::Eof)
        advance();
      skipRule();
      return;
    }
    for (const UnsupportedRule &u : unsupportedRules)
      if (w == u.keyword)
        return importUnsupportedRule(u, pre);
    // Front permissions: "r /path,".
    if (parsePerms(w, pre.deny)) {
      size_t save = lex.offset();
      Token next = lex.next();
      lex.reset(save);
      if (next.kind == TokKind::Path || next.kind == TokKind::String)
        return importFileRule(p, pre, /*fileKeyword=*/false);
    }
    syntaxHere("unknown rule " + describe(tok));
    advance();
    skipRule();
    return;
  }
  if (tok.kind == TokKind::Caret)
    return importChildProfile(pre);
  if (tok.kind == TokKind::Path || tok.kind == TokKind::String)
    return importFileRule(p, pre, /*fileKeyword=*/false);
  if (tok.kind == TokKind::Comma && !pre.any()) {
    syntaxHere("expected a rule, found ','");
    advance();
    return;
  }
  syntaxHere("expected a rule, found " + describe(tok));
  if (tok.kind != TokKind::RBrace)
    advance();
  skipRule();
}

/// capability [NAME...] ,
void Importer::importCapabilityRule(Policy &p, const Prefix &pre) {
  Token kw = tok;
  advance();
  std::vector<std::string> names;
  bool ok = true;
  while (tok.kind == TokKind::Word) {
    std::string n = tok.text.lower();
    if (!kb::isCapability(n)) {
      syntaxHere("unknown capability '" + tok.text.str() + "'" +
                 didYouMean(n, kb::getCapabilityNames()));
      ok = false;
    }
    names.push_back(n);
    advance();
  }
  llvm::SMRange r = rangeFrom(pre.start);
  if (!expectComma("the capability rule") || !ok)
    return;
  if (!qualifiersApply(pre, r, "capability"))
    return;
  if (names.empty()) {
    // AppArmor's "every capability" is a mask beyond the names polc knows.
    std::string count = std::to_string(kb::getCapabilityNames().size());
    if (pre.deny)
      diags.reportRange(DiagID::warn_aa_ignored, r,
                        "the part of 'deny capability,' beyond the " + count +
                            " capabilities polc knows",
                        "the policy grants none of the others");
    else
      diags.reportRange(DiagID::warn_aa_dropped, r,
                        "the part of 'capability,' beyond the " + count +
                            " capabilities polc knows",
                        "the policy names capabilities one by one");
    for (llvm::StringRef n : kb::getCapabilityNames())
      names.push_back(n.str());
  }
  std::vector<std::string> uniq;
  for (const std::string &n : names)
    if (!llvm::is_contained(uniq, n))
      uniq.push_back(n);
  p.caps.push_back({std::string(pre.deny ? "may not" : "may") +
                        (pre.audit ? " audit" : "") + " use capability " +
                        llvm::join(uniq, ", "),
                    lineOf(loc(kw.text))});
}

/// network [FAMILY] [TYPE | PROTOCOL] ,
/// Collected here; finishNetwork() turns them into statements once the
/// whole profile is known (tcp needs both inet and inet6, and whether a
/// denial of a type polc cannot name matters depends on the grants).
void Importer::importNetworkRule(Policy &p, const Prefix &pre) {
  advance();
  std::string family, type, proto;
  bool ok = true, other = false;
  // apparmor_parser takes a family, then one type or protocol, or one of
  // them alone ("network inet stream tcp" is a syntax error).
  while (tok.kind == TokKind::Word) {
    llvm::StringRef w = tok.text;
    bool isType = llvm::is_contained(networkTypes, w);
    bool isProto = llvm::is_contained(networkProtocols, w);
    if (family.empty() && type.empty() && proto.empty() &&
        llvm::is_contained(networkFamilies, w))
      family = w.str();
    else if (type.empty() && proto.empty() && isType)
      type = w.str();
    else if (type.empty() && proto.empty() && isProto)
      proto = w.str();
    else if (isType || isProto) {
      syntaxHere("a network rule names one socket type or protocol, found " +
                 describe(tok) + " after '" + type + proto + "'");
      ok = false;
    } else if (type.empty() && proto.empty()) {
      syntaxHere("unknown network family, type or protocol " +
                 describe(tok));
      ok = false;
    } else {
      break; // permissions, addresses: below
    }
    advance();
  }
  if (tok.kind == TokKind::LParen || tok.kind == TokKind::Word ||
      tok.kind == TokKind::Path) {
    other = true; // permissions, addresses: AppArmor 4 syntax
  }
  llvm::SMRange r = rangeFrom(pre.start);
  if (other) {
    skipRule();
    diags.reportRange(DiagID::err_aa_unsupported, r, "this network rule",
                      "network permissions and addresses are not supported");
    return;
  }
  if (!expectComma("the network rule") || !ok)
    return;
  // apparmor_parser's protocol table: tcp and udp of inet and inet6, icmp
  // of inet ("network inet6 icmp" is an invalid network entry).
  if (!proto.empty() && !family.empty() &&
      ((family != "inet" && family != "inet6") ||
       (proto == "icmp" && family == "inet6"))) {
    syntax(r, "'" + proto + "' is not a protocol of the network family '" +
                  family + "'");
    return;
  }
  if (!qualifiersApply(pre, r, "network"))
    return;
  p.netRules.push_back({pre.deny, family, type, proto, r, pre.audit});
}

/// The language's objects for an AppArmor family of every socket type
/// (`unix`, `inet`, `netlink`, ...), in NetObjects.def order. A type word
/// after one narrows it (`inet6 dgram`).
const std::vector<std::string> &familyObjects() {
  static const std::vector<std::string> objs = [] {
    std::vector<std::string> out;
    for (kb::NetObject o : kb::getAllNetObjects()) {
      const kb::NetObjectInfo &i = kb::getNetObjectInfo(o);
      if (i.type.empty() && i.families.size() == 1 &&
          i.families[0] == i.spelling)
        out.push_back(i.spelling.str());
    }
    return out;
  }();
  return objs;
}

bool hasFamilyObject(llvm::StringRef family) {
  return llvm::is_contained(familyObjects(), family);
}

/// What a network rule compiles to in AppArmor 3: (family, type) pairs,
/// type "" for every type. A type or protocol alone is that of every
/// family (`network stream` hashes equal to `network FAMILY stream` for each
/// of apparmor_parser's families); a protocol is its family and type in
/// apparmor_parser's table (`network tcp` is inet and inet6 stream,
/// `network icmp` inet raw).
std::vector<std::pair<std::string, std::string>>
netCells(const Policy::NetRule &n) {
  std::vector<std::pair<std::string, std::string>> cells;
  if (!n.proto.empty()) {
    std::string type = n.proto == "tcp"   ? "stream"
                       : n.proto == "udp" ? "dgram"
                                          : "raw";
    for (const char *f : {"inet", "inet6"})
      if ((n.family.empty() || n.family == f) &&
          !(n.proto == "icmp" && llvm::StringRef(f) == "inet6"))
        cells.push_back({f, type});
    return cells;
  }
  if (!n.family.empty())
    return {{n.family, n.type}};
  for (const char *f : networkFamilies)
    cells.push_back({f, n.type});
  return cells;
}

/// 'network inet stream', 'deny network,' as the profile spells the rule.
std::string netRuleText(const Policy::NetRule &n) {
  std::string s = n.deny ? "'deny network" : "'network";
  for (const std::string *w : {&n.family, &n.type, &n.proto})
    if (!w->empty())
      s += " " + *w;
  if (n.family.empty() && n.type.empty() && n.proto.empty())
    s += ",";
  return s + "'";
}

/// The policy's network statements, `may [not] use network OBJECT, ...`
/// (what an AppArmor network rule allows: every operation), one per rule
/// of the profile. AppArmor 3 compiles network rules to a mask of socket
/// types per family, and so does polc's profile of these objects: a family
/// with every type is the family's object (`inet`), one type `FAMILY TYPE`,
/// inet and inet6 together `tcp` (stream) and `udp` (dgram). What the
/// language cannot name (families without an object, `unspec` and the
/// newer ones; the socket type `packet`; the families beyond those polc
/// knows of `network,`) is left out of a grant, and ignored in a denial:
/// the policy grants none of it. A family granted with every type beside
/// a denial of one of its types is narrowed to the types polc names.
void Importer::finishNetwork(Policy &p) {
  // (family, type) -> the first rule that names it; type "" every type.
  using Cells =
      std::map<std::pair<std::string, std::string>, const Policy::NetRule *>;
  Cells grants, denials;
  // The families a denial of the type 'packet' names, by rule.
  std::map<std::string, const Policy::NetRule *> packetDenied;
  const std::string known =
      " beyond the " + std::to_string(familyObjects().size()) +
      " families polc knows";
  // `network raw` (a type of every family) is the language's `raw`, unless
  // a denial of one family's raw or every-type sockets would overlap it
  // (polc cannot order the two on `socket` yet): then it is each family's.
  auto typeAlone = [](const Policy::NetRule &n, llvm::StringRef type) {
    return n.family.empty() && n.proto.empty() && n.type == type;
  };
  std::vector<const Policy::NetRule *> rawAlone;
  auto grant = [&](const Policy::NetRule &n) {
    auto cells = netCells(n);
    size_t said = 0;
    for (const auto &c : cells)
      if (hasFamilyObject(c.first) && c.second != "packet") {
        grants.emplace(c, &n); // rules come in order: the first stays
        ++said;
      }
    if (said == cells.size())
      return;
    std::string what = netRuleText(n);
    if (said != 0)
      diags.reportRange(DiagID::warn_aa_dropped, n.range,
                        "the part of " + what + known,
                        "the policy names network families one by one");
    else if (n.type == "packet")
      diags.reportRange(DiagID::warn_aa_dropped, n.range, what,
                        "the policy language has no word for the socket "
                        "type 'packet' (SOCK_PACKET)");
    else
      diags.reportRange(DiagID::warn_aa_dropped, n.range, what,
                        "the policy language has no network object for the "
                        "family '" + n.family + "'");
  };
  for (const Policy::NetRule &n : p.netRules) {
    if (n.deny)
      continue;
    if (typeAlone(n, "raw"))
      rawAlone.push_back(&n);
    else
      grant(n);
  }
  // Denials: what the language names is denied exactly; the rest (families
  // without an object, the type 'packet') is what the policy cannot grant,
  // so leaving it out changes nothing the policy grants.
  for (const Policy::NetRule &n : p.netRules) {
    if (!n.deny)
      continue;
    if (typeAlone(n, "raw")) {
      denials.emplace(std::make_pair(std::string(), std::string("raw")), &n);
      continue;
    }
    auto cells = netCells(n);
    size_t ignored = 0;
    for (const auto &c : cells) {
      if (!hasFamilyObject(c.first)) {
        ++ignored;
      } else if (c.second == "packet") {
        packetDenied.emplace(c.first, &n);
        ++ignored;
      } else {
        denials.emplace(c, &n);
      }
    }
    if (ignored == 0)
      continue;
    std::string what = netRuleText(n);
    if (ignored == cells.size() && n.type == "packet")
      diags.reportRange(DiagID::warn_aa_ignored, n.range, what,
                        "the policy grants no socket of the type 'packet', "
                        "which the policy language has no word for");
    else if (ignored == cells.size())
      diags.reportRange(DiagID::warn_aa_ignored, n.range, what,
                        "the policy language has no network object for the "
                        "family '" + n.family + "', so the policy grants "
                        "none of it");
    else
      diags.reportRange(DiagID::warn_aa_ignored, n.range,
                        "the part of " + what + known,
                        "the policy grants none of the others");
  }
  bool rawOverlaps = llvm::any_of(denials, [](const auto &d) {
    return !d.first.first.empty() &&
           (d.first.second.empty() || d.first.second == "raw");
  });
  for (const Policy::NetRule *n : rawAlone)
    if (rawOverlaps)
      grant(*n);
    else
      grants.emplace(std::make_pair(std::string(), std::string("raw")), n);
  // A family granted with every type beside a denial of some of its types
  // (not of every type): polc cannot compile that pair yet (seccomp cannot
  // order the two conditions on `socket`), so the grant becomes the types
  // the language names less the denied ones. That also keeps a denial of
  // the type 'packet' true: the policy then grants no such socket. One
  // warning per grant and (first) denial.
  std::map<std::pair<const Policy::NetRule *, const Policy::NetRule *>,
           std::vector<std::string>>
      narrowed;
  auto earlier = [](const Policy::NetRule *a, const Policy::NetRule *b) {
    return !b || a->range.Start.getPointer() < b->range.Start.getPointer();
  };
  for (const std::string &f : familyObjects()) {
    auto every = grants.find({f, ""});
    if (every == grants.end() || denials.count({f, ""}))
      continue;
    const Policy::NetRule *granted = every->second, *by = nullptr;
    std::vector<std::string> kept;
    for (llvm::StringRef t : kb::getSockTypeSpellings()) {
      auto d = denials.find({f, t.str()});
      if (d == denials.end())
        d = denials.find({"", t.str()}); // `deny network raw`
      if (d == denials.end())
        kept.push_back(t.str());
      else if (earlier(d->second, by))
        by = d->second;
    }
    auto pk = packetDenied.find(f);
    if (pk != packetDenied.end() && earlier(pk->second, by))
      by = pk->second;
    if (!by)
      continue;
    grants.erase(every);
    for (const std::string &t : kept)
      grants.emplace(std::make_pair(f, t), granted);
    narrowed[{granted, by}].push_back("'" + f + "'");
  }
  for (const auto &n : narrowed) {
    const std::vector<std::string> &fams = n.second;
    std::string which = fams.size() <= 3
                            ? llvm::join(fams, ", ")
                            : std::to_string(fams.size()) + " families";
    const Policy::NetRule *by = n.first.second;
    diags.reportRange(
        DiagID::warn_aa_dropped, n.first.first->range,
        "the part of " + netRuleText(*n.first.first) +
            " beyond the socket types the language names (" + which + ")",
        "polc cannot yet compile a family granted with every socket type "
        "beside a denial of one type (" + netRuleText(*by) + ", line " +
            std::to_string(lineOf(by->range.Start)) +
            "), so the policy grants each of " +
            llvm::join(kb::getSockTypeSpellings(), ", ") +
            " the profile does not deny");
  }

  // The objects of each polarity, with the first line of what they cover.
  auto objects = [this](const Cells &cells) {
    std::map<std::string, std::map<std::string, unsigned>> byFamily;
    for (const auto &c : cells)
      byFamily[c.first.first][c.first.second] = lineOf(c.second->range.Start);
    // A family of every type covers its types.
    for (auto &f : byFamily)
      if (f.second.count("")) {
        unsigned line = f.second.begin()->second;
        for (const auto &t : f.second)
          line = std::min(line, t.second);
        f.second = {{"", line}};
      }
    std::vector<std::pair<unsigned, std::string>> objs;
    auto every = byFamily.find(""); // `network raw`
    if (every != byFamily.end())
      objs.push_back({every->second.begin()->second, "raw"});
    auto inet = byFamily.find("inet"), inet6 = byFamily.find("inet6");
    for (const auto &[type, obj] :
         {std::pair<const char *, const char *>{"stream", "tcp"},
          std::pair<const char *, const char *>{"dgram", "udp"}}) {
      if (inet == byFamily.end() || inet6 == byFamily.end())
        break;
      auto a = inet->second.find(type), b = inet6->second.find(type);
      if (a == inet->second.end() || b == inet6->second.end())
        continue;
      objs.push_back({std::min(a->second, b->second), obj});
      inet->second.erase(a);
      inet6->second.erase(b);
    }
    for (const std::string &f : familyObjects()) {
      auto it = byFamily.find(f);
      if (it == byFamily.end())
        continue;
      if (it->second.count(""))
        objs.push_back({it->second[""], f});
      for (llvm::StringRef t : kb::getSockTypeSpellings())
        if (it->second.count(t.str()))
          objs.push_back({it->second[t.str()], f + " " + t.str()});
    }
    return objs;
  };
  // A cell is audited when an `audit` rule of its polarity covers it
  // (AppArmor ORs the audit bit of every rule that matches).
  auto audited = [&](const std::pair<std::string, std::string> &c,
                     bool deny) {
    for (const Policy::NetRule &n : p.netRules) {
      if (n.deny != deny || !n.audit)
        continue;
      auto cells = netCells(n);
      if (typeAlone(n, "raw"))
        cells.push_back({"", "raw"});
      for (const auto &cc : cells)
        if ((cc.first.empty() || cc.first == c.first) &&
            (cc.second.empty() || cc.second == c.second))
          return true;
    }
    return false;
  };
  // One statement per line, polarity and audit, in the profile's order.
  std::map<std::tuple<unsigned, bool, bool>, std::vector<std::string>> stmts;
  for (bool deny : {false, true}) {
    Cells plain, withAudit;
    for (const auto &c : deny ? denials : grants)
      (audited(c.first, deny) ? withAudit : plain).insert(c);
    for (bool audit : {false, true})
      for (const auto &o : objects(audit ? withAudit : plain))
        stmts[{o.first, deny, audit}].push_back(o.second);
  }
  for (const auto &s : stmts)
    p.net.push_back({std::string(std::get<1>(s.first) ? "may not" : "may") +
                         (std::get<2>(s.first) ? " audit" : "") +
                         " use network " + llvm::join(s.second, ", "),
                     std::get<0>(s.first)});
}

/// Parses a file mode (r w a l k m, and x with its qualifier). Returns
/// std::nullopt when \p text is not a mode at all.
std::optional<Perms> Importer::parsePerms(llvm::StringRef text, bool deny) {
  Perms p;
  std::string pending;
  for (char c : text) {
    switch (c) {
    // apparmor_parser also takes R, W and M (but not K or L).
    case 'r': case 'R': p.r = true; break;
    case 'w': case 'W': p.w = true; break;
    case 'a': p.a = true; break;
    case 'l': p.l = true; break;
    case 'k': p.k = true; break;
    case 'm': case 'M': p.m = true; break;
    case 'i': case 'u': case 'p': case 'c': case 'I': case 'U': case 'P':
    case 'C':
      pending += c;
      break;
    case 'x':
      if (p.x)
        return std::nullopt;
      p.x = true;
      p.execMode = pending;
      pending.clear();
      break;
    default:
      return std::nullopt;
    }
  }
  if (!pending.empty())
    return std::nullopt;
  (void)deny;
  return p;
}

/// [file] [MODE] PATH [MODE] [-> TARGET] ,   and   file ,
void Importer::importFileRule(Policy &p, const Prefix &pre, bool fileKeyword) {
  if (fileKeyword)
    advance();
  if (fileKeyword && tok.kind == TokKind::Comma) {
    llvm::SMRange r = rangeFrom(pre.start);
    advance();
    if (pre.deny)
      diags.reportRange(DiagID::err_aa_unsupported, r, "'deny file'",
                        "the policy language cannot deny every permission "
                        "on every path");
    else
      diags.reportRange(DiagID::warn_aa_dropped, r, "'file'",
                        "the policy language has no rule for every file "
                        "permission");
    return;
  }
  std::optional<Perms> front;
  llvm::StringRef modeText;
  if (tok.kind == TokKind::Word) {
    front = parsePerms(tok.text, pre.deny);
    if (!front) {
      syntaxHere("invalid file mode " + describe(tok));
      advance();
      skipRule();
      return;
    }
    modeText = tok.text;
    advance();
  }
  if (tok.kind != TokKind::Path && tok.kind != TokKind::String) {
    syntaxHere("expected a path, found " + describe(tok));
    skipRule();
    return;
  }
  Token pathTok = tok;
  advance();
  std::optional<Perms> perms = front;
  if (!front) {
    if (tok.kind != TokKind::Word) {
      syntaxHere("expected a file mode after '" +
                 pathTok.text.take_front(60).str() + "', found " +
                 describe(tok));
      skipRule();
      return;
    }
    perms = parsePerms(tok.text, pre.deny);
    if (!perms) {
      syntaxHere("invalid file mode " + describe(tok));
      advance();
      skipRule();
      return;
    }
    modeText = tok.text;
    advance();
  }
  std::optional<Token> target;
  if (tok.kind == TokKind::Arrow) {
    advance();
    if (tok.kind != TokKind::Path && tok.kind != TokKind::String &&
        tok.kind != TokKind::Word) {
      syntaxHere("expected a target after '->', found " + describe(tok));
      skipRule();
      return;
    }
    target = tok;
    advance();
  }
  llvm::SMRange r = rangeFrom(pre.start);
  if (!expectComma("the file rule"))
    return;
  Perms pm = *perms;
  // apparmor_parser's own checks.
  if (pm.w && pm.a) {
    syntax(r, "conflicting permissions 'w' and 'a' in '" + modeText.str() +
                  "': 'w' includes appending");
    return;
  }
  if (pm.x) {
    llvm::StringRef q = pm.execMode;
    // ix px Px cx Cx ux Ux, and the fallbacks pix Pix pux PUx cix ...
    auto validMode = [](llvm::StringRef m) {
      if (m.size() == 1)
        return llvm::StringRef("ipPcCuU").contains(m[0]);
      return m.size() == 2 && llvm::StringRef("pPcC").contains(m[0]) &&
             llvm::StringRef("iIuU").contains(m[1]);
    };
    if (pre.deny && !q.empty()) {
      syntax(r, "'deny' takes a bare 'x', not '" + q.str() + "x'");
      return;
    }
    if (!pre.deny && q.empty()) {
      syntax(r, "'x' needs an exec mode ('ix', 'px', 'cx', 'ux', ...)");
      return;
    }
    if (!q.empty() && !validMode(q)) {
      syntax(r, "invalid exec mode '" + q.str() + "x'");
      return;
    }
  }
  if (target) {
    if (pre.deny) {
      diags.reportRange(DiagID::warn_aa_widened, r, "the exec target",
                        "a denial for every target",
                        "the policy language names no transition targets");
    } else if (pm.x && !pm.l &&
               (pm.execMode == "P" || pm.execMode == "p")) {
      // 'as profile NAME' below.
    } else if (pm.x && !pm.l) {
      diags.reportRange(DiagID::warn_aa_dropped, r, "this exec transition",
                        "the policy language names a target for 'Px' and "
                        "'px' only");
      pm.x = false;
    } else {
      diags.reportRange(DiagID::warn_aa_dropped, r, "this link rule",
                        "the policy language has no link targets");
      return;
    }
  }
  PathResult path = importPath(pathTok.text);
  if (path.invalid) {
    syntax(range(pathTok.text), "invalid path '" +
                                    pathTok.text.take_front(60).str() +
                                    "': " + path.problem);
    return;
  }
  if (!path.problem.empty()) {
    if (pre.deny)
      diags.reportRange(DiagID::err_aa_unsupported, range(pathTok.text),
                        "the denial of '" + pathTok.text.str() + "'",
                        path.problem);
    else
      diags.reportRange(DiagID::warn_aa_dropped, r,
                        "the rule for '" + pathTok.text.str() + "'",
                        path.problem);
    return;
  }
  // 'owner' and 'audit' are the language's file qualifiers.
  std::string qualifiers;
  if (pre.audit)
    qualifiers += "audit ";
  if (pre.owner)
    qualifiers += "owner ";
  // The exec transitions the language has: ix (inherit), Px/px -> NAME
  // (as profile NAME [keep environment]), Ux/ux (as unconfined [keep
  // environment]). Each also grants 'm' (pitfalls A9): a rule without it
  // would widen, so it is left out, with a warning.
  std::string transition;
  if (pm.x && !pre.deny) {
    llvm::StringRef q = pm.execMode;
    bool keepEnv = q == "p" || q == "u";
    if (q != "i" && q != "P" && q != "p" && q != "U" && q != "u") {
      diags.reportRange(DiagID::warn_aa_dropped, r, "'" + q.str() + "x'",
                        "the policy language has 'ix', 'Px'/'px' with a "
                        "named profile and 'Ux'/'ux' only; the file cannot "
                        "be executed under the policy");
      pm.x = false;
    } else if (!pm.m) {
      diags.reportRange(DiagID::warn_aa_dropped, r,
                        "'" + q.str() + "x' without 'm'",
                        "the policy's exec grants 'm' too (a program that "
                        "runs is mapped); add 'm' to import it");
      pm.x = false;
    } else if (q == "P" || q == "p") {
      llvm::StringRef name = target ? target->text : "";
      bool ident = !name.empty() &&
                   (llvm::isAlpha(name[0]) || name[0] == '_') &&
                   llvm::all_of(name, [](char c) {
                     return llvm::isAlnum(c) || c == '_' || c == '.' ||
                            c == '-';
                   });
      if (!ident) {
        diags.reportRange(DiagID::warn_aa_dropped, r,
                          "'" + q.str() + "x'" +
                              (name.empty() ? " without a named target"
                                            : " to '" + name.str() + "'"),
                          "the policy language's 'as profile NAME' takes a "
                          "profile named by an identifier");
        pm.x = false;
      } else {
        transition = " as profile " + name.str() +
                     (keepEnv ? " keep environment" : "");
      }
    } else if (q == "U" || q == "u") {
      transition = std::string(" as unconfined") +
                   (keepEnv ? " keep environment" : "");
    }
  }
  std::vector<llvm::StringRef> verbs;
  if (pm.r) verbs.push_back("read");
  if (pm.w) verbs.push_back("write");
  if (pm.a) verbs.push_back("append");
  if (pm.l) verbs.push_back("link");
  if (pm.k) verbs.push_back("lock");
  if (pm.m) verbs.push_back("map");
  if (pm.x) verbs.push_back("exec");
  if (verbs.empty())
    return; // everything was left out, with a warning
  p.files.push_back({std::string(pre.deny ? "may not " : "may ") +
                         qualifiers + llvm::join(verbs, " ") + " " +
                         path.polc + transition,
                     lineOf(r.Start)});
}

/// link [subset] PATH -> TARGET ,
void Importer::importLinkRule(Policy &p, const Prefix &pre) {
  advance();
  if (isWord("subset"))
    advance();
  if (tok.kind != TokKind::Path && tok.kind != TokKind::String) {
    syntaxHere("expected a path after 'link', found " + describe(tok));
    skipRule();
    return;
  }
  Token pathTok = tok;
  advance();
  if (tok.kind != TokKind::Arrow) {
    syntaxHere("expected '->' in the link rule, found " + describe(tok));
    skipRule();
    return;
  }
  advance();
  if (tok.kind != TokKind::Path && tok.kind != TokKind::String) {
    syntaxHere("expected a link target, found " + describe(tok));
    skipRule();
    return;
  }
  advance();
  llvm::SMRange r = rangeFrom(pre.start);
  if (!expectComma("the link rule"))
    return;
  if (!pre.deny) {
    diags.reportRange(DiagID::warn_aa_dropped, r, "this link rule",
                      "the policy language has no link targets");
    return;
  }
  PathResult path = importPath(pathTok.text);
  if (!path.problem.empty()) {
    diags.reportRange(DiagID::err_aa_unsupported, range(pathTok.text),
                      "the denial of '" + pathTok.text.str() + "'",
                      path.problem);
    return;
  }
  diags.reportRange(DiagID::warn_aa_widened, r, "this link denial",
                    "'may not link " + path.polc + "'",
                    "the policy language names no link targets");
  p.files.push_back({"may not link " + path.polc, lineOf(r.Start)});
}

/// A peer as a policy spells it (Sema's checkPeers): `self` for
/// @{profile_name}, `unconfined`, an identifier, or a quoted name of
/// letters, digits and _-.:/+. \p v is the AppArmor token (quotes
/// allowed); what the language cannot say sets \p problem and gives "any".
std::string peerSpelling(llvm::StringRef v, std::string &problem) {
  if (v.startswith("\"") && v.size() >= 2)
    v = v.drop_front().drop_back();
  std::string peer = "any";
  if (v == "@{profile_name}")
    peer = "self";
  else if (v == "unconfined")
    peer = "unconfined";
  else if (v.contains("@{"))
    problem = "variables such as '" + v.str() +
              "' are not supported by the policy language";
  else if (v.empty() || v.find_first_of("*?[]{}^\\\"") != llvm::StringRef::npos ||
           llvm::any_of(v, [](char c) {
             unsigned char u = static_cast<unsigned char>(c);
             return u < 0x20 || u == 0x7f || c == ' ' || c == '\t';
           }))
    problem = "the peer '" + v.str() +
              "' is a pattern, which the policy language does not have";
  else if (!llvm::all_of(v, [](char c) {
             return llvm::isAlnum(c) || llvm::StringRef("_-.:/+").contains(c);
           }))
    // What Sema takes as a peer (checkPeers): anything else would import
    // into a policy that does not compile.
    problem = "the peer '" + v.str() +
              "' has characters a policy's peer cannot hold (letters, "
              "digits and _-.:/+ only)";
  else {
    bool ident = llvm::isAlpha(v[0]) || v[0] == '_';
    for (char c : v)
      ident = ident && (llvm::isAlnum(c) || c == '_');
    if (v == "self" || v == "any" || v == "unconfined")
      ident = false;
    peer = ident ? v.str() : "\"" + v.str() + "\"";
  }
  return peer;
}

/// signal [ACCESS] [set=...] [peer=NAME] ,   ptrace [ACCESS] [peer=NAME] ,
/// ACCESS: one word or a list in '(...)' (commas optional). Collected here;
/// finishPeers() turns them into peer intents once the profile's polc name
/// is known.
/// set rlimit RESOURCE <= VALUE ,   the policy's `limit RESOURCE VALUE`. A
/// limit polc cannot say fails the import: without it the profile would
/// lose a restriction.
void Importer::importSetRule(Policy &p, const Prefix &pre) {
  llvm::SMLoc start = loc(tok.text);
  size_t from = tok.text.data() - buf.data();
  size_t end = buf.find_first_of(",{}", from);
  if (end == llvm::StringRef::npos || buf[end] != ',') {
    syntaxHere("expected ',' after the 'set' rule");
    skipRule();
    return;
  }
  llvm::StringRef rule = buf.slice(from, end);
  lex.reset(end + 1);
  advance();
  llvm::SMRange r = rangeFrom(pre.any() ? pre.start : start);
  llvm::StringRef rest = rule.drop_front(3).ltrim(" \t\r\n");
  if (!rest.consume_front("rlimit") || rest.empty() ||
      !llvm::StringRef(" \t\r\n").contains(rest.front())) {
    syntax(r, "expected 'rlimit' after 'set'");
    return;
  }
  rest = rest.ltrim(" \t\r\n");
  llvm::StringRef name = rest.take_until([](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '<';
  });
  rest = rest.drop_front(name.size()).ltrim(" \t\r\n");
  if (!rest.consume_front("<=")) {
    syntax(r, "expected '<=' after 'set rlimit " + name.str() + "'");
    return;
  }
  llvm::StringRef value = rest.trim(" \t\r\n");
  if (pre.any()) {
    syntax(r, "'set rlimit' takes no qualifiers");
    return;
  }
  std::optional<kb::RlimitKind> kind = kb::lookupRlimit(name);
  if (!kind) {
    syntax(r, "unknown rlimit resource '" + name.str() + "'");
    return;
  }
  std::string want;
  if (!kb::isRlimitValue(*kind, value, want)) {
    diags.reportRange(DiagID::err_aa_unsupported, r, "this 'set rlimit' rule",
                      "'limit " + name.str() + "' takes " + want +
                          ", not '" + value.str() + "', and the profile "
                          "would lose a restriction without it");
    return;
  }
  p.limits.push_back({"limit " + name.str() + " " + value.str(),
                      lineOf(r.Start)});
}

/// change_profile [safe|unsafe] [EXEC-COND] [-> PROFILE] ,   the policy's
/// `may change profile to PROFILE` (no target: `any`); an exec condition or
/// mode, or a target the language cannot name, is a problem for
/// finishPeers.
void Importer::importChangeProfileRule(Policy &p, const Prefix &pre) {
  advance(); // change_profile
  std::string problem, peer = "any";
  if (tok.kind == TokKind::Word && (tok.text == "safe" || tok.text == "unsafe")) {
    problem = "exec modes ('" + tok.text.str() +
              "') are not supported by the policy language";
    advance();
  }
  // The exec condition and the target are globs, variables or namespaced
  // names (`:ns:profile`) that the lexer may split: each is the source text
  // up to '->' (the condition) or ',' (the target).
  auto spanTo = [&](llvm::ArrayRef<TokKind> ends) {
    const char *begin = tok.text.data(), *end = begin;
    while (!llvm::is_contained(ends, tok.kind) && tok.kind != TokKind::Eof &&
           tok.kind != TokKind::RBrace && tok.kind != TokKind::LBrace) {
      end = tok.text.data() + tok.text.size();
      advance();
    }
    return llvm::StringRef(begin, end - begin);
  };
  llvm::StringRef cond = spanTo({TokKind::Arrow, TokKind::Comma});
  // The exec condition is a path: `on exec PATH`.
  std::string onExec;
  if (!cond.empty()) {
    PathResult pr = importPath(cond);
    if (!pr.problem.empty() && problem.empty())
      problem = "the exec condition '" + cond.str() + "': " + pr.problem;
    onExec = pr.polc;
  }
  if (tok.kind == TokKind::Arrow) {
    advance();
    llvm::StringRef target = spanTo({TokKind::Comma});
    if (target.empty()) {
      syntaxHere("expected a profile name after '->', found " + describe(tok));
      skipRule();
      return;
    }
    std::string targetProblem;
    peer = peerSpelling(target, targetProblem);
    if (problem.empty())
      problem = targetProblem;
  }
  if (!expectComma("the change_profile rule"))
    return;
  llvm::SMRange r = rangeFrom(pre.start);
  if (!qualifiersApply(pre, r, "change_profile"))
    return;
  p.peerRules.push_back(
      {pre.deny, false, true, 0, peer, problem, r, pre.audit, onExec});
}

void Importer::importPeerRule(Policy &p, const Prefix &pre) {
  bool isPtrace = tok.text == "ptrace";
  std::string cls = tok.text.str();
  advance();
  unsigned perms = 0;
  bool ok = true, sawAccess = false;
  std::string problem;
  auto addPerm = [&](llvm::StringRef w) {
    unsigned bits = 0;
    if (!isPtrace)
      bits = llvm::StringSwitch<unsigned>(w)
                 .Case("send", SigSend).Case("w", SigSend)
                 .Case("write", SigSend)
                 .Case("receive", SigReceive).Case("r", SigReceive)
                 .Case("read", SigReceive)
                 .Case("rw", SigSend | SigReceive)
                 .Default(0);
    else
      bits = llvm::StringSwitch<unsigned>(w)
                 .Case("trace", PtTrace).Case("w", PtTrace)
                 .Case("write", PtTrace)
                 .Case("read", PtRead).Case("r", PtRead)
                 .Case("rw", PtTrace | PtRead)
                 .Case("tracedby", PtTracedBy).Case("readby", PtReadBy)
                 .Default(0);
    if (!bits) {
      syntaxHere("unknown " + cls + " permission " + describe(tok));
      ok = false;
    }
    perms |= bits;
    sawAccess = true;
  };
  auto isOption = [&]() {
    if (tok.kind != TokKind::Word || (tok.text != "peer" && tok.text != "set"))
      return false;
    size_t save = lex.offset();
    Token next = lex.next();
    lex.reset(save);
    return next.kind == TokKind::Equal;
  };
  if (tok.kind == TokKind::LParen) {
    advance();
    while (tok.kind == TokKind::Word || tok.kind == TokKind::Comma) {
      if (tok.kind == TokKind::Word)
        addPerm(tok.text);
      advance();
    }
    if (tok.kind != TokKind::RParen) {
      syntaxHere("expected ')' to close the " + cls + " permissions, found " +
                 describe(tok));
      skipRule();
      return;
    }
    advance();
  } else if (tok.kind == TokKind::Word && !isOption()) {
    addPerm(tok.text);
    advance();
  }
  std::string peer = "any";
  bool sawPeer = false;
  while (isOption()) {
    llvm::StringRef opt = tok.text;
    advance(); // the option
    advance(); // '='
    if (opt == "set") {
      problem = "signal sets ('set=') are not supported by the policy "
                "language";
      if (tok.kind == TokKind::LParen) {
        while (tok.kind != TokKind::RParen && tok.kind != TokKind::Eof &&
               tok.kind != TokKind::RBrace)
          advance();
      }
      if (tok.kind != TokKind::Comma && tok.kind != TokKind::RBrace)
        advance();
      continue;
    }
    if (tok.kind != TokKind::Word && tok.kind != TokKind::Path &&
        tok.kind != TokKind::String) {
      problem = "this peer is not supported by the policy language";
      break;
    }
    if (sawPeer) {
      syntax(range(opt), "a " + cls + " rule names one 'peer='");
      ok = false;
    }
    sawPeer = true;
    llvm::StringRef v = tok.text;
    advance();
    peer = peerSpelling(v, problem);
  }
  if (tok.kind != TokKind::Comma) {
    if (ok)
      problem = "this rule's options are not supported by the policy "
                "language";
    skipRule();
  } else {
    advance();
  }
  llvm::SMRange r = rangeFrom(pre.start);
  if (!ok)
    return;
  if (!qualifiersApply(pre, r, cls))
    return;
  if (!sawAccess)
    perms = isPtrace ? (PtTrace | PtRead | PtTracedBy | PtReadBy)
                     : (SigSend | SigReceive);
  p.peerRules.push_back(
      {pre.deny, isPtrace, false, perms, peer, problem, r, pre.audit});
}

/// The peer intents for the signal and ptrace rules. A grant polc cannot
/// say exactly is left out, or the part of it that cannot be said (polc's
/// `may trace` holds read too; a grant to the profile itself holds both
/// halves); a denial is imported, widened when it must be; a denial whose
/// peer polc cannot say fails the import once the policy grants anything of
/// its class, and is left out otherwise.
void Importer::finishPeers(Policy &p) {
  bool grantsSignal = false, grantsPtrace = false, grantsChange = false;
  auto ruleName = [](const Policy::PeerRule &pr) {
    return std::string("this '") +
           (pr.changeProfile ? "change_profile"
            : pr.ptrace      ? "ptrace"
                             : "signal") +
           "' rule";
  };
  // `self` is the policy's profile, which the import renames when the
  // AppArmor name is no identifier: @{profile_name} named the old name.
  for (Policy::PeerRule &pr : p.peerRules)
    if (pr.peer == "self" && pr.problem.empty() && p.aaName != p.name)
      pr.problem = "'@{profile_name}' is '" + p.aaName +
                   "', and the policy's profile is named '" + p.name + "'";
  auto emit = [&](bool deny, llvm::StringRef verb, const std::string &peer,
                  llvm::SMRange r, bool audit) {
    p.peers.push_back({std::string(deny ? "may not " : "may ") +
                           (audit ? "audit " : "") + verb.str() + " " + peer,
                       lineOf(r.Start)});
  };
  for (const Policy::PeerRule &pr : p.peerRules) {
    std::string what = ruleName(pr);
    if (!pr.problem.empty() || pr.deny)
      continue;
    if (pr.changeProfile) {
      emit(false, "change profile to",
           pr.onExec.empty() ? pr.peer : pr.peer + " on exec " + pr.onExec,
           pr.range, pr.audit);
      grantsChange = true;
      continue;
    }
    bool self = pr.peer == "self" || pr.peer == p.name;
    unsigned got = 0; // the permissions the statements grant
    if (!pr.ptrace) {
      if (self) {
        if (pr.perms == (SigSend | SigReceive)) {
          emit(false, "signal", pr.peer, pr.range, pr.audit);
          got = pr.perms;
        }
      } else {
        if (pr.perms & SigSend)
          emit(false, "signal", pr.peer, pr.range, pr.audit);
        if (pr.perms & SigReceive)
          emit(false, "be signalled by", pr.peer, pr.range, pr.audit);
        got = pr.perms;
      }
      grantsSignal |= got != 0;
    } else {
      const unsigned all = PtTrace | PtRead | PtTracedBy | PtReadBy;
      if (self) {
        if (pr.perms == all) {
          emit(false, "trace", pr.peer, pr.range, pr.audit);
          got = all;
        } else if ((pr.perms & (PtRead | PtReadBy)) == (PtRead | PtReadBy)) {
          emit(false, "inspect", pr.peer, pr.range, pr.audit);
          got = PtRead | PtReadBy;
        }
      } else {
        if ((pr.perms & (PtTrace | PtRead)) == (PtTrace | PtRead)) {
          emit(false, "trace", pr.peer, pr.range, pr.audit);
          got |= PtTrace | PtRead;
        } else if (pr.perms & PtRead) {
          emit(false, "inspect", pr.peer, pr.range, pr.audit);
          got |= PtRead;
        }
        if ((pr.perms & (PtTracedBy | PtReadBy)) == (PtTracedBy | PtReadBy)) {
          emit(false, "be traced by", pr.peer, pr.range, pr.audit);
          got |= PtTracedBy | PtReadBy;
        } else if (pr.perms & PtReadBy) {
          emit(false, "be inspected by", pr.peer, pr.range, pr.audit);
          got |= PtReadBy;
        }
      }
      grantsPtrace |= got != 0;
    }
    if (got != pr.perms)
      diags.reportRange(
          DiagID::warn_aa_dropped, pr.range,
          got ? "part of " + what : what,
          self ? "the policy language grants the profile itself both "
                 "halves of a signal or trace ('may signal self', "
                 "'may trace self', 'may inspect self')"
          : pr.ptrace
              ? "the policy language grants 'trace' with 'read' and "
                "'tracedby' with 'readby'"
              : "the policy language cannot say it");
  }
  for (const Policy::PeerRule &pr : p.peerRules) {
    std::string what = ruleName(pr);
    if (!pr.problem.empty()) {
      bool granted = pr.changeProfile ? grantsChange
                     : pr.ptrace      ? grantsPtrace
                                      : grantsSignal;
      if (pr.deny && granted)
        diags.reportRange(DiagID::err_aa_unsupported, pr.range, what,
                          pr.problem + ", and leaving the denial out would "
                                       "grant what it denies");
      else
        diags.reportRange(DiagID::warn_aa_dropped, pr.range, what,
                          pr.problem + (pr.deny
                                            ? " (the policy grants none of "
                                              "them)"
                                            : ""));
      continue;
    }
    if (!pr.deny)
      continue;
    if (pr.changeProfile) {
      emit(true, "change profile to",
           pr.onExec.empty() ? pr.peer : pr.peer + " on exec " + pr.onExec,
           pr.range, pr.audit);
      continue;
    }
    unsigned want = pr.perms, got = 0;
    std::vector<std::string> verbs;
    if (!pr.ptrace) {
      if (want & SigSend)
        verbs.push_back("signal");
      if (want & SigReceive)
        verbs.push_back("be signalled by");
      got = want;
    } else {
      if (want & (PtTrace | PtRead)) {
        verbs.push_back(want & PtTrace ? "trace" : "inspect");
        got |= want & PtTrace ? PtTrace | PtRead : PtRead;
      }
      if (want & (PtTracedBy | PtReadBy)) {
        verbs.push_back(want & PtTracedBy ? "be traced by" : "be inspected by");
        got |= want & PtTracedBy ? PtTracedBy | PtReadBy : PtReadBy;
      }
    }
    std::vector<std::string> stmts;
    for (const std::string &v : verbs) {
      emit(true, v, pr.peer, pr.range, pr.audit);
      stmts.push_back("'may not " + v + " " + pr.peer + "'");
    }
    if (got != want)
      diags.reportRange(DiagID::warn_aa_widened, pr.range, "this ptrace denial",
                        llvm::join(stmts, " and "),
                        "the policy language denies 'read' with 'trace' and "
                        "'readby' with 'tracedby'");
  }
}

void Importer::importUnsupportedRule(const UnsupportedRule &u,
                                     const Prefix &pre) {
  skipRule();
  llvm::SMRange r = rangeFrom(pre.start);
  if (pre.deny && !u.denySafe)
    diags.reportRange(DiagID::err_aa_unsupported, r, u.what.str(),
                      "the policy language has no such rule, and leaving "
                      "the denial out would grant what it denies");
  else if (!pre.deny && !u.denySafe && u.keyword != "unix")
    diags.reportRange(DiagID::err_aa_unsupported, r, u.what.str(),
                      "the policy language has no such rule, and the "
                      "profile would lose a restriction without it");
  else
    diags.reportRange(DiagID::warn_aa_dropped, r, u.what.str(),
                      "the policy language has no such rule (the policy "
                      "grants none of them)");
}

void Importer::importChildProfile(const Prefix &pre) {
  llvm::SMLoc start = loc(tok.text);
  // Skip the header to its '{', then the block.
  while (tok.kind != TokKind::LBrace && tok.kind != TokKind::Eof &&
         tok.kind != TokKind::Comma && tok.kind != TokKind::RBrace)
    advance();
  if (tok.kind == TokKind::Comma) {
    // "profile foo," is not valid; "hat foo," neither.
    syntax({start, loc(tok.text)}, "expected '{' to open the child profile");
    advance();
    return;
  }
  skipRule();
  (void)pre;
  diags.reportRange(DiagID::warn_aa_dropped,
                    {start, llvm::SMLoc::getFromPointer(start.getPointer() + 1)},
                    "this child profile",
                    "the policy language has no child profiles or hats, so "
                    "the transition to it fails");
}

void Importer::print(llvm::raw_ostream &out) {
  llvm::StringRef file = llvm::sys::path::filename(
      sm.getMemoryBuffer(sm.getMainFileID())->getBufferIdentifier());
  out << "# Imported by 'polc import' from the AppArmor profile text in "
      << file << ".\n"
      << "# AppArmor says nothing about system calls: each policy's "
         "'default allow'\n"
      << "# keeps its seccomp filter from refusing what the profile "
         "allowed; tighten it.\n";
  for (const Policy &p : policies) {
    // A quoted name may hold a newline: the comment stays one line.
    std::string shown;
    for (char c : p.aaName) {
      unsigned char u = static_cast<unsigned char>(c);
      if (u < 0x20 || u == 0x7f) {
        shown += '\\';
        shown += static_cast<char>('0' + ((u >> 6) & 7));
        shown += static_cast<char>('0' + ((u >> 3) & 7));
        shown += static_cast<char>('0' + (u & 7));
      } else {
        shown += c;
      }
    }
    out << "\n# AppArmor profile: " << shown << "\n";
    if (p.attachByName && p.attach)
      out << "# (attached by its name)\n";
    out << "policy " << p.name << " {\n";
    if (p.attach)
      out << "  attach " << *p.attach << "\n";
    out << "  default allow\n";
    auto section = [&](const std::vector<Stmt> &stmts) {
      if (stmts.empty())
        return;
      out << "\n";
      for (const Stmt &s : stmts)
        out << "  " << s.text << "  # " << file << ":" << s.line << "\n";
    };
    section(p.uses);
    section(p.limits);
    section(p.caps);
    section(p.net);
    section(p.files);
    section(p.peers);
    out << "}\n";
  }
}

} // namespace

bool import::looksLikeAppArmor(llvm::StringRef text) {
  text = text.ltrim(" \t\r\n");
  return !(text.startswith("{") || text.startswith("["));
}

bool import::importAppArmorProfile(llvm::SourceMgr &sm,
                                   DiagnosticEngine &diags,
                                   const AppArmorImportOptions &opts,
                                   llvm::raw_ostream &out) {
  Importer imp(sm, diags, opts);
  return imp.run(out);
}
