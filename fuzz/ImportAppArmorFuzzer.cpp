//===- ImportAppArmorFuzzer.cpp - polc import on arbitrary AppArmor text --===//
//
// Any bytes are a file `polc import` may be given. The AppArmor importer must
// return, never crash, and keep its contract: it succeeds exactly when it
// reported no error, and what it writes then is a policy that compiles
// without an error through every phase and backend (Compile.cpp): the
// importer never hands the compiler text it cannot read or lower.
//
//===----------------------------------------------------------------------===//
#include "Compile.h"

#include "polc/Import/AppArmorProfile.h"
#include "polc/Support/Diagnostics.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>
#include <cstdlib>

using namespace polc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef input(reinterpret_cast<const char *>(data), size);
  llvm::SourceMgr sm;
  std::string diagText;
  llvm::raw_string_ostream ds(diagText);
  DiagnosticEngine diags(sm, ds);
  sm.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(input, "fuzz.apparmor"),
      llvm::SMLoc());
  std::string policy;
  llvm::raw_string_ostream out(policy);
  // Includes name files on this machine: not read (an error), so the
  // result depends on the input alone and nothing blocks.
  import::AppArmorImportOptions opts;
  opts.readIncludes = false;
  bool ok = import::importAppArmorProfile(sm, diags, opts, out);
  out.flush();
  ds.flush();
  auto fail = [&](const char *what) {
    fprintf(stderr, "contract broken: %s\n--- diagnostics\n%s--- policy\n%s\n",
            what, diagText.c_str(), policy.c_str());
    abort();
  };
  if (ok == diags.hasErrors())
    fail("the import must succeed exactly when it reported no error");
  if (!ok)
    return 0;

  std::string compileDiags;
  if (!fuzz::compilePolicy(policy, &compileDiags)) {
    diagText += compileDiags;
    fail("the imported policy does not compile");
  }
  return 0;
}
