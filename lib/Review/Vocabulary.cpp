//===- Vocabulary.cpp - the intent vocabulary, for people -----------------===//
//
// Every table here is rendered from the knowledge base; the prose around
// them says how to read a table, never what is in it, so that a change to a
// .def file changes the reference with it (docs/intents.md is this output).
//
//===----------------------------------------------------------------------===//
#include "polc/Review/Vocabulary.h"

#include "polc/KB/KnowledgeBase.h"

#include "llvm/ADT/StringExtras.h"

#include <string>
#include <vector>

using namespace polc;
using namespace polc::kb;

namespace {

std::string codeList(llvm::ArrayRef<llvm::StringRef> names,
                     llvm::StringRef sep = ", ") {
  if (names.empty())
    return "—";
  std::string out;
  for (llvm::StringRef n : names)
    out += (out.empty() ? "`" : sep.str() + "`") + n.str() + "`";
  return out;
}

llvm::StringRef className(VerbClass c) {
  switch (c) {
  case VerbClass::File: return "file";
  case VerbClass::Network: return "network";
  case VerbClass::Privilege: return "privilege";
  }
  return "?";
}

/// The file permissions a grant and a denial of a File verb give: 'x' is
/// inherit-exec in a grant and a bare 'x' in a denial, which leaves mapping
/// alone.
std::pair<std::string, std::string> filePerms(const VerbInfo &info) {
  std::string perms = info.apparmorPerms.str();
  if (perms.find('x') == std::string::npos)
    return {perms, perms};
  std::string grant = perms, denial;
  grant.insert(grant.find('x'), "i");
  for (char c : perms)
    if (c != 'm')
      denial += c;
  return {grant, denial};
}

/// What a grant of \p info gives in AppArmor, in Markdown.
std::string apparmorCell(const VerbInfo &info, bool firstNetwork) {
  switch (info.verbClass) {
  case VerbClass::File: {
    auto [grant, denial] = filePerms(info);
    std::string aa = "`" + info.apparmorPerms.str() + "`";
    if (grant != denial)
      aa += " (grant: `" + grant + "`; denial: `" + denial + "`)";
    return aa;
  }
  case VerbClass::Network:
    return firstNetwork ? "see [objects](#network-objects)" : "see objects";
  case VerbClass::Privilege:
    return "`capability NAME`";
  }
  return "?";
}

void verbTable(llvm::ArrayRef<Verb> verbs, llvm::raw_ostream &out) {
  out << "| verb | class | AppArmor | seccomp grant | seccomp for "
         "`may not VERB` |\n|---|---|---|---|---|\n";
  bool firstNetwork = true;
  for (Verb v : verbs.empty() ? getAllVerbs() : verbs) {
    const VerbInfo &info = getVerbInfo(v);
    out << "| `" << info.spelling << "` | " << className(info.verbClass)
        << " | "
        << apparmorCell(info, firstNetwork && info.verbClass == VerbClass::Network)
        << " | " << codeList(info.grantSyscalls) << " | "
        << codeList(info.denyAllSyscalls) << " |\n";
    if (info.verbClass == VerbClass::Network)
      firstNetwork = false;
  }
}

void operationTable(llvm::ArrayRef<Operation> ops, llvm::raw_ostream &out) {
  out << "| operation | AppArmor grant / `may not` | seccomp (granted or "
         "denied whole) |\n|---|---|---|\n";
  for (Operation op : ops.empty() ? getAllOperations() : ops) {
    const OperationInfo &info = getOperationInfo(op);
    std::string aa;
    for (llvm::StringRef c : info.capabilities)
      aa += (aa.empty() ? "" : ", ") + ("`capability " + c + "`").str();
    for (llvm::StringRef r : info.apparmorRules)
      aa += (aa.empty() ? "" : ", ") + ("`" + r + "`").str();
    out << "| `" << info.spelling << "` | " << (aa.empty() ? "—" : aa)
        << " | " << codeList(info.syscalls) << " |\n";
  }
}

void peerTable(llvm::ArrayRef<PeerVerb> verbs, llvm::raw_ostream &out) {
  out << "| verb | AppArmor, another profile | AppArmor, its own profile | "
         "seccomp (granted; denied for `any`) |\n|---|---|---|---|\n";
  for (PeerVerb v : verbs.empty() ? getAllPeerVerbs() : verbs) {
    const PeerVerbInfo &info = getPeerVerbInfo(v);
    out << "| `" << info.spelling << " PEER` | `"
        << formatPeerRule(v, false, "PEER") << "` | `"
        << formatPeerRule(v, true, "SELF") << "` | "
        << codeList(info.syscalls) << " |\n";
  }
}

/// "  seccomp:         NAME NAME..." (or "(none)"), for the text summaries.
void seccompLine(llvm::ArrayRef<llvm::StringRef> syscalls,
                 llvm::raw_ostream &out) {
  out << "  seccomp:        ";
  if (syscalls.empty())
    out << " (none)";
  for (llvm::StringRef n : syscalls)
    out << " " << n;
  out << "\n";
}

void familyTable(llvm::raw_ostream &out) {
  out << "| family |\n|---|\n";
  for (const auto &f : getSyscallFamilies())
    out << "| " << codeList(f) << " |\n";
}

void netObjectTable(llvm::raw_ostream &out) {
  out << "| object | AppArmor rules | seccomp: " << codeList(getSocketCalls())
      << " for | takes a path |\n|---|---|---|---|\n";
  for (NetObject o : getAllNetObjects()) {
    const NetObjectInfo &info = getNetObjectInfo(o);
    std::string aa;
    for (llvm::StringRef f : info.families)
      aa += (aa.empty() ? "`" : ", `") + ("network " + f.str()) +
            (info.type.empty() ? "" : " " + info.type.str()) + "`";
    if (info.families.empty())
      aa = "`network " + info.type.str() + "` (every family)";
    if (info.type.empty())
      aa += " (every socket type)";
    std::string sc = (info.domains.empty() ? std::string("every family")
                                           : codeList(info.domains)) +
                     ", " +
                     (info.socketType.empty()
                          ? std::string("every type")
                          : "type `" + info.socketType.str() + "`");
    out << "| `" << info.spelling << "` | " << aa << " | " << sc << " | "
        << (info.takesPath ? "yes: `" + info.spelling.str() + " PATH`"
                           : std::string("no"))
        << " |\n";
  }
}

void netlinkProtocolTable(llvm::raw_ostream &out) {
  out << "| protocol | seccomp: `protocol` |\n|---|---|\n";
  for (llvm::StringRef p : getNetlinkProtocolSpellings())
    out << "| `" << p << "` | `" << *lookupNetlinkProtocol(p) << "` |\n";
}

struct Dangerous {
  llvm::StringRef name, why;
};
const Dangerous DangerousSyscalls[] = {
#define DANGEROUS_SYSCALL(NAME, WHY) {NAME, WHY},
#include "polc/KB/Dangerous.def"
};
const Dangerous DangerousCaps[] = {
#define DANGEROUS_CAP(NAME, WHY) {NAME, WHY},
#include "polc/KB/Dangerous.def"
};

void dangerousTable(llvm::ArrayRef<Dangerous> rows, llvm::StringRef what,
                    llvm::raw_ostream &out) {
  out << "| " << what << " | why a reviewer must see it justified |\n"
      << "|---|---|\n";
  for (const Dangerous &d : rows)
    out << "| `" << d.name << "` | " << d.why << " |\n";
}

} // namespace

void review::writeVocabularyMarkdown(llvm::raw_ostream &out) {
  out << R"(# The intent vocabulary

<!-- Generated by `polc intents --format=markdown` from the knowledge base
     (include/polc/KB/*.def). Do not edit: the build writes the current
     text to BUILD/docs/intents.md, `ninja update-docs` copies it here, and
     test/KB/intents-doc.test fails while this copy differs. -->

What each word of an intent statement means in each backend, rendered from
the tables polc compiles with (`include/polc/KB/*.def`). The statements
themselves, precedence, and what each backend can and cannot enforce are in
[the language reference](language.md). `polc intents VERB...` prints the
same for the verbs named.

## Verbs

From `Verbs.def`. *AppArmor* is the permission a grant gives on each object
(for file verbs, the file permission letters on each path; `x` is `ix`,
inherit). *seccomp grant* lists the syscalls a `may` statement allows, on
every object (seccomp sees neither paths nor socket addresses), except that
a network verb's socket-creating calls are narrowed to its objects' kinds
of socket ([network objects](#network-objects)). *seccomp for `may not
VERB`* is what a denial *without objects* denies in seccomp: only syscalls
that serve this verb and nothing else. Names that do not exist on an arch
are skipped there.

)";
  verbTable({}, out);
  out << R"(
## Operations

From `Operations.def`: intents without objects (`may mount`, `may not load
modules`). A grant allows the syscalls and gives the AppArmor rules; `may
not` denies the syscalls and gives the rules with `deny`. Some are completed
by argument conditions the table does not show (`create namespaces` also
covers `clone` with a `CLONE_NEW*` flag, the memory operations test `prot`,
`fork` and `spawn threads` test `clone`'s `CLONE_THREAD`): see [the
language reference](language.md#operations).

)";
  operationTable({}, out);
  out << R"(
## Peers: signals, ptrace and profile changes

From `Peers.def`: intents about other processes and profiles, whose objects are peers —
a profile name, `self` (the policy's own profile), `unconfined` (processes
no profile confines, such as systemd and `docker stop`) or `any` (every
process: the rule names no peer). AppArmor checks both ends of a signal or
a trace, so the sending side (`signal`, `trace`, `inspect`) and the
receiving side (`be signalled by`, ...) are separate grants, and a grant to
the policy's own profile holds both halves. `may not` gives the rule with
`deny`. seccomp cannot see which process a call is aimed at: a grant allows
the syscalls for every target, and only a denial of `any` denies them.
`change profile to` names the profile the process may move itself to
(aa_change_profile(2)); AppArmor alone enforces it.

)";
  peerTable({}, out);
  out << R"(
## Syscall families

From `Families.def`. The syscalls on one row are entry points of one
operation (a newer `*at` form, a 32-bit or 64-bit variant, a struct-argument
form). A `syscall` statement that denies one of them denies the whole row,
except with `deny errno ENOSYS`; members that do not exist on a target arch
are skipped there. No syscall is in two families.

)";
  familyTable(out);
  out << R"(
## Network objects

From `NetObjects.def`: the objects of the network verbs, the AppArmor rules
a grant gives, and the sockets seccomp lets the verb create.

)";
  netObjectTable(out);
  out << R"(
A socket type may follow an object of every type (`inet6 dgram`, `unix
stream`): )" << codeList(getSockTypeSpellings(), " ") << R"(.

A netlink protocol may follow `netlink`, after its type if it has one
(`netlink route`, `netlink dgram audit`). seccomp compares it with the
`protocol` argument of the socket calls; AppArmor 3 network rules cannot
select a protocol, so a grant allows every netlink socket there and a
denial is seccomp's alone (and nobody's where `socketcall` hides the
arguments).

)";
  netlinkProtocolTable(out);
  out << R"(
## Capabilities

From `Capabilities.def`: the names `may use capability NAME` takes, in
AppArmor's spelling (lower case, without `CAP_`). Only AppArmor enforces
them.

)";
  out << codeList(getCapabilityNames(), " ") << "\n";
  out << R"(
## AppArmor abstractions

From `Abstractions.def`: the names `may use abstraction NAME` takes, the
abstractions apparmor 3.0.8 ships in `/etc/apparmor.d/abstractions`.

)";
  out << codeList(getAbstractionNames(), " ") << "\n";
  out << R"(
## Syscall sets

From `SyscallSets.def` (systemd's sets, pinned): the names `syscall ACTION
@NAME` takes, each with its version. `polc sets @NAME` lists a set's
syscalls; [syscall-sets.md](syscall-sets.md) says where they come from.

| set | version | syscalls | what it holds |
|---|---|---|---|
)";
  for (const SyscallSetInfo &s : getSyscallSets())
    out << "| `" << s.name << "` | " << s.version << " | "
        << expandSyscallSet(s.name).size() << " | " << s.description
        << " |\n";
  out << R"(
## Grants that need a justification

From `Dangerous.def`: `polc check` asks for a comment on every statement
that grants one of these.

)";
  dangerousTable(DangerousSyscalls, "syscall", out);
  out << "\n";
  dangerousTable(DangerousCaps, "capability", out);
}

void review::writeVerbTable(llvm::ArrayRef<Verb> verbs,
                            llvm::raw_ostream &out) {
  verbTable(verbs, out);
}

void review::writeOperationTable(llvm::ArrayRef<Operation> ops,
                                 llvm::raw_ostream &out) {
  operationTable(ops, out);
}

void review::writePeerTable(llvm::ArrayRef<PeerVerb> verbs,
                            llvm::raw_ostream &out) {
  peerTable(verbs, out);
}

void review::writePeerSummary(llvm::ArrayRef<PeerVerb> verbs,
                              llvm::raw_ostream &out) {
  for (PeerVerb v : verbs) {
    const PeerVerbInfo &info = getPeerVerbInfo(v);
    out << info.spelling << " PEER (peer)\n";
    out << "  AppArmor:        " << formatPeerRule(v, false, "PEER")
        << "; to its own profile: " << formatPeerRule(v, true, "") << "\n";
    seccompLine(info.syscalls, out);
  }
}

void review::writeOperationSummary(llvm::ArrayRef<Operation> ops,
                                   llvm::raw_ostream &out) {
  for (Operation op : ops) {
    const OperationInfo &info = getOperationInfo(op);
    out << info.spelling << " (operation)\n";
    out << "  AppArmor:        ";
    std::vector<std::string> rules;
    for (llvm::StringRef c : info.capabilities)
      rules.push_back(("capability " + c).str());
    for (llvm::StringRef r : info.apparmorRules)
      rules.push_back(r.str());
    out << (rules.empty() ? std::string("(none)") : llvm::join(rules, ", "))
        << "\n";
    seccompLine(info.syscalls, out);
  }
}

void review::writeVerbSummary(llvm::ArrayRef<Verb> verbs,
                              llvm::raw_ostream &out) {
  for (Verb v : verbs) {
    const VerbInfo &info = getVerbInfo(v);
    out << info.spelling << " (" << className(info.verbClass) << ")\n";
    switch (info.verbClass) {
    case VerbClass::File: {
      auto [grant, denial] = filePerms(info);
      out << "  AppArmor:        " << grant << " on each path";
      if (grant != denial)
        out << " (a denial: " << denial << ")";
      out << "\n";
      break;
    }
    case VerbClass::Network:
      out << "  AppArmor:        network rules of its objects "
             "(family and type)\n";
      break;
    case VerbClass::Privilege:
      out << "  AppArmor:        capability NAME\n";
      break;
    }
    auto list = [&](llvm::StringRef label,
                    llvm::ArrayRef<llvm::StringRef> names) {
      out << "  " << label;
      if (names.empty())
        out << " (none)";
      for (llvm::StringRef n : names)
        out << " " << n;
      out << "\n";
    };
    list("seccomp grant:  ", info.grantSyscalls);
    list("seccomp may not:", info.denyAllSyscalls);
  }
}
