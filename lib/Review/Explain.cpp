//===- Explain.cpp --------------------------------------------------------===//
#include "polc/Review/Explain.h"

#include "polc/KB/KnowledgeBase.h"

#include "llvm/ADT/StringExtras.h"

using namespace polc;
using namespace polc::review;
namespace json = llvm::json;

namespace {

const char *enforcementName(ir::Enforcement e) {
  switch (e) {
  case ir::Enforcement::Full: return "full";
  case ir::Enforcement::Partial: return "partial";
  case ir::Enforcement::None: return "none";
  }
  return "none";
}

/// "file:line" of an origin: where the statement is written.
std::string where(const llvm::SourceMgr &sm, const ir::Origin &o) {
  return ir::formatLoc(sm, o.detail.isValid() ? o.detail : o.loc);
}

json::Array origins(const llvm::SourceMgr &sm,
                    llvm::ArrayRef<ir::Origin> os) {
  json::Array out;
  std::vector<std::string> seen;
  for (const ir::Origin &o : os) {
    std::string w = where(sm, o);
    if (llvm::is_contained(seen, w))
      continue;
    seen.push_back(w);
    out.push_back(w);
  }
  return out;
}

/// A profile's AppArmor rules, as lists of \p r: the policy's own, or one
/// child profile's.
void profileRules(const ir::Policy &p, const llvm::SourceMgr &sm,
                  json::Object &r) {
  json::Array files;
  for (const ir::FileRule &f : p.files) {
    // The exec mode is part of the permissions (`mPx -> helper`).
    json::Object o{{"path", f.path},
                   {"deny", f.deny},
                   {"permissions", ir::formatFilePerms(f)},
                   {"from", origins(sm, f.origins)}};
    if (f.owner)
      o["owner"] = true;
    if (f.audit)
      o["audit"] = true;
    files.push_back(std::move(o));
  }
  r["files"] = std::move(files);
  json::Array network;
  for (const ir::NetworkRule &n : p.network) {
    json::Object o{{"family", n.family.empty() ? "any" : n.family},
                   {"type", n.type.empty() ? "any" : n.type},
                   {"deny", n.deny},
                   {"from", origins(sm, n.origins)}};
    if (n.audit)
      o["audit"] = true;
    network.push_back(std::move(o));
  }
  r["network"] = std::move(network);
  json::Array caps;
  for (const ir::CapabilityRule &c : p.capabilities) {
    json::Object o{{"name", c.name},
                   {"deny", c.deny},
                   {"from", origins(sm, c.origins)}};
    if (c.audit)
      o["audit"] = true;
    caps.push_back(std::move(o));
  }
  r["capabilities"] = std::move(caps);
  json::Array others;
  for (const ir::OtherRule &o : p.otherRules) {
    json::Object x{{"rule", o.text},
                   {"deny", o.deny},
                   {"from", origins(sm, o.origins)}};
    if (o.audit)
      x["audit"] = true;
    if (!o.execPath.empty())
      x["on_exec"] = o.execPath;
    others.push_back(std::move(x));
  }
  if (!others.empty())
    r["other_rules"] = std::move(others);
  json::Array abstractions;
  for (const ir::AbstractionRule &a : p.abstractions)
    abstractions.push_back(json::Object{
        {"name", a.name}, {"from", origins(sm, a.origins)}});
  if (!abstractions.empty())
    r["abstractions"] = std::move(abstractions);
}

json::Object policyReport(const ir::Policy &p, const llvm::SourceMgr &sm) {
  json::Object r;
  r["name"] = p.name;
  r["location"] = ir::formatLoc(sm, p.loc);
  if (p.attach)
    r["attach"] = *p.attach;
  json::Array arches;
  for (kb::Arch a : p.arches)
    arches.push_back(kb::getArchInfo(a).name);
  r["arches"] = std::move(arches);
  r["default"] = p.defaultAction.str();
  r["otherArches"] = p.badArchAction.str();
  if (p.baseline)
    r["baselineKernel"] = p.baseline->str();

  json::Array statements;
  for (const ir::Coverage &c : p.coverage) {
    json::Object s;
    s["location"] = where(sm, c.origin);
    s["statement"] = c.origin.text;
    if (c.origin.fromGroup)
      s["via"] = ir::formatLoc(sm, c.origin.loc); // the `use` statement
    s["seccomp"] = enforcementName(c.seccomp);
    s["apparmor"] = enforcementName(c.apparmor);
    if (!c.seccompNote.empty())
      s["seccompNote"] = c.seccompNote;
    if (!c.apparmorNote.empty())
      s["apparmorNote"] = c.apparmorNote;
    statements.push_back(std::move(s));
  }
  r["statements"] = std::move(statements);

  profileRules(p, sm, r);
  // Child profiles and hats: each one's AppArmor rules apart, under the name
  // AppArmor loads it by (POLICY//NAME).
  json::Array children;
  for (const ir::Policy &c : p.children) {
    json::Object o{{"name", c.name},
                   {"kind", c.hat ? "hat" : "child"},
                   {"profile", p.name + "//" + c.name},
                   {"location", ir::formatLoc(sm, c.loc)}};
    profileRules(c, sm, o);
    children.push_back(std::move(o));
  }
  if (!children.empty())
    r["children"] = std::move(children);

  // The effective syscall set per arch, from the folded form the seccomp
  // backend lowers; the source of each rule from the rules themselves.
  json::Array perArch;
  for (const ir::ArchSyscalls &as : p.folded) {
    json::Object a;
    a["arch"] = kb::getArchInfo(as.arch).name;
    json::Array groups;
    for (const auto &[action, calls] : as.byAction) {
      json::Array names;
      for (const auto &[nr, name] : calls)
        names.push_back(name);
      groups.push_back(json::Object{{"action", action.str()},
                                    {"count", int64_t(calls.size())},
                                    {"syscalls", std::move(names)}});
    }
    a["unconditional"] = std::move(groups);
    json::Array conditional;
    for (const auto &c : as.conditional) {
      std::string from;
      for (const ir::SyscallRule &rule : p.syscalls)
        if (rule.conditional && rule.name == c.name && rule.action == c.action &&
            rule.numbers.count(as.arch) && rule.cond == c.cond)
          from = where(sm, rule.origin);
      conditional.push_back(json::Object{{"syscall", c.name},
                                         {"action", c.action.str()},
                                         {"if", ir::formatCondition(c.cond)},
                                         {"from", from}});
    }
    a["conditional"] = std::move(conditional);
    a["everythingElse"] = p.defaultAction.str();
    perArch.push_back(std::move(a));
  }
  r["syscalls"] = std::move(perArch);
  return r;
}

std::string str(const json::Value *v) {
  if (!v)
    return "";
  if (auto s = v->getAsString())
    return s->str();
  if (auto b = v->getAsBoolean())
    return *b ? "true" : "false";
  if (auto i = v->getAsInteger())
    return std::to_string(*i);
  return "";
}

/// A table cell: pipes and newlines would break the row.
std::string cell(llvm::StringRef s) {
  std::string out;
  for (char c : s)
    out += c == '|' ? std::string("\\|") : c == '\n' ? std::string(" ") : std::string(1, c);
  return out;
}

std::string fromList(const json::Value *v) {
  std::vector<std::string> out;
  if (v)
    if (const json::Array *a = v->getAsArray())
      for (const json::Value &x : *a)
        out.push_back(str(&x));
  return llvm::join(out, ", ");
}

} // namespace

json::Value review::explain(const ir::Module &module, const llvm::SourceMgr &sm,
                            llvm::ArrayRef<std::string> warnings) {
  json::Array policies;
  for (const ir::Policy &p : module.policies)
    policies.push_back(policyReport(p, sm));
  json::Array warns;
  for (const std::string &w : warnings)
    warns.push_back(w);
  return json::Object{{"policies", std::move(policies)},
                      {"warnings", std::move(warns)}};
}

void review::renderMarkdown(const json::Value &report, llvm::raw_ostream &os) {
  const json::Object &root = *report.getAsObject();
  for (const json::Value &pv : *root.getArray("policies")) {
    const json::Object &p = *pv.getAsObject();
    os << "# Policy `" << str(p.get("name")) << "` (" << str(p.get("location"))
       << ")\n\n";
    if (p.get("attach"))
      os << "- Confines: `" << str(p.get("attach")) << "` (AppArmor attachment)\n";
    os << "- Arches: " << fromList(p.get("arches")) << "\n";
    os << "- Any syscall no rule names: **" << str(p.get("default")) << "**\n";
    os << "- A syscall from another arch: **" << str(p.get("otherArches")) << "**\n";
    if (p.get("baselineKernel"))
      os << "- Kernels from " << str(p.get("baselineKernel"))
         << " on: newer syscalls get ENOSYS\n";

    os << "\n## Statements and who enforces them\n\n"
          "| where | statement | seccomp | AppArmor | notes |\n"
          "|---|---|---|---|---|\n";
    for (const json::Value &sv : *p.getArray("statements")) {
      const json::Object &s = *sv.getAsObject();
      std::vector<std::string> notes;
      if (s.get("seccompNote"))
        notes.push_back("seccomp: " + str(s.get("seccompNote")));
      if (s.get("apparmorNote"))
        notes.push_back("AppArmor: " + str(s.get("apparmorNote")));
      std::string at = str(s.get("location"));
      if (s.get("via"))
        at += " (via " + str(s.get("via")) + ")";
      os << "| " << at << " | `" << cell(str(s.get("statement")))
         << "` | " << str(s.get("seccomp")) << " | " << str(s.get("apparmor"))
         << " | " << cell(llvm::join(notes, "; ")) << " |\n";
    }

    // A profile's AppArmor rules: the policy's (## sections), then each
    // child profile's (### sections under its own ## heading).
    auto rules = [&](const json::Object &prof, llvm::StringRef heading) {
      auto section = [&](llvm::StringRef title, const json::Array *rows,
                         auto &&line) {
        if (!rows || rows->empty())
          return;
        os << "\n" << heading << " " << title << "\n\n";
        for (const json::Value &v : *rows)
          line(*v.getAsObject());
      };
      section("Abstractions (AppArmor)", prof.getArray("abstractions"),
              [&](const json::Object &a) {
                os << "- `include <abstractions/" << str(a.get("name"))
                   << ">` (" << fromList(a.get("from")) << ")\n";
              });
      section("Files (AppArmor)", prof.getArray("files"), [&](const json::Object &f) {
        os << "- " << (f.getBoolean("audit").getValueOr(false) ? "audited " : "")
           << (f.getBoolean("deny").getValueOr(false) ? "**denied** " : "")
           << (f.getBoolean("owner").getValueOr(false) ? "owner-only " : "")
           << "`" << str(f.get("permissions")) << "` `" << str(f.get("path"))
           << "` (" << fromList(f.get("from")) << ")\n";
      });
      section("Network (AppArmor)", prof.getArray("network"), [&](const json::Object &n) {
        os << "- " << (n.getBoolean("deny").getValueOr(false) ? "**denied** " : "")
           << str(n.get("family")) << " " << str(n.get("type")) << " ("
           << fromList(n.get("from")) << ")\n";
      });
      section("Capabilities (AppArmor)", prof.getArray("capabilities"),
              [&](const json::Object &c) {
                os << "- " << (c.getBoolean("deny").getValueOr(false) ? "**denied** " : "")
                   << "`" << str(c.get("name")) << "` (" << fromList(c.get("from"))
                   << ")\n";
              });
      section("Other rules (AppArmor)", prof.getArray("other_rules"),
              [&](const json::Object &c) {
                os << "- " << (c.getBoolean("deny").getValueOr(false) ? "**denied** " : "")
                   << "`" << str(c.get("rule")) << "` (" << fromList(c.get("from"))
                   << ")\n";
              });
    };
    rules(p, "##");
    if (const json::Array *children = p.getArray("children"))
      for (const json::Value &cv : *children) {
        const json::Object &c = *cv.getAsObject();
        bool hat = str(c.get("kind")) == "hat";
        os << "\n## " << (hat ? "Hat" : "Child profile") << " `"
           << str(c.get("name")) << "` (AppArmor `" << str(c.get("profile"))
           << "`, " << str(c.get("location")) << ")\n\n"
           << (hat ? std::string("A process enters it with change_hat(2) "
                                 "and stays under the policy's seccomp "
                                 "filter.\n")
                   : "A program executed `as child " + str(c.get("name")) +
                         "` runs under it, and under the policy's seccomp "
                         "filter.\n");
        rules(c, "###");
      }

    os << "\n## Syscalls per arch (seccomp)\n";
    for (const json::Value &av : *p.getArray("syscalls")) {
      const json::Object &a = *av.getAsObject();
      os << "\n### " << str(a.get("arch")) << "\n\n";
      for (const json::Value &gv : *a.getArray("unconditional")) {
        const json::Object &g = *gv.getAsObject();
        os << "- **" << str(g.get("action")) << "** (" << str(g.get("count"))
           << "): " << fromList(g.get("syscalls")) << "\n";
      }
      for (const json::Value &cv : *a.getArray("conditional")) {
        const json::Object &c = *cv.getAsObject();
        os << "- **" << str(c.get("action")) << "** `" << str(c.get("syscall"))
           << "` if `" << str(c.get("if")) << "` (" << str(c.get("from")) << ")\n";
      }
      os << "- everything else: **" << str(a.get("everythingElse")) << "**\n";
    }
    os << "\n";
  }
  const json::Array *warnings = root.getArray("warnings");
  if (warnings && !warnings->empty()) {
    os << "# Warnings\n\n";
    for (const json::Value &w : *warnings)
      os << "- " << cell(str(&w)) << "\n";
  }
}
