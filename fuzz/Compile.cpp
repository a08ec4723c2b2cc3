//===- Compile.cpp - the whole compiler in memory, for the fuzz targets ---===//
//
// parse -> sema -> IRGen -> passes -> every backend (OCI JSON, Docker JSON,
// BPF, PFC, AppArmor), on one buffer, with no file read or written (include
// is not followed: parseBuffer does not load files). What must hold: nothing
// crashes, and every BPF filter polc emits passes the kernel's checks
// (bpf::validate) and runs to a result in the emulator on any syscall.
//
//===----------------------------------------------------------------------===//
#include "Compile.h"

#include "polc/AST/AST.h"
#include "polc/AppArmor/Profile.h"
#include "polc/BPF/Emulator.h"
#include "polc/IRGen/IRGen.h"
#include "polc/KB/KnowledgeBase.h"
#include "polc/Parse/Parse.h"
#include "polc/Seccomp/Libseccomp.h"
#include "polc/Seccomp/OCIJSON.h"
#include "polc/Sema/Sema.h"
#include "polc/Support/Diagnostics.h"
#include "polc/Transforms/Passes.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <seccomp.h>

#include <cstdio>
#include <cstdlib>

using namespace polc;

using polc::fuzz::fail;

void polc::fuzz::fail(const std::string &what, llvm::StringRef input) {
  fprintf(stderr, "fuzzer: %s\n--- input ---\n%.*s\n", what.c_str(),
          static_cast<int>(input.size()), input.data());
  abort();
}

namespace {

/// Emitted filters must be ones the kernel accepts, and run to a result.
void checkFilter(const seccomp::Program &prog, const std::vector<uint8_t> &bytes,
                 llvm::StringRef policy) {
  bool big = !prog.sections.empty() &&
             kb::getArchInfo(prog.sections.front().arch).bigEndian;
  std::vector<bpf::Insn> insns = bpf::decode(bytes, big);
  std::string why = bpf::validate(insns);
  if (!why.empty())
    fail("emitted BPF the kernel would refuse: " + why, policy);
  for (const seccomp::ArchSection &s : prog.sections) {
    uint32_t audit = seccomp_arch_resolve_name(
        std::string(kb::getArchInfo(s.arch).name).c_str());
    std::vector<int> nrs = {0, -1, 0x40000000};
    for (const seccomp::Rule &r : s.rules)
      nrs.push_back(r.nr);
    for (int nr : nrs) {
      bpf::Result r = bpf::run(insns, bpf::makeData(nr, audit, {1, 2, 3}));
      if (!r.ok())
        fail("emitted BPF did not run: " + r.error, policy);
    }
  }
}

} // namespace

bool polc::fuzz::compilePolicy(llvm::StringRef policy, std::string *diagnostics) {
  llvm::SourceMgr sm;
  std::string diagText;
  llvm::raw_string_ostream os(diagText);
  DiagnosticEngine diags(sm, os);
  unsigned builtinID = sm.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBuffer(kb::getBuiltinSource(),
                                       kb::BuiltinBufferName),
      llvm::SMLoc());
  std::optional<ast::Module> builtin = parseBuffer(builtinID, diags);
  if (!builtin)
    fail("the built-in groups do not parse", policy);
  unsigned id = sm.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(policy, "fuzz.pol"), llvm::SMLoc());
  auto done = [&](bool ok) {
    if (diagnostics) {
      os.flush();
      *diagnostics = diagText;
    }
    return ok;
  };
  std::optional<ast::Module> user = parseBuffer(id, diags);
  if (!user)
    return done(false);
  std::string dump;
  llvm::raw_string_ostream ds(dump);
  ast::dump(*user, sm, ds);

  std::optional<std::vector<sema::CheckedPolicy>> checked =
      sema::checkModule(*user, *builtin, diags);
  if (!checked)
    return done(false);
  ir::Module irModule = generateIR(*checked);
  runPasses(irModule, diags);
  if (diags.hasErrors())
    return done(false);
  ir::dump(irModule, sm, ds);

  for (const ir::Policy &p : irModule.policies) {
    seccomp::Program prog = seccomp::lowerToSeccomp(p);
    if (llvm::Error e = seccomp::checkOCIExpressible(prog)) {
      llvm::consumeError(std::move(e));
    } else {
      ds << llvm::formatv("{0:2}", seccomp::toOCIJSON(prog));
      ds << llvm::formatv("{0:2}", seccomp::toDockerJSON(prog));
    }
    llvm::Expected<std::vector<uint8_t>> bpf = seccomp::emitBPF(prog);
    if (bpf)
      checkFilter(prog, *bpf, policy);
    else
      llvm::consumeError(bpf.takeError());
    llvm::Expected<std::string> pfc = seccomp::emitPFC(prog);
    if (!pfc)
      llvm::consumeError(pfc.takeError());
    ds << apparmor::printProfile(apparmor::lowerToAppArmor(p, sm));
  }
  return done(!diags.hasErrors());
}

