//===- Diagnostics.cpp ----------------------------------------------------===//
#include "polc/Support/Diagnostics.h"

using namespace polc;

static const DiagInfo diagInfos[] = {
#define DIAG(ID, LEVEL, FLAG, FORMAT)                                          \
  {#ID, DiagLevel::LEVEL, FLAG, FORMAT},
#include "polc/Support/DiagnosticKinds.def"
};

const DiagInfo &polc::getDiagInfo(DiagID id) {
  return diagInfos[static_cast<unsigned>(id)];
}

llvm::ArrayRef<DiagInfo> polc::getAllDiagInfos() { return diagInfos; }

bool DiagnosticEngine::applyWarningOption(llvm::StringRef option) {
  if (option == "error") {
    allWarningsAsErrors = true;
    return true;
  }
  bool enable = true;
  bool asError = false;
  if (option.consume_front("no-"))
    enable = false;
  else if (option.consume_front("error="))
    asError = true;
  bool known = false;
  for (const DiagInfo &info : diagInfos)
    known |= info.level == DiagLevel::Warning && info.flag == option;
  if (!known)
    return false;
  if (asError)
    promoted[option] = true;
  else
    disabled[option] = !enable;
  return true;
}

void DiagnosticEngine::reportFormatted(DiagID id, llvm::SMLoc loc,
                                       llvm::SMRange range,
                                       const std::string &message) {
  const DiagInfo &info = getDiagInfo(id);
  llvm::SourceMgr::DiagKind kind = llvm::SourceMgr::DK_Note;
  std::string text = message;
  switch (info.level) {
  case DiagLevel::Note:
    if (lastSuppressed)
      return;
    break;
  case DiagLevel::Error:
    kind = llvm::SourceMgr::DK_Error;
    ++numErrors;
    lastSuppressed = false;
    break;
  case DiagLevel::Warning: {
    lastSuppressed = disabled.lookup(info.flag);
    if (lastSuppressed)
      return;
    bool asError = allWarningsAsErrors || promoted.lookup(info.flag);
    kind = asError ? llvm::SourceMgr::DK_Error : llvm::SourceMgr::DK_Warning;
    text += (asError ? " [-Werror," : " [") + std::string("-W") +
            info.flag.str() + "]";
    if (asError)
      ++numErrors;
    else
      ++numWarnings;
    break;
  }
  }
  if (!loc.isValid()) {
    llvm::SMDiagnostic("polc", kind, text).print(nullptr, os);
    return;
  }
  llvm::SmallVector<llvm::SMRange, 1> ranges;
  if (range.isValid() && range.Start != range.End)
    ranges.push_back(range);
  sm.PrintMessage(os, loc, kind, text, ranges);
}

void DiagnosticEngine::reportWithArgs(DiagID id, llvm::SMRange range,
                                      llvm::ArrayRef<std::string> args) {
  std::string msg = getDiagInfo(id).format.str();
  for (size_t i = 0; i < args.size(); ++i) {
    std::string ph = "{" + std::to_string(i) + "}";
    for (size_t at = 0; (at = msg.find(ph, at)) != std::string::npos;
         at += args[i].size())
      msg.replace(at, ph.size(), args[i]);
  }
  reportFormatted(id, range.Start, range, msg);
}

llvm::StringRef polc::closestMatch(llvm::StringRef name,
                                   llvm::ArrayRef<llvm::StringRef> candidates) {
  // Two edits for short names: a swapped pair of letters costs two.
  unsigned maxDist = std::max<unsigned>(1, (name.size() + 3) / 3);
  llvm::StringRef best;
  unsigned bestDist = maxDist + 1;
  for (llvm::StringRef c : candidates) {
    unsigned d = name.edit_distance(c, /*AllowReplacements=*/true, maxDist);
    if (d < bestDist || (d == bestDist && !best.empty() && c < best)) {
      bestDist = d;
      best = c;
    }
  }
  return bestDist <= maxDist ? best : llvm::StringRef();
}

std::string polc::didYouMean(llvm::StringRef name,
                             llvm::ArrayRef<llvm::StringRef> candidates) {
  llvm::StringRef best = closestMatch(name, candidates);
  if (best.empty())
    return "";
  return ("; did you mean '" + best + "'?").str();
}
