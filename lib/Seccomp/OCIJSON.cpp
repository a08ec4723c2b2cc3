//===- OCIJSON.cpp - seccomp::Program to OCI JSON -------------------------===//
#include "polc/Seccomp/OCIJSON.h"

#include "llvm/ADT/STLExtras.h"

#include <map>
#include <set>

using namespace polc;
using namespace polc::seccomp;

llvm::StringRef seccomp::getOCIActionName(const ir::Action &action) {
  switch (action.kind) {
  case ir::Action::Kind::Allow: return "SCMP_ACT_ALLOW";
  case ir::Action::Kind::Log: return "SCMP_ACT_LOG";
  case ir::Action::Kind::Errno: return "SCMP_ACT_ERRNO";
  case ir::Action::Kind::Trap: return "SCMP_ACT_TRAP";
  case ir::Action::Kind::KillThread: return "SCMP_ACT_KILL_THREAD";
  // SCMP_ACT_KILL is kill-thread in OCI; policy `kill` is the process.
  case ir::Action::Kind::KillProcess: return "SCMP_ACT_KILL_PROCESS";
  }
  return "";
}

llvm::json::Value seccomp::toOCIJSON(const Program &program) {
  llvm::json::Object root;
  root["defaultAction"] = getOCIActionName(program.defaultAction);
  if (program.defaultAction.kind == ir::Action::Kind::Errno)
    root["defaultErrnoRet"] = program.defaultAction.errnoValue;
  llvm::json::Array arches;
  for (const ArchSection &s : program.sections)
    arches.push_back(kb::getArchInfo(s.arch).ociName);
  root["architectures"] = std::move(arches);

  // OCI names a syscall once for every listed arch; group names by action,
  // actions in precedence order, names sorted.
  std::map<std::pair<int, unsigned>, std::pair<ir::Action, std::set<std::string>>>
      byAction;
  for (const ArchSection &s : program.sections)
    for (const Rule &r : s.rules) {
      auto &entry = byAction[{static_cast<int>(r.action.kind),
                              r.action.errnoValue}];
      entry.first = r.action;
      entry.second.insert(r.name);
    }
  llvm::json::Array syscalls;
  for (auto &[key, entry] : byAction) {
    llvm::json::Object o;
    llvm::json::Array names;
    for (const std::string &n : entry.second)
      names.push_back(n);
    o["names"] = std::move(names);
    o["action"] = getOCIActionName(entry.first);
    if (entry.first.kind == ir::Action::Kind::Errno)
      o["errnoRet"] = entry.first.errnoValue;
    syscalls.push_back(std::move(o));
  }
  root["syscalls"] = std::move(syscalls);
  return llvm::json::Value(std::move(root));
}
