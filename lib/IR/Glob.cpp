//===- Glob.cpp -----------------------------------------------------------===//
#include "polc/IR/Glob.h"

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

bool ir::globCovers(llvm::StringRef outer, llvm::StringRef inner) {
  if (outer == inner)
    return true;
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
