//===- PipelineFuzzer.cpp - the whole compiler, in memory -----------------===//
//
// The whole compiler on one buffer (Compile.cpp): parse, sema, IRGen, the
// passes and every backend, with no file read or written. What must hold:
// nothing crashes, and every BPF filter polc emits passes the kernel's
// checks (bpf::validate) and runs to a result in the emulator.
//
// Two input encodings, one per binary:
//  - fuzz-pipeline: the input is the policy text. Run it with the keyword
//    dictionary (fuzz/policy.dict) and the seeds fuzz/run.sh makes from
//    examples/ and test/.
//  - fuzz-pipeline-tokens (POLC_FUZZ_TOKENS): the input is a list of
//    (class, index) byte pairs, each one word of the language picked from
//    polc's own vocabulary (keywords, syscall names, errno names, verbs,
//    network objects, capabilities, arches, constants, paths, numbers), so
//    nearly every input is lexically valid and reaches Sema and the
//    backends. See fuzz/README.md for which finds more.
//
//===----------------------------------------------------------------------===//
#include "Compile.h"

#include "polc/KB/KnowledgeBase.h"

#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

using namespace polc;

namespace {

#ifdef POLC_FUZZ_TOKENS
/// Words of the language, by class; an input byte pair (class, index) is
/// one word. Built once from polc's own tables.
struct Vocabulary {
  std::vector<std::vector<std::string>> classes;

  Vocabulary() {
    auto add = [&](auto &&range) {
      std::vector<std::string> c;
      for (const auto &s : range)
        c.push_back(std::string(s));
      classes.push_back(std::move(c));
    };
    add(std::vector<std::string>{
        "policy", "group", "attach", "arch", "default", "use", "may", "not",
        "syscall", "allow", "deny", "errno", "kill", "thread", "process",
        "trap", "log", "trace", "notify", "on", "if", "in", "and", "or",
        "include"});
    add(std::vector<std::string>{"{", "}", "(", ")", ",", "&", "-", "==",
                                 "!=", "<=", ">=", "<", ">", "\n", "#c\n",
                                 "p", "g", "h", "\"", "\\"});
    add(kb::getVerbSpellings());
    add(kb::getNetObjectSpellings());
    add(kb::getCapabilityNames());
    add(kb::getArchSpellings());
    add(kb::getErrnoNames());
    add(kb::getSyscallNames(kb::getAllArches()));
    add(kb::getConstantNames());
    add(std::vector<std::string>{"runtime", "container", "a0", "a1", "a5",
                                 "fd", "flags", "domain", "mode", "cmd"});
    add(std::vector<std::string>{
        "0", "1", "2", "13", "38", "4095", "4096", "65535", "0x7fffffff",
        "0x80000000", "0xffffffff", "0x100000000", "0xffffffffffffffff",
        "18446744073709551616", "99999999999999999999999", "-1", "0x"});
    add(std::vector<std::string>{
        "/", "/**", "/etc/passwd", "/etc/shadow", "/var/www/**",
        "/srv/{a,b}/*", "/tmp/[ab]?", "/usr/bin/x", "/bin/sh",
        "/proc/@{pid}/x", "/a\\ b", "\"/q s\"", "\"/caf\xc3\xa9\"",
        "/x,y", "\"/\\\"x\"", "/a/^b", "/run/a.sock", "\"\"", "\"rel\""});
  }
};

std::string decodeTokens(const uint8_t *data, size_t size) {
  static const Vocabulary vocab;
  std::string s;
  size_t i = 0;
  if (size > 0) {
    switch (data[i++] % 4) {
    case 0: break;
    case 1: s = "policy p {\n"; break;
    case 2: s = "policy p {\n arch x86_64, aarch64\n default deny errno EPERM\n"; break;
    case 3: s = "group g {\n"; break;
    }
  }
  for (; i + 1 < size; i += 2) {
    unsigned cls = data[i];
    if (cls >= 0xf0) { // a raw byte, to reach what the vocabulary does not
      s += static_cast<char>(data[i + 1]);
      continue;
    }
    const std::vector<std::string> &c = vocab.classes[cls % vocab.classes.size()];
    if (c.empty())
      continue;
    s += c[data[i + 1] * (cls / vocab.classes.size() + 1) % c.size()];
    s += ' ';
  }
  if (size > 0 && data[0] % 4 != 0)
    s += "\n}\n";
  if (size > 0 && data[0] % 4 == 3)
    s += "policy p { default allow use g }\n";
  return s;
}
#endif

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 64 * 1024) // bigger inputs only slow the search down
    return 0;
#ifdef POLC_FUZZ_TOKENS
  fuzz::compilePolicy(decodeTokens(data, size));
#else
  fuzz::compilePolicy(
      llvm::StringRef(reinterpret_cast<const char *>(data), size));
#endif
  return 0;
}
