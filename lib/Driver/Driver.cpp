//===- Driver.cpp ---------------------------------------------------------===//
#include "polc/Driver/Driver.h"

#include "polc/AST/AST.h"
#include "polc/AppArmor/Profile.h"
#include "polc/IRGen/IRGen.h"
#include "polc/KB/KnowledgeBase.h"
#include "polc/Parse/Parse.h"
#include "polc/Seccomp/Libseccomp.h"
#include "polc/Seccomp/OCIJSON.h"
#include "polc/Sema/Sema.h"
#include "polc/Support/Diagnostics.h"
#include "polc/Transforms/Passes.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

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
} // namespace

llvm::ArrayRef<llvm::StringRef> polc::getFileEmitKinds() {
  return fileEmitKinds;
}

int polc::runDriver(const DriverOptions &opts, llvm::raw_ostream &out,
                    llvm::raw_ostream &err) {
  llvm::SourceMgr sm;
  DiagnosticEngine diags(sm, err);

  // Options.
  for (const std::string &w : opts.warningOptions)
    if (!diags.applyWarningOption(w))
      diags.report(DiagID::err_unknown_warning_option, llvm::SMLoc(), w);
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

  // Parse: the built-in groups, then every input.
  auto builtinBuf = llvm::MemoryBuffer::getMemBuffer(kb::getBuiltinSource(),
                                                     kb::BuiltinBufferName);
  unsigned builtinID = sm.AddNewSourceBuffer(std::move(builtinBuf), llvm::SMLoc());
  std::optional<ast::Module> builtin = parseBuffer(builtinID, diags);
  if (!builtin)
    return ExitCompileError;
  // An input that cannot be read at all is an I/O error (exit 2).
  for (const std::string &input : opts.inputs) {
    llvm::sys::fs::file_status st;
    if (std::error_code ec = llvm::sys::fs::status(input, st))
      diags.report(DiagID::err_cannot_open_file, llvm::SMLoc(), input,
                   ec.message());
    else if (!llvm::sys::fs::is_regular_file(st))
      diags.report(DiagID::err_input_not_regular, llvm::SMLoc(), input);
    else if (st.getSize() > MaxInputBytes)
      diags.report(DiagID::err_input_too_large, llvm::SMLoc(), input,
                   st.getSize(), MaxInputBytes);
  }
  if (diags.hasErrors())
    return ExitUsageError;
  ast::Module user;
  for (const std::string &input : opts.inputs) {
    std::optional<ast::Module> m = parseFile(input, diags);
    if (!m)
      continue;
    for (auto &inc : m->includes)
      user.includes.push_back(std::move(inc));
    for (auto &g : m->groups)
      user.groups.push_back(std::move(g));
    for (auto &p : m->policies)
      user.policies.push_back(std::move(p));
  }
  if (diags.hasErrors())
    return ExitCompileError;
  if (wants("ast")) {
    ast::dump(user, sm, out);
    return ExitSuccess;
  }

  // Check, lower, optimize.
  std::optional<std::vector<sema::CheckedPolicy>> checked =
      sema::checkModule(user, *builtin, diags);
  if (!checked)
    return ExitCompileError;
  ir::Module irModule = generateIR(*checked);
  runPasses(irModule, diags);
  if (diags.hasErrors())
    return ExitCompileError;
  if (wants("ir")) {
    ir::dump(irModule, sm, out);
    return ExitSuccess;
  }

  if (irModule.policies.empty()) {
    diags.report(DiagID::warn_no_policy, llvm::SMLoc());
    return diags.hasErrors() ? ExitCompileError : ExitSuccess;
  }

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
