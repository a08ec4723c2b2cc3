//===- ImportJSONFuzzer.cpp - polc import on arbitrary JSON ---------------===//
//
// Any bytes are a Docker/OCI seccomp profile `polc import` may be given.
// What must hold: the importer returns (no crash, no hang), it reports an
// error exactly when it fails, and a policy it produces compiles without
// errors through every phase and backend (Compile.cpp), since the importer
// refuses what the language cannot say. The first byte picks the import
// options (host arches, capabilities, kernel), so includes/excludes of
// Docker's format are resolved in several ways.
//
//===----------------------------------------------------------------------===//
#include "Compile.h"

#include "polc/Import/SeccompJSON.h"
#include "polc/Support/Diagnostics.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

using namespace polc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size > 64 * 1024)
    return 0;
  import::SeccompImportOptions opts;
  switch (data[0] % 4) {
  case 0: break; // Docker's defaults: x86_64 and aarch64 hosts, Docker's caps
  case 1: opts.hosts = {"x86_64"}; opts.caps = std::vector<std::string>{}; break;
  case 2: opts.hosts = {"aarch64", "s390x"}; opts.kernel = "4.8"; break;
  case 3:
    opts.caps = std::vector<std::string>{"CAP_SYS_ADMIN", "CAP_SYS_PTRACE"};
    opts.kernel = "5.10";
    break;
  }
  llvm::StringRef json(reinterpret_cast<const char *>(data) + 1, size - 1);
  llvm::SourceMgr sm;
  std::string diagText;
  llvm::raw_string_ostream ds(diagText);
  DiagnosticEngine diags(sm, ds);
  sm.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(json, "fuzz.json"),
                        llvm::SMLoc());
  std::string policy;
  llvm::raw_string_ostream out(policy);
  bool ok = import::importSeccompJSON(sm, diags, opts, out);
  out.flush();
  ds.flush();
  if (ok == diags.hasErrors())
    fuzz::fail(ok ? "import succeeded with errors:\n" + diagText
                  : "import failed without an error", json);
  if (!ok)
    return 0;
  std::string compileDiags;
  if (!fuzz::compilePolicy(policy, &compileDiags))
    fuzz::fail("the imported policy does not compile:\n" + compileDiags +
                   "--- policy ---\n" + policy,
               json);
  return 0;
}
