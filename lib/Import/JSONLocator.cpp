//===- JSONLocator.cpp ----------------------------------------------------===//
#include "JSONLocator.h"

#include "llvm/Support/JSON.h"

using namespace polc::import;

namespace {

/// A cursor over valid JSON (llvm::json::parse has accepted the text).
class Scanner {
public:
  explicit Scanner(llvm::StringRef text) : text(text) {}

  size_t locate(llvm::ArrayRef<PathStep> path) {
    skipSpace();
    for (const PathStep &step : path) {
      size_t here = pos;
      if (!enter(step)) {
        pos = here;
        break;
      }
      skipSpace();
    }
    return pos;
  }

private:
  bool at(char c) const { return pos < text.size() && text[pos] == c; }
  void skipSpace() {
    while (pos < text.size() && llvm::StringRef(" \t\r\n").contains(text[pos]))
      ++pos;
  }
  /// A string at pos; returns its decoded content (escapes matter only for
  /// comparing keys, and keys polc looks for are plain ASCII).
  std::string string() {
    std::string out;
    ++pos; // opening quote
    while (pos < text.size() && text[pos] != '"') {
      if (text[pos] == '\\')
        ++pos;
      if (pos < text.size())
        out += text[pos++];
    }
    ++pos; // closing quote
    return out;
  }
  void skipValue() {
    skipSpace();
    if (at('"')) {
      string();
      return;
    }
    if (at('{') || at('[')) {
      int depth = 0;
      do {
        if (at('"')) {
          string();
          continue;
        }
        if (at('{') || at('['))
          ++depth;
        else if (at('}') || at(']'))
          --depth;
        ++pos;
      } while (depth > 0 && pos < text.size());
      return;
    }
    while (pos < text.size() && !llvm::StringRef(",}] \t\r\n").contains(text[pos]))
      ++pos;
  }
  /// Moves to the value \p step names inside the value at pos.
  bool enter(const PathStep &step) {
    if (const std::string *key = std::get_if<std::string>(&step)) {
      if (!at('{'))
        return false;
      ++pos;
      for (;;) {
        skipSpace();
        if (!at('"'))
          return false;
        std::string k = string();
        skipSpace();
        ++pos; // ':'
        skipSpace();
        if (k == *key)
          return true;
        skipValue();
        skipSpace();
        if (!at(','))
          return false;
        ++pos;
      }
    }
    size_t index = std::get<size_t>(step);
    if (!at('['))
      return false;
    ++pos;
    for (size_t i = 0;; ++i) {
      skipSpace();
      if (at(']'))
        return false;
      if (i == index)
        return true;
      skipValue();
      skipSpace();
      if (!at(','))
        return false;
      ++pos;
    }
  }

  llvm::StringRef text;
  size_t pos = 0;
};

} // namespace

size_t polc::import::locateJSON(llvm::StringRef text,
                                llvm::ArrayRef<PathStep> path) {
  return Scanner(text).locate(path);
}
