//===- Driver.cpp ---------------------------------------------------------===//
#include "polc/Driver/Driver.h"

#include "polc/AST/AST.h"
#include "polc/AppArmor/Profile.h"
#include "polc/Format/Format.h"
#include "polc/IRGen/IRGen.h"
#include "polc/Import/AppArmorProfile.h"
#include "polc/Import/SeccompJSON.h"
#include "polc/Review/Check.h"
#include "polc/Review/Diff.h"
#include "polc/Review/Explain.h"
#include "polc/Review/Vocabulary.h"
#include "polc/KB/KnowledgeBase.h"
#include "polc/Parse/Parse.h"
#include "polc/Seccomp/Libseccomp.h"
#include "polc/Seccomp/OCIJSON.h"
#include "polc/Sema/Sema.h"
#include "polc/Support/Diagnostics.h"
#include "polc/Transforms/Passes.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <map>
#include <set>

using namespace polc;

namespace {
const llvm::StringRef fileEmitKinds[] = {"seccomp-json", "bpf", "apparmor",
                                         "pfc", "docker-json"};
const llvm::StringRef stageEmitKinds[] = {"ast", "ir"};

struct Output {
  std::string fileName;
  std::string bytes;
};

/// Writes every output to a temporary file in \p dir, then renames them all
/// into place: either every file is written or none is changed.
bool writeAll(llvm::StringRef dir, const std::vector<Output> &outputs,
              DiagnosticEngine &diags, llvm::raw_ostream &out, bool quiet) {
  if (std::error_code ec = llvm::sys::fs::create_directories(dir)) {
    diags.report(DiagID::err_cannot_write_output, llvm::SMLoc(), dir,
                 ec.message());
    return false;
  }
  std::vector<std::pair<std::string, std::string>> temps; // temp, final
  auto cleanup = [&] {
    for (auto &[tmp, final] : temps)
      llvm::sys::fs::remove(tmp);
  };
  for (const Output &o : outputs) {
    llvm::SmallString<256> final(dir);
    llvm::sys::path::append(final, o.fileName);
    // Renaming over a device, a directory or a socket would replace it
    // (as root, `-o /dev/null` would put a file in its place).
    llvm::sys::fs::file_status st;
    if (!llvm::sys::fs::status(final, st, /*follow=*/false) &&
        st.type() != llvm::sys::fs::file_type::regular_file) {
      diags.report(DiagID::err_cannot_write_output, llvm::SMLoc(), final,
                   "it exists and is not a regular file");
      cleanup();
      return false;
    }
    llvm::SmallString<256> model(dir);
    llvm::sys::path::append(model, "." + o.fileName + ".tmp-%%%%%%");
    int fd = -1;
    llvm::SmallString<256> tmp;
    if (std::error_code ec =
            llvm::sys::fs::createUniqueFile(model, fd, tmp, llvm::sys::fs::OF_None, 0644)) {
      diags.report(DiagID::err_cannot_write_output, llvm::SMLoc(), final,
                   ec.message());
      cleanup();
      return false;
    }
    temps.push_back({tmp.str().str(), final.str().str()});
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << o.bytes;
    os.close();
    if (os.has_error()) {
      diags.report(DiagID::err_cannot_write_output, llvm::SMLoc(), final,
                   os.error().message());
      os.clear_error();
      cleanup();
      return false;
    }
  }
  for (auto &[tmp, final] : temps) {
    if (std::error_code ec = llvm::sys::fs::rename(tmp, final)) {
      diags.report(DiagID::err_cannot_write_output, llvm::SMLoc(), final,
                   ec.message());
      cleanup();
      return false;
    }
    if (!quiet)
      out << "wrote " << final << "\n";
  }
  return true;
}

/// What the JSON formats cannot carry but the policy says, which the
/// runtime replaces by something at least as strict: a warning each, at
/// the statement (docs/architecture.md, "What the JSON cannot say").
void warnJSONLimits(const ir::Policy &p, const seccomp::Program &prog,
                    DiagnosticEngine &diags) {
  if (p.badArchLoc.isValid())
    diags.report(DiagID::warn_json_bad_arch, p.badArchLoc, p.name,
                 p.badArchAction.str());
  auto omitted = seccomp::getJSONBaselineOmissions(prog);
  if (omitted.empty())
    return;
  // "'arch_prctl', 'shmget' on x86; 'memfd_secret' on s390x"
  std::map<std::vector<kb::Arch>, std::vector<std::string>> byArches;
  for (auto &[name, arches] : omitted)
    byArches[arches].push_back("'" + name + "'");
  std::string list;
  for (auto &[arches, names] : byArches) {
    if (!list.empty())
      list += "; ";
    list += llvm::join(names, ", ") + " on ";
    for (size_t i = 0; i < arches.size(); ++i)
      list += (i ? ", " : "") + kb::getArchInfo(arches[i]).name.str();
  }
  diags.report(DiagID::warn_json_baseline_per_arch, p.baselineLoc, p.name,
               list, p.defaultAction.str());
}

/// The result of the front end: an exit status, whether it stopped after
/// printing the AST, and the optimized IR.
struct FrontEnd {
  int status = ExitSuccess;
  bool stopped = false;
  ir::Module module;
};

/// Parses the built-in groups and \p inputs, checks, lowers and runs the
/// passes; with \p astDump, prints the AST and stops.
/// An input must be a regular file of at most MaxInputBytes; what is not
/// is an I/O error (exit 2), reported without a location.
static bool checkInputFile(const std::string &input, DiagnosticEngine &diags) {
  llvm::sys::fs::file_status st;
  if (std::error_code ec = llvm::sys::fs::status(input, st))
    diags.report(DiagID::err_cannot_open_file, llvm::SMLoc(), input,
                 ec.message());
  else if (!llvm::sys::fs::is_regular_file(st))
    diags.report(DiagID::err_input_not_regular, llvm::SMLoc(), input);
  else if (st.getSize() > MaxInputBytes)
    diags.report(DiagID::err_input_too_large, llvm::SMLoc(), input,
                 st.getSize(), MaxInputBytes);
  else
    return true;
  return false;
}

/// A statement none of the outputs written enforces is an error unless it
/// is marked `advisory`: polc never lets a policy claim what its outputs do
/// not do. Statements from groups are the group's `use` statement's concern
/// and are not reported one by one.
static void checkEnforcedByOutputs(const ir::Policy &p, bool seccompOut,
                                   bool apparmorOut, DiagnosticEngine &diags) {
  for (const ir::Coverage &c : p.coverage) {
    if (c.origin.fromGroup || c.origin.advisory)
      continue;
    if ((seccompOut && c.seccomp != ir::Enforcement::None) ||
        (apparmorOut && c.apparmor != ir::Enforcement::None))
      continue;
    std::string why =
        seccompOut ? "seccomp: " + c.seccompNote : "no seccomp output";
    why += apparmorOut ? "; AppArmor: " + c.apparmorNote
                       : "; no AppArmor profile";
    diags.report(DiagID::err_unenforced_stmt, c.origin.loc, c.origin.text,
                 why);
  }
  if (seccompOut)
    return;
  std::set<const char *> reported;
  for (const ir::SyscallRule &r : p.syscalls)
    if (!r.origin.fromGroup && !r.origin.advisory && !r.origin.isIntent &&
        reported.insert(r.origin.loc.getPointer()).second)
      diags.report(DiagID::err_unenforced_stmt, r.origin.loc, r.origin.text,
                   "'syscall' rules are seccomp's alone; no seccomp output");
}

FrontEnd runFrontEnd(llvm::ArrayRef<std::string> inputs, llvm::SourceMgr &sm,
                     DiagnosticEngine &diags, llvm::raw_ostream *astDump) {
  // Parse: the built-in groups, then every input.
  auto builtinBuf = llvm::MemoryBuffer::getMemBuffer(kb::getBuiltinSource(),
                                                     kb::BuiltinBufferName);
  unsigned builtinID = sm.AddNewSourceBuffer(std::move(builtinBuf), llvm::SMLoc());
  std::optional<ast::Module> builtin = parseBuffer(builtinID, diags);
  if (!builtin)
    return {ExitCompileError};
  // An input that cannot be read at all is an I/O error (exit 2).
  for (const std::string &input : inputs)
    checkInputFile(input, diags);
  if (diags.hasErrors())
    return {ExitUsageError};
  ast::Module user;
  for (const std::string &input : inputs) {
    std::optional<ast::Module> m = parseFile(input, diags);
    if (!m)
      continue;
    for (auto &inc : m->includes)
      user.includes.push_back(std::move(inc));
    for (auto &d : m->variables)
      user.variables.push_back(std::move(d));
    for (auto &g : m->groups)
      user.groups.push_back(std::move(g));
    for (auto &p : m->policies)
      user.policies.push_back(std::move(p));
  }
  if (diags.hasErrors())
    return {ExitCompileError};
  if (astDump) {
    ast::dump(user, sm, *astDump);
    return {ExitSuccess, true};
  }

  // Check, lower, optimize.
  std::optional<std::vector<sema::CheckedPolicy>> checked =
      sema::checkModule(user, *builtin, diags);
  if (!checked)
    return {ExitCompileError};
  FrontEnd fe;
  fe.module = generateIR(*checked);
  runPasses(fe.module, diags);
  if (diags.hasErrors())
    return {ExitCompileError};
  return fe;
}

/// -W options; an unknown one is a usage error.
void applyWarningOptions(DiagnosticEngine &diags,
                         llvm::ArrayRef<std::string> options) {
  for (const std::string &w : options)
    if (!diags.applyWarningOption(w))
      diags.report(DiagID::err_unknown_warning_option, llvm::SMLoc(), w);
}

/// A --format value, one of \p allowed.
void checkFormat(DiagnosticEngine &diags, llvm::StringRef format,
                 llvm::ArrayRef<llvm::StringRef> allowed) {
  if (!llvm::is_contained(allowed, format))
    diags.report(DiagID::err_unknown_format, llvm::SMLoc(), format,
                 llvm::join(allowed, ", "));
}
} // namespace

llvm::ArrayRef<llvm::StringRef> polc::getFileEmitKinds() {
  return fileEmitKinds;
}

int polc::runDriver(const DriverOptions &opts, llvm::raw_ostream &out,
                    llvm::raw_ostream &err) {
  llvm::SourceMgr sm;
  DiagnosticEngine diags(sm, err);
  bool sarif = opts.diagnosticsFormat == "sarif";
  checkFormat(diags, opts.diagnosticsFormat, {"text", "sarif"});
  diags.setSarifOutput(sarif);
  auto writeSarif = llvm::make_scope_exit([&] {
    if (sarif)
      diags.writeSarif(err);
  });

  // Options.
  applyWarningOptions(diags, opts.warningOptions);
  std::vector<std::string> emit = opts.emit;
  if (emit.empty())
    emit = {"seccomp-json", "bpf", "apparmor"};
  bool wantStage = false, wantFiles = false;
  std::vector<llvm::StringRef> allKinds(std::begin(fileEmitKinds),
                                        std::end(fileEmitKinds));
  allKinds.insert(allKinds.end(), std::begin(stageEmitKinds),
                  std::end(stageEmitKinds));
  for (const std::string &e : emit) {
    if (llvm::is_contained(stageEmitKinds, e))
      wantStage = true;
    else if (llvm::is_contained(fileEmitKinds, e))
      wantFiles = true;
    else
      diags.report(DiagID::err_unknown_emit, llvm::SMLoc(), e,
                   didYouMean(e, allKinds));
  }
  if (wantStage && (wantFiles || emit.size() > 1))
    diags.report(DiagID::err_stage_with_artifacts, llvm::SMLoc(),
                 emit.front());
  if (wantFiles && opts.outputDir.empty())
    diags.report(DiagID::err_no_output_dir, llvm::SMLoc(),
                 llvm::join(emit, ", "));
  if (diags.hasErrors())
    return ExitUsageError;
  auto wants = [&](llvm::StringRef kind) {
    return llvm::is_contained(emit, kind);
  };

  FrontEnd fe = runFrontEnd(opts.inputs, sm, diags, wants("ast") ? &out : nullptr);
  if (fe.status != ExitSuccess || fe.stopped)
    return fe.status;
  ir::Module &irModule = fe.module;
  if (wants("ir")) {
    ir::dump(irModule, sm, out);
    return ExitSuccess;
  }

  if (irModule.policies.empty()) {
    diags.report(DiagID::warn_no_policy, llvm::SMLoc());
    return diags.hasErrors() ? ExitCompileError : ExitSuccess;
  }

  bool seccompOut = wants("seccomp-json") || wants("docker-json") ||
                    wants("bpf") || wants("pfc");
  for (const ir::Policy &p : irModule.policies)
    checkEnforcedByOutputs(p, seccompOut, wants("apparmor"), diags);

  // Backends, all in memory first.
  std::vector<Output> outputs;
  for (const ir::Policy &p : irModule.policies) {
    seccomp::Program prog = seccomp::lowerToSeccomp(p);
    bool json = wants("seccomp-json") || wants("docker-json");
    llvm::Error ociProblem = json ? seccomp::checkOCIExpressible(prog)
                                  : llvm::Error::success();
    if (ociProblem) {
      diags.report(DiagID::err_oci_inexpressible, p.loc, p.name,
                   llvm::toString(std::move(ociProblem)));
    } else {
      if (json)
        warnJSONLimits(p, prog, diags);
      auto print = [](const llvm::json::Value &v) {
        std::string s;
        llvm::raw_string_ostream os(s);
        os << llvm::formatv("{0:2}", v) << "\n";
        return s;
      };
      if (wants("seccomp-json"))
        outputs.push_back({p.name + ".seccomp.json",
                           print(seccomp::toOCIJSON(prog))});
      if (wants("docker-json"))
        outputs.push_back({p.name + ".docker.json",
                           print(seccomp::toDockerJSON(prog))});
    }
    if (wants("bpf")) {
      llvm::Expected<std::vector<uint8_t>> bpf = seccomp::emitBPF(prog);
      if (!bpf) {
        diags.report(DiagID::err_seccomp_backend, p.loc, p.name,
                     llvm::toString(bpf.takeError()));
        continue;
      }
      outputs.push_back({p.name + ".bpf", std::string(bpf->begin(), bpf->end())});
    }
    if (wants("pfc")) {
      llvm::Expected<std::string> pfc = seccomp::emitPFC(prog);
      if (!pfc) {
        diags.report(DiagID::err_seccomp_backend, p.loc, p.name,
                     llvm::toString(pfc.takeError()));
        continue;
      }
      outputs.push_back({p.name + ".pfc", std::move(*pfc)});
    }
    if (wants("apparmor"))
      outputs.push_back({p.name + ".apparmor",
                         apparmor::printProfile(apparmor::lowerToAppArmor(p, sm))});
  }
  if (diags.hasErrors())
    return ExitCompileError;
  if (!writeAll(opts.outputDir, outputs, diags, out, opts.quiet))
    return ExitUsageError;
  return ExitSuccess;
}

static bool importSeccomp(const ImportOptions &opts, llvm::SourceMgr &sm,
                          DiagnosticEngine &diags, llvm::raw_ostream &os);

int polc::runImport(const ImportOptions &opts, llvm::raw_ostream &out,
                    llvm::raw_ostream &err) {
  llvm::SourceMgr sm;
  DiagnosticEngine diags(sm, err);
  applyWarningOptions(diags, opts.warningOptions);
  if (diags.hasErrors())
    return ExitUsageError;
  if (!checkInputFile(opts.input, diags))
    return ExitUsageError;
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buf =
      llvm::MemoryBuffer::getFile(opts.input, /*IsText=*/true);
  if (!buf) {
    diags.report(DiagID::err_cannot_open_file, llvm::SMLoc(), opts.input,
                 buf.getError().message());
    return ExitUsageError;
  }
  // AppArmor profile text or seccomp JSON: by the extension, else by the
  // first character (a JSON profile is an object).
  bool json = llvm::sys::path::extension(opts.input).equals_insensitive(".json") ||
              !import::looksLikeAppArmor((*buf)->getBuffer());
  sm.AddNewSourceBuffer(std::move(*buf), llvm::SMLoc());
  std::string text;
  llvm::raw_string_ostream os(text);
  bool ok;
  if (json) {
    if (opts.includeGiven) {
      diags.report(DiagID::err_import_option, llvm::SMLoc(),
                   "'-I' and '--base' apply to AppArmor profile text; '" +
                       opts.input + "' is a seccomp JSON profile");
      return ExitUsageError;
    }
    ok = importSeccomp(opts, sm, diags, os);
  } else {
    for (auto [flag, given] :
         {std::pair<const char *, bool>{"--host", !opts.hosts.empty()},
          {"--caps", opts.caps.has_value()},
          {"--kernel", !opts.kernel.empty()}})
      if (given)
        diags.report(DiagID::err_import_option, llvm::SMLoc(),
                     std::string("'") + flag +
                         "' applies to seccomp JSON profiles; '" +
                         opts.input + "' is AppArmor profile text");
    if (diags.hasErrors())
      return ExitUsageError;
    import::AppArmorImportOptions ao;
    ao.policyName = opts.policyName;
    ao.includeDirs = opts.includeDirs;
    ok = import::importAppArmorProfile(sm, diags, ao, os);
  }
  if (!ok || diags.hasErrors())
    return ExitCompileError;
  os.flush();
  if (opts.output.empty()) {
    out << text;
    return ExitSuccess;
  }
  llvm::StringRef dir = llvm::sys::path::parent_path(opts.output);
  std::vector<Output> outputs{
      {llvm::sys::path::filename(opts.output).str(), std::move(text)}};
  if (!writeAll(dir.empty() ? "." : dir, outputs, diags, out, opts.quiet))
    return ExitUsageError;
  return ExitSuccess;
}

static bool importSeccomp(const ImportOptions &opts, llvm::SourceMgr &sm,
                          DiagnosticEngine &diags, llvm::raw_ostream &os) {
  import::SeccompImportOptions io;
  io.hosts = opts.hosts;
  io.caps = opts.caps;
  io.kernel = opts.kernel;
  io.policyName = opts.policyName;
  return import::importSeccompJSON(sm, diags, io, os);
}

int polc::runExplain(const ExplainOptions &opts, llvm::raw_ostream &out,
                     llvm::raw_ostream &err) {
  // Diagnostics go to \p err as always, and their first lines into the
  // report.
  std::string diagText;
  llvm::raw_string_ostream diagStream(diagText);
  llvm::SourceMgr sm;
  DiagnosticEngine diags(sm, diagStream);
  auto flush = [&] {
    diagStream.flush();
    err << diagText;
  };
  applyWarningOptions(diags, opts.warningOptions);
  checkFormat(diags, opts.format, {"markdown", "json"});
  if (diags.hasErrors()) {
    flush();
    return ExitUsageError;
  }
  FrontEnd fe = runFrontEnd(opts.inputs, sm, diags, nullptr);
  flush();
  if (fe.status != ExitSuccess)
    return fe.status;
  std::vector<std::string> warnings;
  for (llvm::StringRef line : llvm::split(diagText, '\n'))
    if (line.contains(": warning: "))
      warnings.push_back(line.str());
  llvm::json::Value report = review::explain(fe.module, sm, warnings);
  if (opts.format == "json")
    out << llvm::formatv("{0:2}", report) << "\n";
  else
    review::renderMarkdown(report, out);
  return ExitSuccess;
}

int polc::runDiff(const DiffOptions &opts, llvm::raw_ostream &out,
                  llvm::raw_ostream &err) {
  // Each side has its own sources and diagnostics; warnings are the
  // compiler's business, not the diff's, so only errors are shown.
  llvm::SourceMgr smA, smB;
  DiagnosticEngine diagsA(smA, err), diagsB(smB, err);
  for (DiagnosticEngine *d : {&diagsA, &diagsB}) {
    for (const DiagInfo &info : getAllDiagInfos())
      if (info.level == DiagLevel::Warning)
        d->applyWarningOption(("no-" + info.flag).str());
    for (const std::string &w : opts.warningOptions)
      d->applyWarningOption(w);
  }
  if (opts.format != "markdown" && opts.format != "json") {
    diagsA.report(DiagID::err_unknown_format, llvm::SMLoc(), opts.format,
                  "markdown, json");
    return ExitUsageError;
  }
  FrontEnd a = runFrontEnd({opts.before}, smA, diagsA, nullptr);
  if (a.status != ExitSuccess)
    return ExitUsageError; // could not compare: not "grants more"
  FrontEnd b = runFrontEnd({opts.after}, smB, diagsB, nullptr);
  if (b.status != ExitSuccess)
    return ExitUsageError;
  llvm::json::Value report = review::diff(a.module, b.module);
  if (opts.format == "json") {
    out << llvm::formatv("{0:2}", report) << "\n";
  } else {
    out << "# polc diff " << opts.before << " " << opts.after << "\n\n";
    review::renderDiffMarkdown(report, out);
  }
  return review::grantsMore(report) ? ExitCompileError : ExitSuccess;
}

int polc::runCheck(const CheckOptions &opts, llvm::raw_ostream &out,
                   llvm::raw_ostream &err) {
  llvm::SourceMgr sm;
  DiagnosticEngine diags(sm, err);
  applyWarningOptions(diags, opts.warningOptions);
  checkFormat(diags, opts.format, {"text", "sarif"});
  if (diags.hasErrors())
    return ExitUsageError;
  bool sarif = opts.format == "sarif";
  diags.setSarifOutput(sarif);
  FrontEnd fe = runFrontEnd(opts.inputs, sm, diags, nullptr);
  if (fe.status == ExitSuccess)
    review::lint(fe.module, diags);
  if (sarif)
    diags.writeSarif(out);
  if (fe.status != ExitSuccess)
    return fe.status;
  return diags.getNumWarnings() || diags.hasErrors() ? ExitCompileError
                                                     : ExitSuccess;
}

int polc::runSets(const std::vector<std::string> &names, llvm::raw_ostream &out,
                  llvm::raw_ostream &err) {
  llvm::SourceMgr sm;
  DiagnosticEngine diags(sm, err);
  std::vector<const kb::SyscallSetInfo *> sets;
  for (const std::string &n : names) {
    if (const kb::SyscallSetInfo *s = kb::getSyscallSet(n)) {
      sets.push_back(s);
      continue;
    }
    std::vector<llvm::StringRef> all;
    for (const kb::SyscallSetInfo &info : kb::getSyscallSets())
      all.push_back(info.name);
    diags.report(DiagID::err_unknown_syscall_set, llvm::SMLoc(), n,
                 didYouMean(n, all));
  }
  if (diags.hasErrors())
    return ExitUsageError;
  if (names.empty())
    for (const kb::SyscallSetInfo &info : kb::getSyscallSets())
      sets.push_back(&info);
  for (const kb::SyscallSetInfo *s : sets) {
    out << s->name << " v" << s->version << ": " << s->description << "\n";
    for (llvm::StringRef m : kb::expandSyscallSet(s->name))
      out << "  " << m << "\n";
  }
  return ExitSuccess;
}

int polc::runIntents(const std::vector<std::string> &names,
                     llvm::StringRef format, llvm::raw_ostream &out,
                     llvm::raw_ostream &err) {
  llvm::SourceMgr sm;
  DiagnosticEngine diags(sm, err);
  if (format != "text" && format != "markdown") {
    diags.report(DiagID::err_unknown_format, llvm::SMLoc(), format,
                 "text, markdown");
    return ExitUsageError;
  }
  std::vector<kb::Verb> verbs;
  std::vector<kb::Operation> ops;
  std::vector<kb::PeerVerb> peers;
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string &n = names[i];
    // An operation or a peer verb may come as one argument ("load
    // modules") or as its words (polc intents be signalled by): the
    // longest run that names one.
    std::optional<kb::Operation> op;
    std::optional<kb::PeerVerb> peer;
    std::string words;
    size_t used = 0;
    for (size_t j = i; j < names.size(); ++j) {
      words += (j > i ? " " : "") + names[j];
      if (std::optional<kb::Operation> o = kb::lookupOperation(words)) {
        op = o, peer.reset();
        used = j - i;
      } else if (std::optional<kb::PeerVerb> pv = kb::lookupPeerVerb(words)) {
        peer = pv, op.reset();
        used = j - i;
      }
    }
    if (op) {
      ops.push_back(*op);
      i += used;
    } else if (peer) {
      peers.push_back(*peer);
      i += used;
    } else if (std::optional<kb::Verb> v = kb::lookupVerb(n)) {
      verbs.push_back(*v);
    } else {
      std::vector<llvm::StringRef> all(kb::getVerbSpellings().begin(),
                                       kb::getVerbSpellings().end());
      all.insert(all.end(), kb::getOperationSpellings().begin(),
                 kb::getOperationSpellings().end());
      all.insert(all.end(), kb::getPeerVerbSpellings().begin(),
                 kb::getPeerVerbSpellings().end());
      diags.report(DiagID::err_unknown_verb, llvm::SMLoc(), n,
                   didYouMean(n, all));
    }
  }
  if (diags.hasErrors())
    return ExitUsageError;
  if (format == "markdown" && names.empty()) {
    review::writeVocabularyMarkdown(out);
  } else if (format == "markdown") {
    if (!verbs.empty())
      review::writeVerbTable(verbs, out);
    if (!ops.empty())
      review::writeOperationTable(ops, out);
    if (!peers.empty())
      review::writePeerTable(peers, out);
  } else if (names.empty()) {
    review::writeVerbSummary(kb::getAllVerbs(), out);
    review::writeOperationSummary(kb::getAllOperations(), out);
    review::writePeerSummary(kb::getAllPeerVerbs(), out);
  } else {
    review::writeVerbSummary(verbs, out);
    review::writeOperationSummary(ops, out);
    review::writePeerSummary(peers, out);
  }
  return ExitSuccess;
}

namespace {
/// Replaces \p path (through symlinks: the file they point to) with
/// \p bytes: a temporary file in its directory, with its permissions, then
/// a rename, so that the file is never seen half written.
bool replaceFile(llvm::StringRef path, llvm::StringRef bytes,
                 DiagnosticEngine &diags) {
  llvm::SmallString<256> real;
  if (std::error_code ec = llvm::sys::fs::real_path(path, real)) {
    diags.report(DiagID::err_cannot_write_output, llvm::SMLoc(), path,
                 ec.message());
    return false;
  }
  llvm::ErrorOr<llvm::sys::fs::perms> perms = llvm::sys::fs::getPermissions(real);
  llvm::SmallString<256> model(llvm::sys::path::parent_path(real));
  llvm::sys::path::append(model, "." + llvm::sys::path::filename(real) +
                                     ".tmp-%%%%%%");
  int fd = -1;
  llvm::SmallString<256> tmp;
  if (std::error_code ec = llvm::sys::fs::createUniqueFile(
          model, fd, tmp, llvm::sys::fs::OF_None,
          perms ? static_cast<unsigned>(*perms) : 0644)) {
    diags.report(DiagID::err_cannot_write_output, llvm::SMLoc(), path,
                 ec.message());
    return false;
  }
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << bytes;
    os.close();
    if (os.has_error()) {
      diags.report(DiagID::err_cannot_write_output, llvm::SMLoc(), path,
                   os.error().message());
      os.clear_error();
      llvm::sys::fs::remove(tmp);
      return false;
    }
  }
  // createUniqueFile applies the umask; the file keeps its own mode.
  if (perms)
    (void)llvm::sys::fs::setPermissions(tmp, *perms);
  if (std::error_code ec = llvm::sys::fs::rename(tmp, real)) {
    diags.report(DiagID::err_cannot_write_output, llvm::SMLoc(), path,
                 ec.message());
    llvm::sys::fs::remove(tmp);
    return false;
  }
  return true;
}
} // namespace

int polc::runFormat(const FmtOptions &opts, llvm::raw_ostream &out,
                    llvm::raw_ostream &err) {
  llvm::SourceMgr sm;
  DiagnosticEngine diags(sm, err);
  if (opts.inPlace && opts.check) {
    diags.report(DiagID::err_fmt_options, llvm::SMLoc(), "--check",
                 "--in-place");
    return ExitUsageError;
  }
  format::FormatOptions fo;
  fo.corruptForTesting = opts.corruptForTesting;
  int status = ExitSuccess;
  for (const std::string &input : opts.inputs) {
    llvm::sys::fs::file_status st;
    if (std::error_code ec = llvm::sys::fs::status(input, st)) {
      diags.report(DiagID::err_cannot_open_file, llvm::SMLoc(), input,
                   ec.message());
      status = ExitUsageError;
      continue;
    }
    if (!llvm::sys::fs::is_regular_file(st)) {
      diags.report(DiagID::err_input_not_regular, llvm::SMLoc(), input);
      status = ExitUsageError;
      continue;
    }
    if (st.getSize() > MaxInputBytes) {
      diags.report(DiagID::err_input_too_large, llvm::SMLoc(), input,
                   st.getSize(), MaxInputBytes);
      status = ExitUsageError;
      continue;
    }
    auto buf = llvm::MemoryBuffer::getFile(input, /*IsText=*/false,
                                           /*RequiresNullTerminator=*/true);
    if (!buf) {
      diags.report(DiagID::err_cannot_open_file, llvm::SMLoc(), input,
                   buf.getError().message());
      status = ExitUsageError;
      continue;
    }
    std::string original = (*buf)->getBuffer().str();
    unsigned id = sm.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(original, input), llvm::SMLoc());
    std::optional<std::string> formatted = format::formatBuffer(id, diags, fo);
    if (!formatted) {
      if (status == ExitSuccess)
        status = ExitCompileError;
      continue;
    }
    if (opts.check) {
      if (*formatted != original) {
        out << input << "\n";
        if (status == ExitSuccess)
          status = ExitCompileError;
      }
    } else if (opts.inPlace) {
      if (*formatted == original)
        continue;
      if (!replaceFile(input, *formatted, diags)) {
        status = ExitUsageError;
        continue;
      }
      if (!opts.quiet)
        out << "wrote " << input << "\n";
    } else {
      out << *formatted;
    }
  }
  return status;
}
