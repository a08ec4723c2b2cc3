//===- SeccompJSON.cpp - Docker/OCI seccomp JSON to a policy --------------===//
//
// The profile is read in two steps: first every syscall entry is resolved
// into names, a polc action, conditions and the set of the policy's arches
// where it applies (Docker's includes/excludes decided for the hosts and
// capabilities asked for); then the entries are grouped into statements.
// Semantics follow moby's profiles/seccomp loader and runc's libseccomp use:
// an entry applies when the host arch is in includes.arches and not in
// excludes.arches, every includes.caps is held and no excludes.caps is, the
// kernel is at least includes.minKernel and below excludes.minKernel; the
// args of one entry are ANDed; names libseccomp does not know are skipped.
//
//===----------------------------------------------------------------------===//
#include "polc/Import/SeccompJSON.h"

#include "JSONLocator.h"

#include "polc/KB/KnowledgeBase.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"

#include <map>
#include <set>

using namespace polc;
using namespace polc::import;
namespace json = llvm::json;

namespace {

constexpr uint64_t Low32 = 0xffffffffu;
constexpr unsigned LineWidth = 78;

const llvm::StringRef dockerDefaultCaps[] = {
    "CAP_CHOWN",        "CAP_DAC_OVERRIDE", "CAP_FSETID",
    "CAP_FOWNER",       "CAP_MKNOD",        "CAP_NET_RAW",
    "CAP_SETGID",       "CAP_SETUID",       "CAP_SETFCAP",
    "CAP_SETPCAP",      "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT",
    "CAP_KILL",         "CAP_AUDIT_WRITE"};

/// moby's name for the host a section belongs to (its GOARCH-derived
/// "native" arch), which includes/excludes.arches list.
llvm::StringRef mobyName(kb::Arch a) {
  switch (a) {
  case kb::Arch::X86_64: return "amd64";
  case kb::Arch::X86: return "x86";
  case kb::Arch::X32: return "x32";
  case kb::Arch::AArch64: return "arm64";
  case kb::Arch::Arm: return "arm";
  case kb::Arch::RiscV64: return "riscv64";
  case kb::Arch::PPC64LE: return "ppc64le";
  case kb::Arch::S390X: return "s390x";
  }
  return "";
}

std::optional<kb::Arch> archFromOCI(llvm::StringRef oci) {
  for (kb::Arch a : kb::getAllArches())
    if (kb::getArchInfo(a).ociName == oci)
      return a;
  return std::nullopt;
}

/// The host arch whose containers run \p a (x86 runs on x86_64 hosts).
kb::Arch hostOf(kb::Arch a) {
  llvm::StringRef primary = kb::getArchInfo(a).dockerPrimary;
  if (primary.empty())
    return a;
  return *kb::lookupArch(primary);
}

using ArchSet = std::set<kb::Arch>;

std::string archList(const ArchSet &s) {
  return kb::formatArchList(std::vector<kb::Arch>(s.begin(), s.end()));
}

std::string number(uint64_t v) {
  if (v < 0x10000)
    return llvm::utostr(v);
  return "0x" + llvm::utohexstr(v, /*LowerCase=*/true);
}

/// "X.Y" as a comparable pair.
std::optional<std::pair<unsigned, unsigned>> parseKernel(llvm::StringRef s) {
  std::pair<llvm::StringRef, llvm::StringRef> parts = s.split('.');
  unsigned major = 0, minor = 0;
  if (parts.first.getAsInteger(10, major) ||
      (!parts.second.empty() &&
       parts.second.split('.').first.getAsInteger(10, minor)))
    return std::nullopt;
  return std::make_pair(major, minor);
}

/// One comparison of a JSON rule.
struct ArgCond {
  unsigned index = 0;
  std::string op; // SCMP_CMP_*
  uint64_t value = 0, valueTwo = 0;
  std::vector<PathStep> path;
};

/// A syscall entry, resolved.
struct Entry {
  std::vector<std::pair<std::string, std::vector<PathStep>>> names;
  std::string action;      // polc's spelling
  bool isAllow = false;
  std::vector<ArgCond> args;
  ArchSet arches;          // where it applies
  std::string comment;
  std::vector<PathStep> path;
};

/// Sets of low-32-bit values, as sorted disjoint inclusive intervals.
using Intervals = std::vector<std::pair<uint64_t, uint64_t>>;

Intervals unite(Intervals s) {
  llvm::sort(s);
  Intervals out;
  for (auto &i : s) {
    if (!out.empty() && i.first <= out.back().second + 1)
      out.back().second = std::max(out.back().second, i.second);
    else
      out.push_back(i);
  }
  return out;
}

Intervals complement(const Intervals &s) {
  Intervals out;
  uint64_t next = 0;
  for (auto &[lo, hi] : s) {
    if (lo > next)
      out.push_back({next, lo - 1});
    next = hi + 1;
  }
  if (next <= Low32)
    out.push_back({next, Low32});
  return out;
}

uint64_t count(const Intervals &s) {
  uint64_t n = 0;
  for (auto &[lo, hi] : s)
    n += hi - lo + 1;
  return n;
}

class Importer {
public:
  Importer(llvm::SourceMgr &sm, DiagnosticEngine &diags,
           const SeccompImportOptions &opts)
      : sm(sm), diags(diags), opts(opts),
        text(sm.getMemoryBuffer(sm.getMainFileID())->getBuffer()) {}

  bool run(llvm::raw_ostream &out) {
    if (!readOptions())
      return false;
    llvm::Expected<json::Value> parsed = json::parse(text);
    if (!parsed) {
      reportParseError(parsed.takeError());
      return false;
    }
    const json::Object *root = parsed->getAsObject();
    if (!root) {
      error(DiagID::err_import_type, {}, {"the profile", "a JSON object"});
      return false;
    }
    readTop(*root);
    if (diags.hasErrors())
      return false;
    print(out);
    return !diags.hasErrors();
  }

private:
  // --- diagnostics -------------------------------------------------------
  llvm::SMLoc locOf(llvm::ArrayRef<PathStep> path) {
    return llvm::SMLoc::getFromPointer(text.data() + locateJSON(text, path));
  }
  void error(DiagID id, llvm::ArrayRef<PathStep> path,
             llvm::ArrayRef<std::string> args) {
    llvm::SMLoc l = locOf(path);
    diags.reportWithArgs(id, llvm::SMRange(l, l), args);
  }
  void ignored(llvm::ArrayRef<PathStep> path, const std::string &what) {
    error(DiagID::warn_import_ignored, path, {what});
  }
  void reportParseError(llvm::Error e) {
    std::string msg = llvm::toString(std::move(e));
    // llvm::json: "[LINE:COL, byte=OFFSET]: MESSAGE"
    llvm::SmallVector<llvm::StringRef, 3> m;
    size_t offset = 0;
    if (llvm::Regex("byte=([0-9]+)\\]: (.*)$").match(msg, &m)) {
      m[1].getAsInteger(10, offset);
      msg = m[2].str();
    }
    offset = std::min(offset, text.size());
    llvm::SMLoc l = llvm::SMLoc::getFromPointer(text.data() + offset);
    diags.reportWithArgs(DiagID::err_import_json, llvm::SMRange(l, l), {msg});
  }

  // --- options -----------------------------------------------------------
  bool readOptions() {
    bool ok = true;
    for (const std::string &h : opts.hosts) {
      std::optional<kb::Arch> a = kb::lookupArch(h);
      if (!a) {
        diags.reportWithArgs(DiagID::err_import_option, {},
                             {"unknown host arch '" + h + "'" +
                              didYouMean(h, kb::getArchSpellings())});
        ok = false;
        continue;
      }
      hosts.push_back(*a);
    }
    if (opts.caps) {
      for (const std::string &c : *opts.caps) {
        std::string name = llvm::StringRef(c).startswith("CAP_") ? c : "CAP_" + c;
        std::string bare = llvm::StringRef(name).drop_front(4).lower();
        if (!kb::isCapability(bare)) {
          diags.reportWithArgs(DiagID::err_import_option, {},
                               {"unknown capability '" + c + "'"});
          ok = false;
          continue;
        }
        caps.insert(llvm::StringRef(name).upper());
      }
    } else {
      for (llvm::StringRef c : dockerDefaultCaps)
        caps.insert(c.str());
    }
    if (!opts.kernel.empty()) {
      kernel = parseKernel(opts.kernel);
      if (!kernel) {
        diags.reportWithArgs(DiagID::err_import_option, {},
                             {"'--kernel' wants a version such as 5.10, not '" +
                              opts.kernel + "'"});
        ok = false;
      }
    }
    return ok;
  }

  // --- reading -----------------------------------------------------------
  std::optional<std::string> stringAt(const json::Value &v,
                                      llvm::ArrayRef<PathStep> path,
                                      llvm::StringRef what) {
    if (auto s = v.getAsString())
      return s->str();
    error(DiagID::err_import_type, path, {what.str(), "a string"});
    return std::nullopt;
  }
  std::optional<uint64_t> uintAt(const json::Value &v,
                                 llvm::ArrayRef<PathStep> path,
                                 llvm::StringRef what) {
    // llvm::json keeps integers above INT64_MAX as uint64_t.
    if (auto u = v.getAsUINT64())
      return *u;
    if (auto i = v.getAsInteger())
      if (*i >= 0)
        return uint64_t(*i);
    error(DiagID::err_import_type, path,
          {what.str(), "a non-negative integer below 2^64"});
    return std::nullopt;
  }
  const json::Array *arrayAt(const json::Value &v, llvm::ArrayRef<PathStep> path,
                             llvm::StringRef what) {
    if (const json::Array *a = v.getAsArray())
      return a;
    if (v.kind() != json::Value::Null)
      error(DiagID::err_import_type, path, {what.str(), "an array"});
    return nullptr;
  }

  std::optional<std::string> errnoName(uint64_t v, llvm::ArrayRef<PathStep> path) {
    if (v >= 4095) {
      error(DiagID::err_import_value, path,
            {"errno " + llvm::utostr(v) + " is out of range (at most 4094)"});
      return std::nullopt;
    }
    for (llvm::StringRef n : kb::getErrnoNames())
      if (kb::lookupErrno(n) == v)
        return n.str();
    return llvm::utostr(v);
  }

  /// The polc action for an SCMP_ACT_* with its errno/trace value.
  std::optional<std::string> action(llvm::StringRef act,
                                    std::optional<uint64_t> ret,
                                    const std::string &errnoText,
                                    llvm::ArrayRef<PathStep> path) {
    if (act == "SCMP_ACT_ALLOW")
      return std::string("allow");
    if (act == "SCMP_ACT_ERRNO") {
      if (ret)
        if (std::optional<std::string> n = errnoName(*ret, path))
          return "deny errno " + *n;
        else
          return std::nullopt;
      if (!errnoText.empty()) {
        if (!kb::lookupErrno(errnoText)) {
          error(DiagID::err_import_value, path,
                {"unknown errno name '" + errnoText + "'"});
          return std::nullopt;
        }
        return "deny errno " + errnoText;
      }
      return std::string("deny errno EPERM"); // runc's default
    }
    if (act == "SCMP_ACT_KILL" || act == "SCMP_ACT_KILL_THREAD")
      return std::string("kill thread"); // libseccomp's SCMP_ACT_KILL
    if (act == "SCMP_ACT_KILL_PROCESS")
      return std::string("kill");
    if (act == "SCMP_ACT_TRAP")
      return std::string("trap");
    if (act == "SCMP_ACT_TRACE") // runc: errnoRet, or EPERM
      return "trace " + llvm::utostr(ret.value_or(1));
    if (act == "SCMP_ACT_LOG")
      return std::string("log");
    if (act == "SCMP_ACT_NOTIFY")
      return std::string("notify");
    static const llvm::StringRef known[] = {
        "SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO",         "SCMP_ACT_KILL",
        "SCMP_ACT_KILL_THREAD", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_TRAP",
        "SCMP_ACT_TRACE", "SCMP_ACT_LOG",           "SCMP_ACT_NOTIFY"};
    error(DiagID::err_import_value, path,
          {"unknown action '" + act.str() + "'" + didYouMean(act, known)});
    return std::nullopt;
  }

  void readTop(const json::Object &root) {
    static const llvm::StringRef knownKeys[] = {
        "defaultAction", "defaultErrnoRet", "defaultErrno", "architectures",
        "archMap",       "syscalls",        "flags",        "listenerPath",
        "listenerMetadata"};
    std::vector<std::string> keys;
    for (const auto &kv : root)
      keys.push_back(kv.first.str());
    llvm::sort(keys);
    for (const std::string &k : keys)
      if (!llvm::is_contained(knownKeys, k))
        ignored({k}, "unknown field '" + k + "' ignored");

    // The default action.
    const json::Value *def = root.get("defaultAction");
    if (!def) {
      error(DiagID::err_import_type, {}, {"'defaultAction'", "present"});
      return;
    }
    std::optional<std::string> defName = stringAt(*def, {"defaultAction"}, "'defaultAction'");
    std::optional<uint64_t> defRet;
    if (const json::Value *r = root.get("defaultErrnoRet"))
      defRet = uintAt(*r, {"defaultErrnoRet"}, "'defaultErrnoRet'");
    std::string defErrno;
    if (const json::Value *r = root.get("defaultErrno"))
      if (std::optional<std::string> s = stringAt(*r, {"defaultErrno"}, "'defaultErrno'"))
        defErrno = *s;
    if (defName)
      if (std::optional<std::string> a = action(*defName, defRet, defErrno, {"defaultAction"}))
        defaultAction = *a;

    // What polc cannot carry.
    if (const json::Value *f = root.get("flags"))
      if (const json::Array *flags = arrayAt(*f, {"flags"}, "'flags'"))
        for (size_t i = 0; i < flags->size(); ++i)
          if (auto s = (*flags)[i].getAsString())
            ignored({"flags", i},
                    "filter flag '" + s->str() +
                        "' has no equivalent in the policy language; dropped");
    if (root.get("listenerPath"))
      ignored({"listenerPath"},
              "'listenerPath' dropped: the runtime that loads the filter "
              "decides where notifications go");

    readArches(root);
    if (const json::Value *s = root.get("syscalls"))
      if (const json::Array *list = arrayAt(*s, {"syscalls"}, "'syscalls'"))
        for (size_t i = 0; i < list->size(); ++i)
          readEntry((*list)[i], {"syscalls", i});
  }

  void readArches(const json::Object &root) {
    const json::Value *map = root.get("archMap");
    const json::Value *list = root.get("architectures");
    if (map && list && map->kind() != json::Value::Null &&
        list->kind() != json::Value::Null) {
      error(DiagID::err_import_value, {"architectures"},
            {"a profile has 'architectures' or 'archMap', not both"});
      return;
    }
    if (list && list->kind() != json::Value::Null) {
      const json::Array *a = arrayAt(*list, {"architectures"}, "'architectures'");
      if (!a)
        return;
      for (size_t i = 0; i < a->size(); ++i) {
        std::optional<std::string> s =
            stringAt((*a)[i], {"architectures", i}, "an architecture");
        if (!s)
          continue;
        if (std::optional<kb::Arch> arch = archFromOCI(*s))
          arches.insert(*arch);
        else
          ignored({"architectures", i},
                  "architecture '" + *s + "' is not a polc target; left out");
      }
      sourceNote = "architectures as listed";
      if (a->empty()) {
        // As with no list: libseccomp's context holds the native arch.
        arches.insert(kb::getNativeArch());
        sourceNote = "an empty list: the native one";
      } else if (arches.empty()) {
        error(DiagID::err_import_value, {"architectures"},
              {"none of the architectures is a polc target"});
      }
      return;
    }
    if (map && map->kind() != json::Value::Null) {
      const json::Array *a = arrayAt(*map, {"archMap"}, "'archMap'");
      if (!a)
        return;
      // host -> its arches, for the hosts polc knows.
      std::map<kb::Arch, ArchSet> byHost;
      for (size_t i = 0; i < a->size(); ++i) {
        const json::Object *o = (*a)[i].getAsObject();
        if (!o) {
          error(DiagID::err_import_type, {"archMap", i}, {"an archMap entry", "an object"});
          continue;
        }
        const json::Value *main = o->get("architecture");
        std::optional<std::string> mainName =
            main ? stringAt(*main, {"archMap", i, "architecture"}, "'architecture'")
                 : std::nullopt;
        if (!mainName)
          continue;
        std::optional<kb::Arch> host = archFromOCI(*mainName);
        if (!host)
          continue; // a host polc does not target (mips...): never chosen
        ArchSet &set = byHost[*host];
        set.insert(*host);
        if (const json::Value *subs = o->get("subArchitectures"))
          if (const json::Array *sa = arrayAt(*subs, {"archMap", i, "subArchitectures"},
                                              "'subArchitectures'"))
            for (size_t j = 0; j < sa->size(); ++j)
              if (auto s = (*sa)[j].getAsString())
                if (std::optional<kb::Arch> sub = archFromOCI(*s))
                  set.insert(*sub);
      }
      std::vector<kb::Arch> chosen = hosts;
      if (chosen.empty())
        for (kb::Arch h : {kb::Arch::X86_64, kb::Arch::AArch64})
          if (byHost.count(h))
            chosen.push_back(h);
      for (kb::Arch h : chosen) {
        auto it = byHost.find(h);
        if (it == byHost.end()) {
          diags.reportWithArgs(
              DiagID::err_import_option, {},
              {"host arch '" + kb::getArchInfo(h).name.str() +
               "' has no entry in the profile's archMap"});
          continue;
        }
        arches.insert(it->second.begin(), it->second.end());
        std::vector<std::string> names;
        for (kb::Arch x : it->second)
          names.push_back(kb::getArchInfo(x).name.str());
        hostNotes.push_back(kb::getArchInfo(h).name.str() + " hosts (" +
                            llvm::join(names, ", ") + ")");
      }
      return;
    }
    // Neither: runc uses the native arch only.
    arches.insert(kb::getNativeArch());
    sourceNote = "no architectures listed: the native one";
  }

  /// Does the entry apply on \p a? Sets \p why when capabilities or the
  /// kernel version (not the arch) rule it out.
  bool applies(const json::Object &e, kb::Arch a, std::string &why) {
    llvm::StringRef host = mobyName(hostOf(a));
    auto strings = [&](const json::Object *o, llvm::StringRef key) {
      std::vector<std::string> out;
      if (!o)
        return out;
      if (const json::Array *arr = o->getArray(key))
        for (const json::Value &v : *arr)
          if (auto s = v.getAsString())
            out.push_back(s->str());
      return out;
    };
    const json::Object *inc = e.getObject("includes");
    const json::Object *exc = e.getObject("excludes");
    std::vector<std::string> incArches = strings(inc, "arches");
    if (!incArches.empty() && !llvm::is_contained(incArches, host))
      return false;
    if (llvm::is_contained(strings(exc, "arches"), host))
      return false;
    for (const std::string &c : strings(inc, "caps"))
      if (!caps.count(c)) {
        why = "needs " + c;
        return false;
      }
    for (const std::string &c : strings(exc, "caps"))
      if (caps.count(c)) {
        why = "not with " + c;
        return false;
      }
    auto minKernel = [&](const json::Object *o) -> std::optional<std::pair<unsigned, unsigned>> {
      if (!o)
        return std::nullopt;
      if (auto s = o->getString("minKernel"))
        return parseKernel(*s);
      return std::nullopt;
    };
    if (auto k = minKernel(inc))
      if (kernel && *kernel < *k) {
        why = "needs kernel " + std::to_string(k->first) + "." + std::to_string(k->second);
        return false;
      }
    if (auto k = minKernel(exc))
      if (!kernel || *kernel >= *k) {
        why = "not on kernel " + std::to_string(k->first) + "." +
              std::to_string(k->second) + " or later";
        return false;
      }
    return true;
  }

  void readEntry(const json::Value &v, std::vector<PathStep> path) {
    const json::Object *e = v.getAsObject();
    if (!e) {
      error(DiagID::err_import_type, path, {"a syscalls entry", "an object"});
      return;
    }
    Entry entry;
    entry.path = path;
    auto sub = [&](std::initializer_list<PathStep> more) {
      std::vector<PathStep> p = path;
      p.insert(p.end(), more);
      return p;
    };
    if (const json::Value *n = e->get("names")) {
      if (const json::Array *names = arrayAt(*n, sub({"names"}), "'names'"))
        for (size_t i = 0; i < names->size(); ++i)
          if (std::optional<std::string> s = stringAt((*names)[i], sub({"names", i}), "a syscall name"))
            entry.names.push_back({*s, sub({"names", i})});
    }
    if (const json::Value *n = e->get("name")) // Docker's old format
      if (std::optional<std::string> s = stringAt(*n, sub({"name"}), "'name'"))
        entry.names.push_back({*s, sub({"name"})});
    if (auto c = e->getString("comment"))
      entry.comment = c->str();
    const json::Value *act = e->get("action");
    if (!act) {
      error(DiagID::err_import_type, path, {"'action'", "present"});
      return;
    }
    std::optional<std::string> actName = stringAt(*act, sub({"action"}), "'action'");
    std::optional<uint64_t> ret;
    if (const json::Value *r = e->get("errnoRet"))
      ret = uintAt(*r, sub({"errnoRet"}), "'errnoRet'");
    std::string errnoText;
    if (auto s = e->getString("errno"))
      errnoText = s->str();
    if (!actName)
      return;
    std::optional<std::string> a = action(*actName, ret, errnoText, sub({"action"}));
    if (!a)
      return;
    entry.action = *a;
    entry.isAllow = *a == "allow";
    if (const json::Value *args = e->get("args"))
      if (const json::Array *list = arrayAt(*args, sub({"args"}), "'args'"))
        for (size_t i = 0; i < list->size(); ++i) {
          std::vector<PathStep> ap = sub({"args", i});
          const json::Object *o = (*list)[i].getAsObject();
          if (!o) {
            error(DiagID::err_import_type, ap, {"an argument condition", "an object"});
            continue;
          }
          ArgCond c;
          c.path = ap;
          auto field = [&](llvm::StringRef k) -> std::optional<uint64_t> {
            const json::Value *x = o->get(k);
            if (!x)
              return uint64_t(0);
            std::vector<PathStep> fp = ap;
            fp.push_back(k.str());
            return uintAt(*x, fp, "'" + k.str() + "'");
          };
          std::optional<uint64_t> index = field("index"), value = field("value"),
                                  valueTwo = field("valueTwo");
          std::vector<PathStep> opPath = ap;
          opPath.push_back(std::string("op"));
          std::optional<std::string> op;
          if (const json::Value *x = o->get("op"))
            op = stringAt(*x, opPath, "'op'");
          else
            error(DiagID::err_import_type, ap, {"'op'", "present"});
          if (!index || !value || !valueTwo || !op)
            continue;
          if (*index > 5) {
            std::vector<PathStep> ip = ap;
            ip.push_back(std::string("index"));
            error(DiagID::err_import_value, ip,
                  {"argument index " + llvm::utostr(*index) + " is out of range (0 to 5)"});
            continue;
          }
          static const llvm::StringRef ops[] = {
              "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ",
              "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ"};
          if (!llvm::is_contained(ops, *op)) {
            error(DiagID::err_import_value, opPath,
                  {"unknown operator '" + *op + "'" + didYouMean(*op, ops)});
            continue;
          }
          c.index = unsigned(*index);
          c.op = *op;
          c.value = *value;
          c.valueTwo = *valueTwo;
          entry.args.push_back(std::move(c));
        }

    std::string why;
    for (kb::Arch a : arches) {
      std::string w;
      if (applies(*e, a, w))
        entry.arches.insert(a);
      else if (!w.empty())
        why = w;
    }
    if (entry.arches.empty()) {
      if (!why.empty()) {
        std::vector<std::string> names;
        for (auto &n : entry.names)
          names.push_back(n.first);
        notApplied.push_back({why, "syscall " + entry.action + " " + llvm::join(names, ", ") +
                                       (entry.args.empty() ? "" : " (with conditions)")});
      }
      return;
    }
    // One argument compared twice in one entry: runc then adds each
    // comparison as a rule of its own (libseccomp cannot compare one
    // argument twice in a rule), so any one comparison lets the call
    // through. Import that meaning, an 'or', and say so.
    std::set<unsigned> seen;
    bool repeated = llvm::any_of(
        entry.args, [&](const ArgCond &c) { return !seen.insert(c.index).second; });
    if (repeated) {
      error(DiagID::warn_import_or, path, {});
      for (const ArgCond &c : entry.args) {
        Entry one = entry;
        one.args = {c};
        entries.push_back(std::move(one));
      }
      return;
    }
    entries.push_back(std::move(entry));
  }

  // --- conditions --------------------------------------------------------
  /// The low-32-bit values a JSON comparison admits on a 32-bit argument
  /// whose upper half is zero (what a caller passing that type leaves).
  static Intervals setOf(const ArgCond &c) {
    uint64_t v = c.value;
    if (c.op == "SCMP_CMP_EQ")
      return v <= Low32 ? Intervals{{v, v}} : Intervals{};
    if (c.op == "SCMP_CMP_NE")
      return v <= Low32 ? complement({{v, v}}) : Intervals{{0, Low32}};
    if (c.op == "SCMP_CMP_LT")
      return v == 0 ? Intervals{} : Intervals{{0, std::min(v - 1, Low32)}};
    if (c.op == "SCMP_CMP_LE")
      return Intervals{{0, std::min(v, Low32)}};
    if (c.op == "SCMP_CMP_GT")
      return v >= Low32 ? Intervals{} : Intervals{{v + 1, Low32}};
    if (c.op == "SCMP_CMP_GE")
      return v > Low32 ? Intervals{} : Intervals{{v, Low32}};
    return {};
  }

  static std::string signedValue(uint64_t v) {
    if (v >= 0x80000000u)
      return "-" + llvm::utostr((uint64_t(1) << 32) - v);
    return number(v);
  }

  /// \p s as a condition on \p name; "" when it always holds.
  static std::string setExpr(const std::string &name, const Intervals &s,
                             bool isSigned) {
    Intervals c = complement(s);
    auto list = [&](const Intervals &set) {
      std::vector<std::string> vals;
      for (auto &[lo, hi] : set)
        for (uint64_t v = lo; v <= hi; ++v)
          vals.push_back(number(v));
      return llvm::join(vals, ", ");
    };
    if (c.empty())
      return "";
    if (count(s) <= 8)
      return count(s) == 1 ? name + " == " + list(s) : name + " in { " + list(s) + " }";
    if (count(c) <= 8)
      return count(c) == 1 ? name + " != " + list(c) : name + " not in { " + list(c) + " }";
    std::vector<std::string> parts;
    auto range = [&](const std::string &lo, const std::string &hi, bool hasLo,
                     bool hasHi) {
      std::string r;
      if (hasLo && hasHi)
        r = "(" + name + " >= " + lo + " and " + name + " <= " + hi + ")";
      else if (hasLo)
        r = name + " >= " + lo;
      else if (hasHi)
        r = name + " <= " + hi;
      if (!r.empty())
        parts.push_back(r);
    };
    for (auto &[lo, hi] : s) {
      if (!isSigned) {
        range(number(lo), number(hi), lo != 0, hi != Low32);
        continue;
      }
      // An int orders signed: 0..INT_MAX, then the negatives.
      if (lo <= 0x7fffffff) {
        uint64_t h = std::min<uint64_t>(hi, 0x7fffffff);
        range(number(lo), number(h), true, h != 0x7fffffff);
        if (lo == 0 && h != 0x7fffffff)
          parts.back() = "(" + name + " >= 0 and " + name + " <= " + number(h) + ")";
      }
      if (hi >= 0x80000000u) {
        uint64_t l = std::max<uint64_t>(lo, 0x80000000u);
        if (l == 0x80000000u && hi == Low32)
          parts.push_back(name + " < 0");
        else
          range(signedValue(l), signedValue(hi), l != 0x80000000u, true);
        if (hi == Low32 && l != 0x80000000u)
          parts.back() = "(" + name + " >= " + signedValue(l) + " and " + name + " < 0)";
      }
    }
    return llvm::join(parts, " or ");
  }

  /// One JSON comparison on argument \p arg as polc text, or std::nullopt
  /// (reported) when it cannot be expressed; "" when it always holds and
  /// "false" when never.
  std::optional<std::string> testExpr(const ArgCond &c, const kb::SyscallArg &arg,
                                      llvm::StringRef syscall) {
    std::string name = arg.name.str();
    if (arg.type == kb::ArgType::Ptr) {
      error(DiagID::err_import_value, c.path,
            {"argument " + llvm::utostr(c.index) + " of '" + syscall.str() + "' (" + name +
             ") is a pointer: seccomp sees the address, not the data, and polc refuses conditions on it"});
      return std::nullopt;
    }
    bool is32 = kb::isArgType32Bit(arg.type);
    if (c.op == "SCMP_CMP_MASKED_EQ") {
      uint64_t mask = c.value, want = c.valueTwo;
      if (is32) {
        if (want > Low32)
          return std::string("false");
        mask &= Low32;
      }
      if ((want & ~mask) != 0)
        return std::string("false");
      if (mask == 0)
        return std::string("");
      return name + " & " + number(mask) + " == " + number(want);
    }
    if (is32) {
      Intervals s = setOf(c);
      if (s.empty())
        return std::string("false");
      return setExpr(name, s, arg.type == kb::ArgType::Int);
    }
    static const std::map<std::string, std::string> opText = {
        {"SCMP_CMP_EQ", "=="}, {"SCMP_CMP_NE", "!="}, {"SCMP_CMP_LT", "<"},
        {"SCMP_CMP_LE", "<="}, {"SCMP_CMP_GT", ">"},  {"SCMP_CMP_GE", ">="}};
    if (arg.type == kb::ArgType::Long && c.op != "SCMP_CMP_EQ" && c.op != "SCMP_CMP_NE") {
      error(DiagID::err_import_value, c.path,
            {"'" + name + "' of '" + syscall.str() +
             "' is signed; the profile orders it as unsigned 64-bit, which the policy language refuses (pitfalls S13)"});
      return std::nullopt;
    }
    return name + " " + opText.at(c.op) + " " + number(c.value);
  }

  // --- grouping and printing ---------------------------------------------
  struct Statement {
    std::string action;
    std::vector<std::string> names;
    std::string condition; // "" = unconditional
    std::vector<std::string> comments;
  };
  /// Statements per arch set; the set of every policy arch first.
  std::vector<std::pair<ArchSet, std::vector<Statement>>> blocks;

  std::vector<Statement> &blockFor(const ArchSet &s) {
    for (auto &b : blocks)
      if (b.first == s)
        return b.second;
    blocks.push_back({s, {}});
    return blocks.back().second;
  }

  void addUnconditional(const ArchSet &where, const std::string &action,
                        const std::string &name, const std::string &comment) {
    std::vector<Statement> &stmts = blockFor(where);
    for (Statement &st : stmts)
      if (st.condition.empty() && st.action == action) {
        if (!llvm::is_contained(st.names, name))
          st.names.push_back(name);
        if (!comment.empty() && !llvm::is_contained(st.comments, comment))
          st.comments.push_back(comment);
        return;
      }
    Statement st{action, {name}, "", {}};
    if (!comment.empty())
      st.comments.push_back(comment);
    stmts.push_back(std::move(st));
  }

  /// Where \p name exists among \p where: as a direct syscall, or only
  /// through socketcall/ipc (semop on x86), which is how runtimes apply the
  /// entry there (libseccomp turns the name into the multiplexer's rule).
  static ArchSet existing(llvm::StringRef name, const ArchSet &where) {
    ArchSet out;
    for (kb::Arch a : where)
      if (kb::syscallExists(name, a))
        out.insert(a);
    return out;
  }

  void group() {
    blockFor(arches); // the main block comes first
    // Conditional entries per (name, action), in order of appearance.
    struct CondGroup {
      std::string name, action;
      ArchSet arches;
      std::vector<const Entry *> entries;
      std::vector<std::string> comments;
    };
    std::vector<CondGroup> condGroups;
    for (const Entry &e : entries)
      for (const auto &namedAt : e.names) {
        // Not structured bindings: clang 14 (the fuzz build) cannot capture
        // them in the lambdas below.
        const std::string &name = namedAt.first;
        ArchSet where = existing(name, e.arches);
        if (where.empty()) {
          bool anywhere = llvm::any_of(kb::getAllArches(), [&](kb::Arch a) {
            return kb::syscallExists(name, a);
          });
          (anywhere ? absentHere : unknownNames).insert(name);
          continue;
        }
        if (e.args.empty()) {
          // Two actions for one syscall: libseccomp keeps the rule added
          // first and drops the other silently (pitfalls S17). Between an
          // allow and a denial, polc's deny-over-allow keeps the stricter;
          // between two denials (errno EPERM, then errno 0), which polc
          // would refuse as a conflict, the policy keeps the earlier, as
          // the runtimes do. Say so either way.
          ArchSet kept;
          for (kb::Arch a : where) {
            auto inserted = firstAction.try_emplace({name, a}, &e);
            const Entry *first = inserted.first->second;
            if (inserted.second || first->action == e.action) {
              kept.insert(a);
              continue;
            }
            bool bothDeny = first->action != "allow" && e.action != "allow";
            auto &names = overlaps[{first, &e}];
            if (!llvm::is_contained(names, name))
              names.push_back(name);
            if (!bothDeny)
              kept.insert(a);
          }
          if (!kept.empty())
            addUnconditional(kept, e.action, name, e.comment);
          continue;
        }
        auto it = llvm::find_if(condGroups, [&](const CondGroup &g) {
          return g.name == name && g.action == e.action;
        });
        if (it == condGroups.end()) {
          condGroups.push_back({name, e.action, {}, {}, {}});
          it = std::prev(condGroups.end());
        }
        it->arches.insert(where.begin(), where.end());
        it->entries.push_back(&e);
        if (!e.comment.empty() && !llvm::is_contained(it->comments, e.comment))
          it->comments.push_back(e.comment);
      }

    for (const auto &[pair, names] : overlaps)
      error(DiagID::warn_import_overlap, pair.second->path,
            {llvm::join(names, ", "), pair.first->action, pair.second->action,
             pair.first->action != "allow" && pair.second->action != "allow"
                 ? "the policy keeps the earlier too"
                 : "the policy keeps the stricter"});
    for (const CondGroup &g : condGroups) {
      // Arches split by what the condition reads there: argument names
      // differ (clone on s390x), and multiplexed calls cannot be filtered.
      std::map<std::string, ArchSet> byReading;
      std::map<std::string, std::string> condFor;
      for (kb::Arch a : g.arches) {
        if (std::optional<llvm::StringRef> mux = kb::getMultiplexer(g.name, a)) {
          std::string key = "mux:" + mux->str();
          byReading[key].insert(a);
          continue;
        }
        // The arguments the conditions read, as named on this arch.
        std::optional<std::vector<kb::SyscallArg>> sig = kb::getSyscallSignature(g.name, a);
        std::set<unsigned> used;
        for (const Entry *e : g.entries)
          for (const ArgCond &c : e->args)
            used.insert(c.index);
        std::string key = "sig:";
        if (sig)
          for (const kb::SyscallArg &arg : *sig)
            if (used.count(arg.index))
              key += std::to_string(arg.index) + "=" + arg.name.str() + ":" +
                     kb::getArgTypeName(arg.type).str() + ",";
        byReading[key].insert(a);
      }
      for (auto &[key, where] : byReading) {
        kb::Arch first = *where.begin();
        if (llvm::StringRef(key).startswith("mux:")) {
          llvm::StringRef mux = llvm::StringRef(key).drop_front(4);
          const Entry *e = g.entries.front();
          if (g.action != "allow") {
            error(DiagID::err_import_value, e->names.front().second,
                  {"the conditions on '" + g.name + "' cannot be enforced on " +
                   archList(where) + ", where the call also arrives through '" +
                   mux.str() + "' with its arguments behind a pointer; a conditional '" +
                   g.action + "' cannot be imported there"});
            continue;
          }
          error(DiagID::warn_import_multiplexed, e->names.front().second,
                {g.name, archList(where), mux.str()});
          addUnconditional(where, g.action, g.name,
                           "conditions dropped: '" + mux.str() + "' reaches " + g.name +
                               " unfiltered on these arches");
          continue;
        }
        std::optional<std::vector<kb::SyscallArg>> sig =
            kb::getSyscallSignature(g.name, first);
        if (!sig) {
          error(DiagID::err_import_value, g.entries.front()->names.front().second,
                {"polc knows no argument names for '" + g.name +
                 "', so its conditions cannot be written (add it to "
                 "include/polc/KB/Signatures.def)"});
          continue;
        }
        std::optional<std::string> cond = conditionOf(g.name, g.entries, *sig);
        if (!cond)
          continue;
        if (*cond == "false") {
          ignored(g.entries.front()->path,
                  "the conditions on '" + g.name +
                      "' never hold for a value the kernel reads; the rule is dropped");
          continue;
        }
        if (cond->empty()) {
          addUnconditional(where, g.action, g.name, "");
          continue;
        }
        blockFor(where).push_back({g.action, {g.name}, *cond, g.comments});
      }
    }
  }

  /// The entries' conditions (each an AND, together an OR) as one
  /// expression; std::nullopt after an error, "false" if never, "" if
  /// always.
  std::optional<std::string> conditionOf(const std::string &syscall,
                                         const std::vector<const Entry *> &es,
                                         const std::vector<kb::SyscallArg> &sig) {
    auto argAt = [&](const ArgCond &c) -> const kb::SyscallArg * {
      for (const kb::SyscallArg &a : sig)
        if (a.index == c.index)
          return &a;
      error(DiagID::err_import_value, c.path,
            {"'" + syscall + "' has no argument " + llvm::utostr(c.index)});
      return nullptr;
    };
    // One 32-bit argument compared once per entry: one set, one expression
    // (Docker's `socket` rules: < 38, == 39, > 40 are `not in {38, 40}`).
    bool oneArg = llvm::all_of(es, [&](const Entry *e) {
      return e->args.size() == 1 && e->args[0].index == es[0]->args[0].index &&
             e->args[0].op != "SCMP_CMP_MASKED_EQ";
    });
    if (oneArg) {
      const kb::SyscallArg *arg = argAt(es[0]->args[0]);
      if (!arg)
        return std::nullopt;
      if (kb::isArgType32Bit(arg->type)) {
        Intervals all;
        for (const Entry *e : es)
          for (auto &i : setOf(e->args[0]))
            all.push_back(i);
        all = unite(all);
        if (all.empty())
          return std::string("false");
        return setExpr(arg->name.str(), all, arg->type == kb::ArgType::Int);
      }
    }
    std::vector<std::string> disjuncts;
    bool always = false;
    for (const Entry *e : es) {
      std::vector<std::string> conj;
      bool never = false;
      for (const ArgCond &c : e->args) {
        const kb::SyscallArg *arg = argAt(c);
        if (!arg)
          return std::nullopt;
        std::optional<std::string> t = testExpr(c, *arg, syscall);
        if (!t)
          return std::nullopt;
        if (*t == "false")
          never = true;
        else if (!t->empty())
          conj.push_back(t->find(" or ") != std::string::npos ? "(" + *t + ")" : *t);
      }
      if (never)
        continue;
      if (conj.empty())
        always = true;
      std::string c = llvm::join(conj, " and ");
      if (conj.size() > 1 && es.size() > 1)
        c = "(" + c + ")";
      if (!llvm::is_contained(disjuncts, c))
        disjuncts.push_back(c);
    }
    if (always)
      return std::string("");
    if (disjuncts.empty())
      return std::string("false");
    return llvm::join(disjuncts, " or ");
  }

  void wrapNames(llvm::raw_ostream &os, const std::string &indent,
                 const std::string &head, const std::vector<std::string> &names,
                 const std::string &tail) {
    std::string line = indent + head;
    for (size_t i = 0; i < names.size(); ++i) {
      std::string word = names[i] + (i + 1 < names.size() ? "," : "");
      if (line.size() + 1 + word.size() > LineWidth && line.size() > indent.size() + head.size()) {
        os << line << "\n";
        line = indent + "   ";
      }
      line += " " + word;
    }
    os << line << tail << "\n";
  }

  void printStatements(llvm::raw_ostream &os, const std::string &indent,
                       const std::vector<Statement> &stmts) {
    for (const Statement &st : stmts) {
      for (const std::string &c : st.comments)
        for (llvm::StringRef l : llvm::split(c, '\n'))
          os << indent << "# " << l << "\n";
      if (st.condition.empty())
        wrapNames(os, indent, "syscall " + st.action, st.names, "");
      else
        os << indent << "syscall " << st.action << " " << st.names.front()
           << " if " << st.condition << "\n";
    }
  }

  void print(llvm::raw_ostream &os) {
    group();
    if (diags.hasErrors())
      return;
    std::string file = llvm::sys::path::filename(
                           sm.getMemoryBuffer(sm.getMainFileID())->getBufferIdentifier())
                           .str();
    std::string name = opts.policyName;
    if (name.empty()) {
      for (char c : llvm::sys::path::stem(file))
        name += (llvm::isAlnum(c) || c == '_' || c == '-' || c == '.') ? c : '_';
      if (name.empty() || !(llvm::isAlpha(name[0]) || name[0] == '_'))
        name = "imported_" + name;
    }
    os << "# Imported by polc from " << file << ".\n";
    for (const std::string &h : hostNotes)
      os << "# Resolved for " << h << ".\n";
    if (!sourceNote.empty())
      os << "# Arches: " << sourceNote << ".\n";
    std::vector<std::string> capList(caps.begin(), caps.end());
    os << "# Container capabilities assumed"
       << (opts.caps ? "" : " (Docker's default set)") << ":\n";
    if (capList.empty())
      capList.push_back("none");
    wrapNames(os, "#", "", capList, "");
    os << "# Kernel assumed: " << (kernel ? opts.kernel : "newer than every minKernel")
       << ".\n";
    if (!unknownNames.empty()) {
      os << "# Left out, unknown to the libseccomp polc uses (runc and crun "
            "skip them too):\n";
      wrapNames(os, "#", "", {unknownNames.begin(), unknownNames.end()}, "");
    }
    if (!absentHere.empty()) {
      os << "# Left out, absent on " << archList(arches) << ":\n";
      wrapNames(os, "#", "", {absentHere.begin(), absentHere.end()}, "");
    }
    os << "policy " << name << " {\n";
    os << "  arch " << archList(arches) << "\n";
    os << "  default " << defaultAction << "\n";
    for (auto &[where, stmts] : blocks) {
      if (stmts.empty())
        continue;
      if (where == arches) {
        os << "\n";
        printStatements(os, "  ", stmts);
        continue;
      }
      os << "\n  on " << archList(where) << " {\n";
      printStatements(os, "    ", stmts);
      os << "  }\n";
    }
    if (!notApplied.empty()) {
      os << "\n  # Not applied for these capabilities and kernel:\n";
      for (auto &[why, what] : notApplied)
        os << "  # (" << why << ") " << what << "\n";
    }
    os << "}\n";
  }

  llvm::SourceMgr &sm;
  DiagnosticEngine &diags;
  const SeccompImportOptions &opts;
  llvm::StringRef text;

  std::vector<kb::Arch> hosts;
  std::set<std::string> caps;
  std::optional<std::pair<unsigned, unsigned>> kernel;
  ArchSet arches;
  std::vector<std::string> hostNotes;
  std::string sourceNote;
  std::string defaultAction = "deny errno EPERM";
  std::vector<Entry> entries;
  std::set<std::string> unknownNames, absentHere;
  std::vector<std::pair<std::string, std::string>> notApplied;
  /// The first entry giving each syscall an unconditional action, and the
  /// entries that give it another, with the names concerned.
  std::map<std::pair<std::string, kb::Arch>, const Entry *> firstAction;
  std::map<std::pair<const Entry *, const Entry *>, std::vector<std::string>> overlaps;
};

} // namespace

llvm::ArrayRef<llvm::StringRef> polc::import::getDockerDefaultCapabilities() {
  return dockerDefaultCaps;
}

bool polc::import::importSeccompJSON(llvm::SourceMgr &sm, DiagnosticEngine &diags,
                                     const SeccompImportOptions &opts,
                                     llvm::raw_ostream &out) {
  return Importer(sm, diags, opts).run(out);
}
