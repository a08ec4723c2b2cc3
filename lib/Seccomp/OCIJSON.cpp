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
  case ir::Action::Kind::Trace: return "SCMP_ACT_TRACE";
  case ir::Action::Kind::Notify: return "SCMP_ACT_NOTIFY";
  case ir::Action::Kind::KillThread: return "SCMP_ACT_KILL_THREAD";
  // SCMP_ACT_KILL is kill-thread in OCI; policy `kill` is the process.
  case ir::Action::Kind::KillProcess: return "SCMP_ACT_KILL_PROCESS";
  }
  return "";
}

std::vector<std::pair<std::string, std::vector<kb::Arch>>>
seccomp::getJSONBaselineOmissions(const Program &program) {
  std::map<std::string, std::vector<kb::Arch>> newerOn;
  for (const ArchSection &s : program.sections)
    for (const Rule &r : s.rules)
      if (r.fromBaseline)
        newerOn[r.name].push_back(s.arch);
  std::vector<std::pair<std::string, std::vector<kb::Arch>>> out;
  for (auto &entry : newerOn) {
    // Not a structured binding: clang 14 (the fuzz build) cannot capture one.
    const std::string &name = entry.first;
    std::vector<kb::Arch> &arches = entry.second;
    bool everywhere = llvm::all_of(program.sections, [&](const ArchSection &s) {
      return llvm::is_contained(arches, s.arch) ||
             !kb::resolveSyscall(name, s.arch);
    });
    if (!everywhere)
      out.push_back({name, std::move(arches)});
  }
  return out;
}

namespace {
/// The rules the JSON leaves out: the baseline rules of
/// getJSONBaselineOmissions, and socket grants that cannot be narrowed on a
/// multiplexing arch (x86) when other arches have the narrowed form. That
/// form, one entry for every arch, is what the JSON says instead: a
/// runtime's libseccomp applies its conditions to x86's direct socket call
/// and lets socketcall(SYS_SOCKET) through, so x86 gets no more than the
/// unconditional grant would give it, and the other arches keep their
/// narrowing.
struct Omitted {
  std::set<std::string> names;
  std::set<std::pair<std::string, kb::Arch>> replaced;
  explicit Omitted(const Program &program) {
    for (auto &[name, arches] : getJSONBaselineOmissions(program))
      names.insert(name);
    std::map<std::string, std::map<kb::Arch, std::vector<const Rule *>>> byName;
    for (const ArchSection &s : program.sections)
      for (const Rule &r : s.rules)
        byName[r.name][s.arch].push_back(&r);
    for (const auto &[name, perArch] : byName) {
      std::vector<kb::Arch> standIns;
      std::vector<const Rule *> others;
      for (const auto &[arch, rules] : perArch) {
        if (llvm::all_of(rules, [](const Rule *r) { return r->unnarrowed; }))
          standIns.push_back(arch);
        else
          others.insert(others.end(), rules.begin(), rules.end());
      }
      // Only where every other rule grants as the stand-in does: a
      // conditional denial would reach x86's socketcall unfiltered.
      if (standIns.empty() || others.empty())
        continue;
      const ir::Action &grant = perArch.at(standIns.front()).front()->action;
      if (llvm::all_of(others, [&](const Rule *r) { return r->action == grant; }))
        for (kb::Arch a : standIns)
          replaced.insert({name, a});
    }
  }
  bool operator()(const Rule &r, kb::Arch arch) const {
    return (r.fromBaseline && names.count(r.name)) ||
           (r.unnarrowed && replaced.count({r.name, arch}));
  }
  /// Whether \p arch takes the other arches' entries for \p name.
  bool takesOthers(const std::string &name, kb::Arch arch) const {
    return replaced.count({name, arch}) > 0;
  }
};
} // namespace

llvm::Error seccomp::checkOCIExpressible(const Program &program) {
  Omitted omitted(program);
  auto traceValue = [](const ir::Action &a) {
    return a.kind == ir::Action::Kind::Trace ? a.traceValue : 0u;
  };
  unsigned traced = traceValue(program.defaultAction);
  for (const ArchSection &s : program.sections)
    for (const Rule &r : s.rules)
      if (!traced)
        traced = traceValue(r.action);
  if (traced)
    return llvm::createStringError(
        std::errc::invalid_argument,
        "'trace %u' cannot be written: OCI JSON has no field for the value a "
        "tracer receives; use 'trace 0' or emit only bpf",
        traced);
  // name -> (arch, its conditional rules as text), compared across arches.
  std::map<std::string, std::vector<std::pair<kb::Arch, std::set<std::string>>>>
      conditional;
  for (const ArchSection &s : program.sections) {
    std::map<std::string, std::set<std::string>> here;
    for (const Rule &r : s.rules)
      if (!omitted(r, s.arch))
        here[r.name].insert(r.cond.empty()
                              ? r.action.str()
                              : r.action.str() + " if " +
                                    ir::formatCondition(r.cond));
    for (auto &[name, rules] : here)
      conditional[name].push_back({s.arch, std::move(rules)});
  }
  // An arch where the syscall exists but has no rule counts too (a rule in
  // an `on` block, for one arch only), also where the arch makes it only
  // through socketcall/ipc: runtimes turn the name into the multiplexer's
  // rule there (semop on x86). Not where it takes the other arches'
  // narrowed socket grant.
  for (auto &[name, perArch] : conditional)
    for (const ArchSection &s : program.sections)
      if (llvm::none_of(perArch, [&](const auto &e) { return e.first == s.arch; }) &&
          kb::syscallExists(name, s.arch) && !omitted.takesOthers(name, s.arch))
        perArch.push_back({s.arch, {}});
  for (const auto &[name, perArch] : conditional)
    for (const auto &[arch, rules] : perArch)
      if (rules != perArch.front().second)
        return llvm::createStringError(
            std::errc::invalid_argument,
            "the rules for '%s' differ between %s and %s (an 'on' block, a "
            "per-arch constant or argument layout), and an OCI entry applies "
            "to every arch; write one policy per arch, or emit only bpf",
            name.c_str(),
            kb::getArchInfo(perArch.front().first).name.data(),
            kb::getArchInfo(arch).name.data());
  return llvm::Error::success();
}

namespace {
/// One `args` entry. MASKED_EQ takes the mask in `value` and the expected
/// bits in `valueTwo` (pitfalls S14). uint64 values are written exactly.
llvm::json::Object toOCIArg(const ir::ArgCmp &c) {
  llvm::json::Object a;
  a["index"] = c.arg;
  const char *op = "";
  switch (c.op) {
  case ir::ArgCmp::Op::EQ: op = "SCMP_CMP_EQ"; break;
  case ir::ArgCmp::Op::NE: op = "SCMP_CMP_NE"; break;
  case ir::ArgCmp::Op::LT: op = "SCMP_CMP_LT"; break;
  case ir::ArgCmp::Op::LE: op = "SCMP_CMP_LE"; break;
  case ir::ArgCmp::Op::GT: op = "SCMP_CMP_GT"; break;
  case ir::ArgCmp::Op::GE: op = "SCMP_CMP_GE"; break;
  case ir::ArgCmp::Op::MaskedEQ: op = "SCMP_CMP_MASKED_EQ"; break;
  }
  bool masked = c.op == ir::ArgCmp::Op::MaskedEQ;
  a["value"] = masked ? c.mask : c.value;
  a["valueTwo"] = masked ? c.value : uint64_t(0);
  a["op"] = op;
  return a;
}
} // namespace

llvm::json::Value seccomp::toOCIJSON(const Program &program) {
  llvm::json::Object root;
  root["defaultAction"] = getOCIActionName(program.defaultAction);
  if (program.defaultAction.kind == ir::Action::Kind::Errno)
    root["defaultErrnoRet"] = program.defaultAction.errnoValue;
  llvm::json::Array arches;
  for (const ArchSection &s : program.sections)
    arches.push_back(kb::getArchInfo(s.arch).ociName);
  root["architectures"] = std::move(arches);

  // OCI names a syscall once for every listed arch; group names by action
  // and argument comparisons, actions in precedence order, names sorted. A
  // condition that differs between arches (a per-arch constant or argument
  // layout) cannot be one OCI entry for them all: such conditions are
  // emitted as they are for the first arch that has them, which holds for
  // polc's arches as long as they agree; TODO when they do not.
  using CondKey = std::vector<std::tuple<unsigned, int, uint64_t, uint64_t>>;
  std::map<std::tuple<int, unsigned, CondKey>,
           std::tuple<ir::Action, ir::ArgCondition, std::set<std::string>>>
      entries;
  Omitted omitted(program);
  for (const ArchSection &s : program.sections)
    for (const Rule &r : s.rules) {
      if (omitted(r, s.arch))
        continue;
      CondKey key;
      for (const ir::ArgCmp &c : r.cond)
        key.emplace_back(c.arg, static_cast<int>(c.op), c.mask, c.value);
      auto &entry = entries[{static_cast<int>(r.action.kind),
                             r.action.errnoValue + (r.action.traceValue << 16),
                             key}];
      std::get<0>(entry) = r.action;
      std::get<1>(entry) = r.cond;
      std::get<2>(entry).insert(r.name);
    }
  // runc (and podman through it) returns ENOSYS for every syscall numbered
  // above the highest one the JSON names, crun does not: name the newest
  // syscall libseccomp knows on each arch with the default action, so both
  // apply the policy's default up to there (consumers.md).
  if (program.defaultAction.kind != ir::Action::Kind::Allow)
    for (const ArchSection &s : program.sections) {
      llvm::StringRef newest = kb::getNewestSyscall(s.arch);
      bool named = llvm::any_of(s.rules, [&](const Rule &r) {
        return r.name == newest && !omitted(r, s.arch);
      });
      if (!named && !newest.empty()) {
        auto &entry = entries[{static_cast<int>(program.defaultAction.kind),
                               program.defaultAction.errnoValue, CondKey()}];
        std::get<0>(entry) = program.defaultAction;
        std::get<2>(entry).insert(newest.str());
      }
    }
  llvm::json::Array syscalls;
  for (auto &[key, entry] : entries) {
    const auto &[action, cond, names] = entry;
    llvm::json::Object o;
    llvm::json::Array jsonNames;
    for (const std::string &n : names)
      jsonNames.push_back(n);
    o["names"] = std::move(jsonNames);
    o["action"] = getOCIActionName(action);
    if (action.kind == ir::Action::Kind::Errno)
      o["errnoRet"] = action.errnoValue;
    if (!cond.empty()) {
      llvm::json::Array args;
      for (const ir::ArgCmp &c : cond)
        args.push_back(toOCIArg(c));
      o["args"] = std::move(args);
    }
    syscalls.push_back(std::move(o));
  }
  root["syscalls"] = std::move(syscalls);
  return llvm::json::Value(std::move(root));
}

llvm::json::Value seccomp::toDockerJSON(const Program &program) {
  llvm::json::Value v = toOCIJSON(program);
  llvm::json::Object &root = *v.getAsObject();
  root.erase("architectures");
  // Host arch -> the listed ABIs it runs, in the policy's order.
  std::vector<std::pair<std::string, std::vector<std::string>>> hosts;
  auto hostEntry = [&](llvm::StringRef name) -> std::vector<std::string> & {
    for (auto &h : hosts)
      if (h.first == name)
        return h.second;
    hosts.push_back({name.str(), {}});
    return hosts.back().second;
  };
  for (const ArchSection &s : program.sections) {
    const kb::ArchInfo &info = kb::getArchInfo(s.arch);
    bool primaryListed = llvm::any_of(program.sections, [&](const ArchSection &o) {
      return kb::getArchInfo(o.arch).name == info.dockerPrimary;
    });
    if (!info.dockerPrimary.empty() && primaryListed)
      hostEntry(info.dockerPrimary).push_back(info.ociName.str());
    else
      hostEntry(info.name);
  }
  llvm::json::Array archMap;
  for (const auto &[host, subs] : hosts) {
    llvm::json::Array subArches;
    for (const std::string &sub : subs)
      subArches.push_back(sub);
    std::optional<kb::Arch> arch = kb::lookupArch(host);
    archMap.push_back(llvm::json::Object{
        {"architecture", kb::getArchInfo(*arch).ociName},
        {"subArchitectures", std::move(subArches)}});
  }
  root["archMap"] = std::move(archMap);
  return v;
}
