//===- polc.cpp - the polc command line -----------------------------------===//
//
// Thin: options in, polc::runDriver out.
//
//===----------------------------------------------------------------------===//
#include "polc/Driver/Driver.h"
#include "polc/Support/Diagnostics.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

namespace cl = llvm::cl;

static cl::OptionCategory polcCategory("polc options");

// polc import PROFILE: the reverse direction, a profile to a policy.
static cl::SubCommand importCmd(
    "import",
    "Turn a Docker or OCI seccomp profile (JSON) or AppArmor profile text "
    "into a policy");
static cl::opt<std::string> importInput(cl::Positional, cl::Required,
                                        cl::desc("<profile.json|profile>"),
                                        cl::sub(importCmd), cl::cat(polcCategory));
static cl::opt<std::string> importOutput(
    "o", cl::desc("Write the policy to <file> (default: standard output)"),
    cl::value_desc("file"), cl::sub(importCmd), cl::cat(polcCategory));
static cl::list<std::string> importHosts(
    "host", cl::CommaSeparated, cl::value_desc("arch,..."),
    cl::desc("Host arches to resolve a Docker profile for; each brings its\n"
             "archMap entry (x86_64 brings x86 and x32). Default: x86_64,aarch64"),
    cl::sub(importCmd), cl::cat(polcCategory));
static cl::list<std::string> importCaps(
    "caps", cl::CommaSeparated, cl::value_desc("CAP_X,..."),
    cl::desc("The container's capabilities, for includes/excludes.caps\n"
             "(default: Docker's default set; 'none' for no capability)"),
    cl::sub(importCmd), cl::cat(polcCategory));
static cl::opt<std::string> importKernel(
    "kernel", cl::value_desc("X.Y"),
    cl::desc("Kernel version for includes/excludes.minKernel (default: newer\n"
             "than any)"),
    cl::sub(importCmd), cl::cat(polcCategory));
static cl::opt<std::string> importName(
    "name", cl::value_desc("name"),
    cl::desc("The policy's name (default: from the file name)"),
    cl::sub(importCmd), cl::cat(polcCategory));

static cl::list<std::string> importIncludes(
    "I", cl::value_desc("dir"), cl::Prefix,
    cl::desc("AppArmor profile text: look for 'include <name>' in <dir>\n"
             "first (as apparmor_parser -I; repeatable)"),
    cl::sub(importCmd), cl::cat(polcCategory));
static cl::opt<std::string> importBase(
    "base", cl::value_desc("dir"), cl::init("/etc/apparmor.d"),
    cl::desc("AppArmor profile text: the directory searched after the -I\n"
             "ones, as apparmor_parser --base (default: /etc/apparmor.d)"),
    cl::sub(importCmd), cl::cat(polcCategory));

static cl::list<std::string> inputs(cl::Positional, cl::desc("<policy.pol>..."),
                                    cl::OneOrMore, cl::cat(polcCategory));
static cl::opt<std::string> outputDir("o", cl::desc("Write outputs into <dir>"),
                                      cl::value_desc("dir"), cl::Prefix,
                                      cl::cat(polcCategory));
static cl::list<std::string>
    emit("emit", cl::CommaSeparated, cl::value_desc("kind,..."),
         cl::desc("What to produce. Files (into -o DIR, one per policy):\n"
                  "  seccomp-json  NAME.seccomp.json, OCI runtime-spec "
                  "linux.seccomp (runc, crun, podman, docker)\n"
                  "  bpf           NAME.bpf, raw sock_filter array "
                  "(bwrap --seccomp FD, seccomp(2))\n"
                  "  apparmor      NAME.apparmor, an AppArmor 3 profile "
                  "(apparmor_parser -r)\n"
                  "  pfc           NAME.pfc, libseccomp's readable listing "
                  "of the filter\n"
                  "  docker-json   NAME.docker.json, Docker's format with "
                  "archMap (podman, docker)\n"
                  "Stages (to standard output, alone):\n"
                  "  ast           the parsed syntax tree\n"
                  "  ir            the optimized IR with enforcement notes\n"
                  "Default: seccomp-json,bpf,apparmor"),
         cl::cat(polcCategory));
/// -W options are taken out of argv before cl sees them (LLVM's shared
/// library already registers an option named 'W'); their help is ours.
static std::string warningHelp() {
  std::vector<llvm::StringRef> flags;
  for (const polc::DiagInfo &info : polc::getAllDiagInfos())
    if (info.level == polc::DiagLevel::Warning &&
        !llvm::is_contained(flags, info.flag))
      flags.push_back(info.flag);
  std::string names = llvm::join(flags, ", ");
  return "\nWarnings:\n"
         "  -Wno-NAME      disable warning NAME\n"
         "  -Werror=NAME   make warning NAME an error\n"
         "  -Werror        make every warning an error\n"
         "  names: " + names + "\n";
}
// polc explain FILE: the report a reviewer reads instead of the outputs.
static cl::SubCommand explainCmd(
    "explain",
    "Report what a policy grants and denies, by which layer, line by line");
static cl::list<std::string> explainInputs(cl::Positional, cl::OneOrMore,
                                           cl::desc("<policy.pol>..."),
                                           cl::sub(explainCmd), cl::cat(polcCategory));
static cl::opt<std::string> explainFormat(
    "format", cl::init("markdown"), cl::value_desc("markdown|json"),
    cl::desc("Report format (default: markdown)"), cl::sub(explainCmd),
    cl::cat(polcCategory));

// polc diff OLD NEW: a semantic diff for policy-as-code review.
static cl::SubCommand diffCmd(
    "diff",
    "What a policy change grants and revokes; exit status 1 if it grants more");
static cl::opt<std::string> diffBefore(cl::Positional, cl::Required,
                                       cl::desc("<old.pol>"), cl::sub(diffCmd),
                                       cl::cat(polcCategory));
static cl::opt<std::string> diffAfter(cl::Positional, cl::Required,
                                      cl::desc("<new.pol>"), cl::sub(diffCmd),
                                      cl::cat(polcCategory));
static cl::opt<std::string> diffFormat(
    "format", cl::init("markdown"), cl::value_desc("markdown|json"),
    cl::desc("Report format (default: markdown)"), cl::sub(diffCmd),
    cl::cat(polcCategory));

// polc check FILE: lints for review, text or SARIF.
static cl::SubCommand checkCmd(
    "check",
    "Lint a policy for review: the compiler's warnings, unjustified dangerous grants, writable and executable paths");
static cl::list<std::string> checkInputs(cl::Positional, cl::OneOrMore,
                                         cl::desc("<policy.pol>..."),
                                         cl::sub(checkCmd), cl::cat(polcCategory));
static cl::opt<std::string> checkFormat(
    "format", cl::init("text"), cl::value_desc("text|sarif"),
    cl::desc("Findings as diagnostics (text) or one SARIF 2.1.0 log on standard output"),
    cl::sub(checkCmd), cl::cat(polcCategory));
// polc sets [@NAME...]: the pinned syscall sets.
static cl::SubCommand setsCmd(
    "sets", "List the pinned syscall sets (@file-system, ...) and what they hold");
static cl::list<std::string> setsNames(cl::Positional, cl::ZeroOrMore,
                                       cl::desc("[@set...]"), cl::sub(setsCmd),
                                       cl::cat(polcCategory));
// polc intents [VERB...]: what the intent vocabulary means in each backend.
static cl::SubCommand intentsCmd(
    "intents",
    "What each intent verb grants and denies in AppArmor and seccomp; "
    "--format=markdown gives the reference docs/intents.md");
static cl::list<std::string> intentsVerbs(cl::Positional, cl::ZeroOrMore,
                                          cl::desc("[verb...]"),
                                          cl::sub(intentsCmd),
                                          cl::cat(polcCategory));
static cl::opt<std::string> intentsFormat(
    "format", cl::init("text"), cl::value_desc("text|markdown"),
    cl::desc("A summary per verb (text), or Markdown: the verbs' table rows, "
             "or with no verb the whole reference"),
    cl::sub(intentsCmd), cl::cat(polcCategory));
static cl::opt<std::string> diagnosticsFormat(
    "diagnostics-format", cl::init("text"), cl::value_desc("text|sarif"),
    cl::desc("Diagnostics as text, or as one SARIF 2.1.0 log on standard error"),
    cl::cat(polcCategory));

// polc fmt FILE...: the canonical layout.
static cl::SubCommand fmtCmd("fmt",
                             "Print policy files in the canonical layout, or "
                             "rewrite them (-i), or list those not in it (--check)");
static cl::list<std::string> fmtInputs(cl::Positional, cl::OneOrMore,
                                       cl::desc("<policy.pol>..."),
                                       cl::sub(fmtCmd), cl::cat(polcCategory));
static cl::opt<bool> fmtInPlace(
    "in-place",
    cl::desc("Rewrite each file that is not formatted, atomically (also -i)"),
    cl::sub(fmtCmd), cl::cat(polcCategory));
static cl::alias fmtInPlaceShort("i", cl::desc("Alias for --in-place"),
                                 cl::aliasopt(fmtInPlace),
                                 cl::cat(polcCategory));
static cl::opt<bool> fmtCheck(
    "check",
    cl::desc("List the files that are not formatted; exit status 1 if any"),
    cl::sub(fmtCmd), cl::cat(polcCategory));
static cl::opt<bool> fmtCorrupt(
    "fmt-corrupt-for-testing", cl::Hidden,
    cl::desc("Test only: damage the formatted text before it is checked"),
    cl::sub(fmtCmd));

static cl::opt<bool> quiet("q", cl::desc("Do not list the files written"),
                           cl::sub(*cl::AllSubCommands), cl::cat(polcCategory));

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(polcCategory);
  cl::SetVersionPrinter([](llvm::raw_ostream &os) {
    os << "polc " POLC_VERSION "\n";
  });
  std::vector<std::string> warnings;
  std::vector<char *> args;
  for (int i = 0; i < argc; ++i) {
    llvm::StringRef a(argv[i]);
    if (i > 0 && a.startswith("-W"))
      warnings.push_back(a.drop_front(2).str());
    else
      args.push_back(argv[i]);
  }
  std::string parseErrors;
  llvm::raw_string_ostream errs(parseErrors);
  if (!cl::ParseCommandLineOptions(
          static_cast<int>(args.size()), args.data(),
          "polc: compile a policy into a seccomp filter and an AppArmor "
          "profile\n\n"
          "  polc service.pol -o out/\n"
          "  polc explain service.pol             (a review report; --format=json)\n"
          "  polc diff old.pol new.pol            (exit 1 when new grants more)\n"
          "  polc import profile.json -o p.pol    (Docker/OCI seccomp JSON in)\n"
          "  polc sets @system-service            (what a syscall set holds)\n"
          "  polc intents bind                    (what an intent verb means)\n"
          "  polc fmt -i service.pol              (canonical layout; --check for CI)\n"
          "  polc import usr.bin.foo -o p.pol     (AppArmor profile text in)\n\n"
          "writes out/NAME.seccomp.json, out/NAME.bpf and out/NAME.apparmor "
          "for each 'policy NAME' in the file. Nothing is written if there "
          "is any error.\n"
          "Exit status: 0 success, 1 errors in the policy, 2 usage or I/O "
          "errors.\n" + warningHelp(),
          &errs)) {
    llvm::errs() << errs.str();
    return polc::ExitUsageError;
  }
  if (fmtCmd) {
    polc::FmtOptions fo;
    fo.inputs.assign(fmtInputs.begin(), fmtInputs.end());
    fo.inPlace = fmtInPlace;
    fo.check = fmtCheck;
    fo.quiet = quiet;
    fo.corruptForTesting = fmtCorrupt;
    return polc::runFormat(fo, llvm::outs(), llvm::errs());
  }
  if (importCmd) {
    polc::ImportOptions io;
    io.input = importInput;
    io.output = importOutput;
    io.hosts.assign(importHosts.begin(), importHosts.end());
    if (importCaps.getNumOccurrences()) {
      io.caps.emplace();
      for (const std::string &c : importCaps)
        if (c != "none")
          io.caps->push_back(c);
    }
    io.kernel = importKernel;
    io.policyName = importName;
    io.includeDirs.assign(importIncludes.begin(), importIncludes.end());
    io.includeDirs.push_back(importBase);
    io.includeGiven = importIncludes.getNumOccurrences() ||
                      importBase.getNumOccurrences();
    io.warningOptions.assign(warnings.begin(), warnings.end());
    io.quiet = quiet;
    return polc::runImport(io, llvm::outs(), llvm::errs());
  }
  if (intentsCmd)
    return polc::runIntents({intentsVerbs.begin(), intentsVerbs.end()},
                            intentsFormat, llvm::outs(), llvm::errs());
  if (setsCmd)
    return polc::runSets({setsNames.begin(), setsNames.end()}, llvm::outs(),
                         llvm::errs());
  if (checkCmd) {
    polc::CheckOptions c;
    c.inputs.assign(checkInputs.begin(), checkInputs.end());
    c.format = checkFormat;
    c.warningOptions.assign(warnings.begin(), warnings.end());
    return polc::runCheck(c, llvm::outs(), llvm::errs());
  }
  if (diffCmd) {
    polc::DiffOptions d;
    d.before = diffBefore;
    d.after = diffAfter;
    d.format = diffFormat;
    d.warningOptions.assign(warnings.begin(), warnings.end());
    return polc::runDiff(d, llvm::outs(), llvm::errs());
  }
  if (explainCmd) {
    polc::ExplainOptions eo;
    eo.inputs.assign(explainInputs.begin(), explainInputs.end());
    eo.format = explainFormat;
    eo.warningOptions.assign(warnings.begin(), warnings.end());
    return polc::runExplain(eo, llvm::outs(), llvm::errs());
  }
  polc::DriverOptions opts;
  opts.inputs.assign(inputs.begin(), inputs.end());
  opts.outputDir = outputDir;
  opts.emit.assign(emit.begin(), emit.end());
  opts.warningOptions.assign(warnings.begin(), warnings.end());
  opts.quiet = quiet;
  opts.diagnosticsFormat = diagnosticsFormat;
  return polc::runDriver(opts, llvm::outs(), llvm::errs());
}
