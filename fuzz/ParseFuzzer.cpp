//===- ParseFuzzer.cpp - the parser on arbitrary bytes --------------------===//
//
// Any bytes are a buffer polc may be given. The parser must return, never
// crash or overflow the stack, and keep its contract: a module exactly when
// it reported no error, at most 20 errors per buffer, and every range of
// the module inside the buffer. A buffer that parses also formats (polc
// fmt): the formatter's own checks (the same tokens and comments, a fixed
// point) must hold, or it reports an internal error, which is a bug.
//
//===----------------------------------------------------------------------===//
#include "polc/Format/Format.h"
#include "polc/Parse/Parse.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>
#include <cstdlib>

using namespace polc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::SourceMgr sm;
  std::string out;
  llvm::raw_string_ostream os(out);
  DiagnosticEngine diags(sm, os);
  unsigned id = sm.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(
          llvm::StringRef(reinterpret_cast<const char *>(data), size),
          "fuzz.pol"),
      llvm::SMLoc());
  std::optional<ast::Module> m = parseBuffer(id, diags);
  os.flush();
  auto fail = [&](const char *what) {
    fprintf(stderr, "contract broken: %s\n%s\n", what, out.c_str());
    abort();
  };
  if (m.has_value() == diags.hasErrors())
    fail("a module must be returned exactly when there is no error");
  if (diags.getNumErrors() > 20)
    fail("more than 20 errors for one buffer");
  if (!m)
    return 0;
  llvm::StringRef buf = sm.getMemoryBuffer(id)->getBuffer();
  auto inside = [&](llvm::SMRange r) {
    return r.Start.getPointer() >= buf.begin() &&
           r.End.getPointer() <= buf.end() &&
           r.Start.getPointer() <= r.End.getPointer();
  };
  for (const auto *blocks : {&m->policies, &m->groups})
    for (const ast::Block &b : *blocks) {
      if (!inside(b.range))
        fail("block range outside the buffer");
      for (const auto &s : b.stmts)
        if (!inside(s->getRange()))
          fail("statement range outside the buffer");
    }
  // The AST printer walks every node.
  std::string dump;
  llvm::raw_string_ostream ds(dump);
  ast::dump(*m, sm, ds);
  // The formatter succeeds on every buffer that parses.
  std::string fmtOut;
  llvm::raw_string_ostream fos(fmtOut);
  DiagnosticEngine fmtDiags(sm, fos);
  if (!format::formatBuffer(id, fmtDiags)) {
    fos.flush();
    out = fmtOut;
    fail("polc fmt failed on a buffer that parses");
  }
  return 0;
}
