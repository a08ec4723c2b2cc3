//===- Diagnostics.cpp ----------------------------------------------------===//
#include "polc/Support/Diagnostics.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include <algorithm>

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
  // SARIF keeps every result: a review tool shows them all.
  if (sarif) {
    Recorded r;
    r.ruleId = info.name.str();
    r.level = kind == llvm::SourceMgr::DK_Error     ? "error"
              : kind == llvm::SourceMgr::DK_Warning ? "warning"
                                                    : "note";
    r.message = text;
    if (loc.isValid()) {
      unsigned buf = sm.FindBufferContainingLoc(loc);
      r.file = sm.getMemoryBuffer(buf)->getBufferIdentifier().str();
      std::tie(r.line, r.column) = sm.getLineAndColumn(loc, buf);
    }
    recorded.push_back(std::move(r));
    return;
  }
  if (kind != llvm::SourceMgr::DK_Note) {
    bool isError = kind == llvm::SourceMgr::DK_Error;
    unsigned &shown = isError ? shownErrors : shownWarnings;
    if (shown >= MaxShownPerLevel) {
      lastSuppressed = true; // and its notes
      if (shown++ == MaxShownPerLevel) {
        const DiagInfo &limit = getDiagInfo(DiagID::note_diagnostic_limit);
        llvm::SMDiagnostic("polc", llvm::SourceMgr::DK_Note,
                           llvm::formatv(limit.format.data(), MaxShownPerLevel,
                                         isError ? "error" : "warning")
                               .str())
            .print(nullptr, os);
      }
      return;
    }
    ++shown;
  }
  print(loc, kind, text, range);
}

void DiagnosticEngine::print(llvm::SMLoc loc, llvm::SourceMgr::DiagKind kind,
                             const std::string &text, llvm::SMRange range) {
  if (!loc.isValid()) {
    llvm::SMDiagnostic("polc", kind, text).print(nullptr, os);
    return;
  }
  llvm::SmallVector<llvm::SMRange, 1> ranges;
  if (range.isValid() && range.Start != range.End)
    ranges.push_back(range);
  unsigned bufID = sm.FindBufferContainingLoc(loc);
  if (bufID == 0) {
    sm.PrintMessage(os, loc, kind, text, ranges);
    return;
  }
  const llvm::MemoryBuffer *buf = sm.getMemoryBuffer(bufID);
  const char *bufStart = buf->getBufferStart(), *bufEnd = buf->getBufferEnd();
  const char *at = loc.getPointer();
  const char *lineStart = at, *lineEnd = at;
  while (lineStart != bufStart && lineStart[-1] != '\n' && lineStart[-1] != '\r')
    --lineStart;
  while (lineEnd != bufEnd && *lineEnd != '\n' && *lineEnd != '\r')
    ++lineEnd;
  size_t lineLen = lineEnd - lineStart;
  if (lineLen <= MaxShownLine) {
    sm.PrintMessage(os, loc, kind, text, ranges);
    return;
  }
  // A window of the line around the caret, '...' marking what is cut.
  size_t col = at - lineStart;
  size_t from = col > MaxShownLine / 2 ? col - MaxShownLine / 2 : 0;
  size_t to = std::min(lineLen, from + MaxShownLine);
  std::string prefix = from ? "..." : "";
  std::string shown = prefix + std::string(lineStart + from, lineStart + to) +
                      (to < lineLen ? "..." : "");
  auto shownCol = [&](const char *p) -> unsigned {
    size_t c = std::clamp<size_t>(p - lineStart, from, to);
    return c - from + prefix.size();
  };
  llvm::SmallVector<std::pair<unsigned, unsigned>, 1> cols;
  for (llvm::SMRange r : ranges)
    if (r.Start.getPointer() < lineEnd && r.End.getPointer() > lineStart)
      cols.push_back({shownCol(r.Start.getPointer()), shownCol(r.End.getPointer())});
  unsigned line = sm.getLineAndColumn(loc, bufID).first;
  // SMDiagnostic prints the caret at the column it names: render it with the
  // window's column, then put the real column back into the header.
  unsigned caretCol = shownCol(at);
  llvm::SMDiagnostic diag(sm, loc, buf->getBufferIdentifier(), line,
                          static_cast<int>(caretCol), kind, text, shown, cols);
  std::string out;
  llvm::raw_string_ostream rendered(out);
  sm.PrintMessage(rendered, diag, /*ShowColors=*/false);
  rendered.flush();
  std::string header = llvm::formatv("{0}:{1}:{2}: ", buf->getBufferIdentifier(),
                                     line, caretCol + 1);
  size_t h = out.find(header);
  if (h != std::string::npos)
    out.replace(h, header.size(),
                llvm::formatv("{0}:{1}:{2}: ", buf->getBufferIdentifier(), line,
                              col + 1)
                    .str());
  os << out;
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

void DiagnosticEngine::writeSarif(llvm::raw_ostream &out) const {
  namespace json = llvm::json;
  json::Array results;
  std::vector<std::string> ruleIds;
  for (const Recorded &r : recorded) {
    json::Object result{{"ruleId", r.ruleId},
                        {"level", r.level},
                        {"message", json::Object{{"text", r.message}}}};
    if (!r.file.empty())
      result["locations"] = json::Array{json::Object{
          {"physicalLocation",
           json::Object{{"artifactLocation", json::Object{{"uri", r.file}}},
                        {"region", json::Object{{"startLine", r.line},
                                                {"startColumn", r.column}}}}}}};
    results.push_back(std::move(result));
    if (!llvm::is_contained(ruleIds, r.ruleId))
      ruleIds.push_back(r.ruleId);
  }
  llvm::sort(ruleIds);
  json::Array rules;
  for (const std::string &id : ruleIds)
    rules.push_back(json::Object{{"id", id}});
  json::Object log{
      {"version", "2.1.0"},
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"runs",
       json::Array{json::Object{
           {"tool", json::Object{{"driver", json::Object{{"name", "polc"},
                                                         {"rules", std::move(rules)}}}}},
           {"results", std::move(results)}}}}};
  out << llvm::formatv("{0:2}", json::Value(std::move(log))) << "\n";
}
