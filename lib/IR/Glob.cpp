//===- Glob.cpp -----------------------------------------------------------===//
#include "polc/IR/Glob.h"

#include <string>
#include <vector>

using namespace polc;

bool ir::hasGlobChars(llvm::StringRef s) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
      continue;
    }
    if (s[i] == '*' || s[i] == '?' || s[i] == '[' || s[i] == '{')
      return true;
  }
  return false;
}

namespace {
/// Does AppArmor glob \p g match the literal path \p s (unescaped)?
/// `*` and `?` stay within a component, `**` crosses '/', `[...]` is a
/// class (`^` negates), `{a,b}` alternation; `\x` is x. As in
/// apparmor_parser, a `*` or `**` right after a '/' matches at least one
/// character, not a '/' (`/srv/**` is not `/srv/` itself, pitfalls A2).
bool matches(llvm::StringRef g, llvm::StringRef s, bool afterSlash = false) {
  while (!g.empty()) {
    char c = g.front();
    if (c == '\\' && g.size() > 1) {
      if (s.empty() || s.front() != g[1])
        return false;
      g = g.drop_front(2);
      s = s.drop_front();
      afterSlash = false;
      continue;
    }
    if (c == '*') {
      bool deep = g.startswith("**");
      llvm::StringRef rest = g.drop_front(deep ? 2 : 1);
      size_t first = afterSlash ? 1 : 0;
      if (afterSlash && (s.empty() || s.front() == '/'))
        return false;
      for (size_t i = first; i <= s.size(); ++i) {
        if (matches(rest, s.drop_front(i)))
          return true;
        if (i < s.size() && s[i] == '/' && !deep)
          return false;
      }
      return false;
    }
    if (c == '?') {
      if (s.empty() || s.front() == '/')
        return false;
      g = g.drop_front();
      s = s.drop_front();
      afterSlash = false;
      continue;
    }
    if (c == '[') {
      size_t end = g.find(']', 2);
      if (end == llvm::StringRef::npos || s.empty() || s.front() == '/')
        return false;
      llvm::StringRef cls = g.slice(1, end);
      bool negate = cls.consume_front("^");
      bool in = false;
      for (size_t i = 0; i < cls.size(); ++i) {
        if (i + 2 < cls.size() && cls[i + 1] == '-') {
          in |= s.front() >= cls[i] && s.front() <= cls[i + 2];
          i += 2;
        } else {
          in |= s.front() == cls[i];
        }
      }
      if (in == negate)
        return false;
      g = g.drop_front(end + 1);
      s = s.drop_front();
      afterSlash = false;
      continue;
    }
    if (c == '{') {
      // The alternatives at this level, each followed by the rest.
      int depth = 0;
      size_t start = 1, close = 0;
      std::vector<llvm::StringRef> alts;
      for (size_t i = 0; i < g.size(); ++i) {
        if (g[i] == '\\') {
          ++i;
          continue;
        }
        if (g[i] == '{')
          ++depth;
        else if (g[i] == '}' && --depth == 0) {
          alts.push_back(g.slice(start, i));
          close = i;
          break;
        } else if (g[i] == ',' && depth == 1) {
          alts.push_back(g.slice(start, i));
          start = i + 1;
        }
      }
      if (!close)
        return false;
      llvm::StringRef rest = g.drop_front(close + 1);
      for (llvm::StringRef alt : alts)
        if (matches(alt.str() + rest.str(), s, afterSlash))
          return true;
      return false;
    }
    if (s.empty() || s.front() != c)
      return false;
    g = g.drop_front();
    s = s.drop_front();
    afterSlash = c == '/';
  }
  return s.empty();
}

std::string unescape(llvm::StringRef s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size())
      ++i;
    out += s[i];
  }
  return out;
}
} // namespace

bool ir::globCovers(llvm::StringRef outer, llvm::StringRef inner) {
  if (outer == inner)
    return true;
  // A literal path: whether the glob matches it.
  if (!hasGlobChars(inner))
    return matches(outer, unescape(inner));
  if (outer.endswith("/**")) {
    llvm::StringRef prefix = outer.drop_back(2); // keeps the '/'
    if (hasGlobChars(prefix) || prefix.endswith("\\/"))
      return false;
    // `P/**` matches anything below P/, however deep, but not P/ itself.
    return inner.startswith(prefix) && inner.size() > prefix.size();
  }
  if (outer.endswith("/*")) {
    llvm::StringRef prefix = outer.drop_back(1);
    if (hasGlobChars(prefix) || !inner.startswith(prefix))
      return false;
    llvm::StringRef rest = inner.drop_front(prefix.size());
    // One non-empty component, with no glob that could reach past a '/'.
    if (rest.empty() || rest.contains('/') || rest.contains("**") ||
        rest.contains('{') || rest.contains('[') || rest.contains('\\'))
      return false;
    return rest != "*" || outer == inner;
  }
  return false;
}
