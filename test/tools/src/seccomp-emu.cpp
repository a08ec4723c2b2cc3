//===- seccomp-emu.cpp - polc's BPF emulator on the command line ----------===//
//
// A test-only tool around polc::bpf (lib/BPF), in three modes:
//
//   seccomp-emu verdicts FILTER.bpf CASES|-
//       What tools/src/seccomp-live.c prints for the same filter and cases,
//       computed with polc::bpf::run instead of the kernel: the filter runs
//       on seccomp_data {nr, AUDIT_ARCH_X86_64, args} and its action is
//       combined with seccomp-live's catch-all (ERRNO 4094, installed first)
//       as the kernel combines filters: the action of highest precedence
//       wins (KILL_PROCESS > KILL_THREAD > TRAP > ERRNO > USER_NOTIF > TRACE
//       > LOG > ALLOW, compared as the kernel's ACTION_ONLY, a signed 32-bit
//       value), and between equal actions the newer filter, the one under
//       test. So ALLOW, LOG, TRACE and USER_NOTIF print `allow-or-lower`,
//       ERRNO N prints `errno N` (N capped at 4095, as the kernel does; 4094
//       is the catch-all's and prints allow-or-lower), TRAP prints `trap
//       DATA`, and both kills, or any action value the kernel does not know
//       below ERRNO, print `kill`.
//
//   seccomp-emu boundary SPEC|-
//       Boundary cases for seccomp-live and `verdicts`. Each SPEC line is
//       `NR A0 A1 A2 A3 A4 A5`: the call a rule matches, each argument a
//       value, `V&M` (a value tested under mask M) or `-` (not tested, 0).
//       It prints that case, the case with NR-1 and NR+1, and for every
//       tested argument the case with the argument replaced by each of
//       V-1, V+1, 0, 1, 2^31-1, 2^31, 2^32-1, 2^32, 2^63, 2^64-1, V with the
//       upper half set (a sign-extended negative int), the sign extension of
//       V's low half, V's low half alone, V + 2^32 (garbage in the upper
//       half), V with bit 63 flipped, and for `V&M` V with each of its
//       lowest 8 mask bits flipped and with every bit outside M set. Each
//       case once, in order of first appearance.
//
//   seccomp-emu vectors FILTER.bpf FILE.tests RULES [--big-endian]
//       Runs libseccomp's bpf-sim vectors (tests/NN-sim-*.tests) through the
//       emulator. RULES is a text file (the lit test itself) whose lines
//       containing these markers say how to read the bank:
//         VECTOR-MAP: NR NAME [swap=K]
//             the bank's made-up syscall NR is polc's NAME (resolved per
//             arch), and with swap=K the vector's arguments 0 and K trade
//             places (NAME takes the tested value in argument K)
//         VECTOR-SKIP: SELECTOR -- REASON
//             vectors not checked, and why
//         VECTOR-DIFF: SELECTOR => ACTION -- REASON
//             vectors where polc means to differ from libseccomp: checked
//             against ACTION instead
//         VECTOR-BUG: SELECTOR -- BUG: TEXT
//             vectors that fail because of a known polc bug: they must fail
//             (the tool complains when one passes)
//       SELECTOR is space-separated KEY=VALUE,... (any of the values), all
//       of which must hold: line=N (the line in FILE.tests), arch=A,
//       syscall=S (as written in FILE.tests), nr=V or nr=LO-HI (a numeric
//       syscall field after range expansion, before VECTOR-MAP), aK=V or
//       aK=LO-HI (argument K after range expansion, before VECTOR-MAP's
//       swap), result=R; or `all`.
//       The first matching rule decides. A rule that matches no vector is an
//       error, so the list cannot go stale.
//
//       Vectors are expanded as libseccomp's tests/regression does: `all`,
//       `all_le` and `all_64` select the native arch (x86_64), `all_be`
//       none, `+all_le`/`+all_be` every little/big-endian arch of libseccomp
//       2.5.4, `+A` adds A, `-A` removes A, a bare `A` is A if native; a
//       field `LO-HI` is every value from LO to HI; `N` is an argument not
//       given (0). Syscall names are resolved per arch the way
//       scmp_sys_resolver -t does (socket on x86 is socketcall).
//       seccomp_data gets the arch's AUDIT_ARCH (x32: AUDIT_ARCH_X86_64 and
//       numbers with the x32 bit) and the arguments as given, as
//       scmp_bpf_sim does. polc writes a filter in its arches' byte order,
//       and one filter holds one byte order: FILTER.bpf is little-endian and
//       runs the little-endian arches' vectors, or with --big-endian it is
//       big-endian (decoded to host order, each argument's 32-bit halves
//       swapped as a big-endian seccomp_data lays them out) and runs the
//       big-endian arches' vectors. Vectors of the other byte order must be
//       skipped by a rule.
//       Results are named as scmp_bpf_sim prints them: ALLOW, KILL (kill
//       thread), KILL_PROCESS, TRAP, ERRNO(N), TRACE(N), LOG, NOTIFY.
//
//       Prints the failures (the first 50, then how many more), then one
//       summary line and one line per rule with the vectors it matched:
//         NAME: V vectors: P passed, S skipped, D differ as documented,
//           B expected failures, F failed
//       (F counts failures and VECTOR-BUG vectors that passed), and exits 1
//       if F is not 0 or a rule matched nothing. Names are resolved by the
//       libseccomp polc links (2.5.4 on Debian 12, the banks' version).
//
// Exit status: 0 success, 1 failures, 2 usage or input errors.
//
//===----------------------------------------------------------------------===//
#include "polc/BPF/Emulator.h"

#include <seccomp.h>

#include <linux/audit.h>
#include <linux/seccomp.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using polc::bpf::Insn;

namespace {

constexpr uint32_t CatchAllErrno = 4094;
constexpr uint32_t MaxErrno = 4095;

[[noreturn]] void fatal(const std::string &msg) {
  std::fprintf(stderr, "seccomp-emu: %s\n", msg.c_str());
  std::exit(2);
}

std::vector<std::string> split(const std::string &s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string w; in >> w;)
    out.push_back(w);
  return out;
}

std::string trim(const std::string &s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos)
    return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

/// "123", "0x7b", "-1" as 64 bits.
std::optional<uint64_t> parseU64(std::string s) {
  bool neg = !s.empty() && s[0] == '-';
  if (neg)
    s.erase(0, 1);
  if (s.empty() || s[0] == '-' || s[0] == '+')
    return std::nullopt;
  char *end = nullptr;
  errno = 0;
  unsigned long long v = std::strtoull(s.c_str(), &end, 0);
  if (errno || *end)
    return std::nullopt;
  return neg ? uint64_t(0) - uint64_t(v) : uint64_t(v);
}

std::vector<Insn> readFilter(const std::string &path, bool bigEndian = false) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    fatal(path + ": cannot open");
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  if (bytes.empty() || bytes.size() % 8)
    fatal(path + ": not a filter (" + std::to_string(bytes.size()) +
          " bytes; want whole 8-byte sock_filter entries)");
  std::vector<Insn> prog = polc::bpf::decode(bytes, bigEndian);
  std::string why = polc::bpf::validate(prog);
  if (!why.empty())
    fatal(path + ": the kernel would refuse this filter: " + why);
  return prog;
}

std::vector<std::string> readLines(const std::string &path) {
  std::vector<std::string> lines;
  if (path == "-") {
    for (std::string l; std::getline(std::cin, l);)
      lines.push_back(l);
    return lines;
  }
  std::ifstream in(path);
  if (!in)
    fatal(path + ": cannot open");
  for (std::string l; std::getline(in, l);)
    lines.push_back(l);
  return lines;
}

//===----------------------------------------------------------------------===//
// verdicts
//===----------------------------------------------------------------------===//

struct Case {
  int nr = 0;
  uint64_t args[6] = {};
  bool operator<(const Case &o) const {
    if (nr != o.nr)
      return nr < o.nr;
    return std::lexicographical_compare(args, args + 6, o.args, o.args + 6);
  }
};

/// One case per non-blank line (what seccomp-live accepts).
std::vector<Case> readCases(const std::string &path) {
  std::vector<Case> cases;
  std::vector<std::string> lines = readLines(path);
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string l = lines[i].substr(0, lines[i].find('#'));
    std::vector<std::string> w = split(l);
    if (w.empty())
      continue;
    Case c;
    bool ok = w.size() <= 7;
    for (size_t k = 0; ok && k < w.size(); ++k) {
      std::optional<uint64_t> v = parseU64(w[k]);
      if (!v) {
        ok = false;
      } else if (k == 0) {
        int64_t s = int64_t(*v);
        ok = s >= INT32_MIN && s <= int64_t(UINT32_MAX);
        c.nr = int(uint32_t(*v));
      } else {
        c.args[k - 1] = *v;
      }
    }
    if (!ok)
      fatal(path + ":" + std::to_string(i + 1) +
            ": expected NR [ARG...], at most 6 arguments");
    cases.push_back(c);
  }
  return cases;
}

std::string formatCase(const Case &c) {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "nr=%d args=0x%" PRIx64 ",0x%" PRIx64 ",0x%" PRIx64
                ",0x%" PRIx64 ",0x%" PRIx64 ",0x%" PRIx64,
                c.nr, c.args[0], c.args[1], c.args[2], c.args[3], c.args[4],
                c.args[5]);
  return buf;
}

/// The kernel's ACTION_ONLY: the action bits as a signed value, the order
/// in which filters' results are combined (lower wins).
int32_t actionOnly(uint32_t ret) {
  return int32_t(ret & SECCOMP_RET_ACTION_FULL);
}

/// What seccomp-live would print for a filter that returned \p ret.
std::string liveVerdict(uint32_t ret) {
  uint32_t catchAll = SECCOMP_RET_ERRNO | CatchAllErrno;
  // Newest filter first; a later (older) one wins only if strictly lower.
  uint32_t eff = actionOnly(catchAll) < actionOnly(ret) ? catchAll : ret;
  uint32_t data = eff & SECCOMP_RET_DATA;
  switch (eff & SECCOMP_RET_ACTION_FULL) {
  case SECCOMP_RET_ERRNO:
    data = std::min(data, MaxErrno);
    return data == CatchAllErrno ? "allow-or-lower"
                                 : "errno " + std::to_string(data);
  case SECCOMP_RET_TRAP:
    return "trap " + std::to_string(data);
  default:
    // KILL_PROCESS, KILL_THREAD, and any value the kernel does not know
    // (it kills for those too); everything above ERRNO lost to the
    // catch-all already.
    return "kill";
  }
}

int runVerdicts(const std::string &filter, const std::string &casesPath) {
  std::vector<Insn> prog = readFilter(filter);
  int status = 0;
  for (const Case &c : readCases(casesPath)) {
    std::vector<uint64_t> args(c.args, c.args + 6);
    polc::bpf::Result r =
        polc::bpf::run(prog, polc::bpf::makeData(c.nr, AUDIT_ARCH_X86_64, args));
    std::string verdict = r.ok() ? liveVerdict(r.ret) : "error: " + r.error;
    if (!r.ok())
      status = 1;
    std::printf("%s -> %s\n", formatCase(c).c_str(), verdict.c_str());
  }
  return status;
}

//===----------------------------------------------------------------------===//
// boundary
//===----------------------------------------------------------------------===//

std::vector<uint64_t> boundaries(uint64_t v, std::optional<uint64_t> mask) {
  const uint64_t Hi = 0xffffffff00000000u, Lo = 0xffffffffu;
  std::vector<uint64_t> out = {v,
                               v - 1,
                               v + 1,
                               0,
                               1,
                               0x7fffffffu,
                               0x80000000u,
                               Lo,
                               uint64_t(1) << 32,
                               uint64_t(1) << 63,
                               ~uint64_t(0),
                               v | Hi,
                               uint64_t(int64_t(int32_t(uint32_t(v)))),
                               v & Lo,
                               v + (uint64_t(1) << 32),
                               v ^ (uint64_t(1) << 63)};
  if (mask) {
    unsigned flipped = 0;
    for (unsigned b = 0; b < 64 && flipped < 8; ++b)
      if (*mask & (uint64_t(1) << b)) {
        out.push_back(v ^ (uint64_t(1) << b));
        ++flipped;
      }
    out.push_back(v | ~*mask);
    out.push_back(v | (~*mask & Lo));
  }
  return out;
}

int runBoundary(const std::string &specPath) {
  std::vector<Case> out;
  std::set<Case> seen;
  auto emit = [&](const Case &c) {
    if (seen.insert(c).second)
      out.push_back(c);
  };
  std::vector<std::string> lines = readLines(specPath);
  for (size_t i = 0; i < lines.size(); ++i) {
    std::vector<std::string> w =
        split(lines[i].substr(0, lines[i].find('#')));
    if (w.empty())
      continue;
    auto bad = [&] {
      fatal(specPath + ":" + std::to_string(i + 1) +
            ": expected NR and six arguments (V, V&M or -)");
    };
    if (w.size() != 7)
      bad();
    std::optional<uint64_t> nr = parseU64(w[0]);
    if (!nr || int64_t(*nr) < INT32_MIN || int64_t(*nr) > int64_t(UINT32_MAX))
      bad();
    Case base;
    base.nr = int(uint32_t(*nr));
    std::optional<uint64_t> masks[6];
    bool tested[6] = {};
    for (int k = 0; k < 6; ++k) {
      const std::string &f = w[k + 1];
      if (f == "-")
        continue;
      tested[k] = true;
      size_t amp = f.find('&');
      std::optional<uint64_t> v = parseU64(f.substr(0, amp));
      if (!v)
        bad();
      if (amp != std::string::npos) {
        masks[k] = parseU64(f.substr(amp + 1));
        if (!masks[k])
          bad();
      }
      base.args[k] = *v;
    }
    emit(base);
    for (int d : {-1, 1}) {
      Case n = base;
      n.nr = base.nr + d;
      emit(n);
    }
    for (int k = 0; k < 6; ++k)
      if (tested[k])
        for (uint64_t v : boundaries(base.args[k], masks[k])) {
          Case c = base;
          c.args[k] = v;
          emit(c);
        }
  }
  for (const Case &c : out) {
    std::printf("%d", c.nr);
    for (uint64_t a : c.args)
      std::printf(" 0x%" PRIx64, a);
    std::printf("\n");
  }
  return 0;
}

//===----------------------------------------------------------------------===//
// vectors
//===----------------------------------------------------------------------===//

const char *const NativeArch = "x86_64";
// tests/regression of libseccomp 2.5.4.
const char *const LittleEndianArches[] = {
    "x86", "x86_64", "x32", "arm", "aarch64", "mipsel", "mipsel64",
    "mipsel64n32", "ppc64le", "riscv64"};
const char *const BigEndianArches[] = {"mips", "mips64", "mips64n32", "ppc",
                                       "ppc64", "s390", "s390x"};

bool isBigEndian(const std::string &arch) {
  for (const char *a : BigEndianArches)
    if (arch == a)
      return true;
  return false;
}

/// The arch list of one vector line, as tests/regression expands it.
std::vector<std::string> expandArches(const std::string &field) {
  std::vector<std::string> add, avoid;
  std::string item;
  std::istringstream in(field);
  while (std::getline(in, item, ',')) {
    if (item == "all" || item == "all_le" || item == "all_64")
      add.push_back(NativeArch);
    else if (item == "all_be" || item == "all_32")
      ;
    else if (item == "+all_le")
      add.insert(add.end(), std::begin(LittleEndianArches),
                 std::end(LittleEndianArches));
    else if (item == "+all_be")
      add.insert(add.end(), std::begin(BigEndianArches),
                 std::end(BigEndianArches));
    else if (item[0] == '+')
      add.push_back(item.substr(1));
    else if (item[0] == '-')
      avoid.push_back(item.substr(1));
    else if (item == NativeArch)
      add.push_back(item);
  }
  std::vector<std::string> out;
  for (const std::string &a : add)
    if (std::find(avoid.begin(), avoid.end(), a) == avoid.end() &&
        std::find(out.begin(), out.end(), a) == out.end())
      out.push_back(a);
  return out;
}

/// A field's range: `N` (absent: 0), `V`, or `LO-HI`.
struct Range {
  uint64_t lo = 0, hi = 0;
  bool absent = false;
};

std::optional<Range> parseRange(const std::string &f) {
  Range r;
  if (f == "N") {
    r.absent = true;
    return r;
  }
  size_t dash = f.find('-', 1); // a leading '-' is a sign
  if (dash != std::string::npos) {
    std::optional<uint64_t> lo = parseU64(f.substr(0, dash));
    std::optional<uint64_t> hi = parseU64(f.substr(dash + 1));
    if (!lo || !hi || *lo > *hi)
      return std::nullopt;
    r.lo = *lo;
    r.hi = *hi;
    return r;
  }
  std::optional<uint64_t> v = parseU64(f);
  if (!v)
    return std::nullopt;
  r.lo = r.hi = *v;
  return r;
}

struct Vector {
  unsigned line;
  std::string arch, syscallField, result;
  uint64_t syscallValue; // the expanded number (before VECTOR-MAP)
  bool named;            // the syscall field is a name, not a number
  uint64_t args[6];
};

struct Rule {
  enum Kind { Skip, Diff, Bug } kind;
  unsigned line;   // in RULES
  std::string text; // the rule as written, for messages
  std::string reason;
  std::string diffAction;
  // Selector.
  bool all = false;
  std::set<unsigned> lines;
  std::set<std::string> arches;
  std::set<std::string> syscalls, results;
  std::vector<Range> nr;      // any of
  std::vector<Range> args[6]; // any of, per argument
  unsigned matched = 0;

  bool matches(const Vector &v) const {
    if (all)
      return true;
    if (!lines.empty() && !lines.count(v.line))
      return false;
    if (!arches.empty() && !arches.count(v.arch))
      return false;
    if (!syscalls.empty() && !syscalls.count(v.syscallField))
      return false;
    if (!results.empty() && !results.count(v.result))
      return false;
    if (!nr.empty() && (v.named || !inAny(nr, v.syscallValue)))
      return false;
    for (int k = 0; k < 6; ++k)
      if (!args[k].empty() && !inAny(args[k], v.args[k]))
        return false;
    return true;
  }

  static bool inAny(const std::vector<Range> &rs, uint64_t x) {
    for (const Range &r : rs)
      if (x >= r.lo && x <= r.hi)
        return true;
    return false;
  }
};

struct Map {
  std::string name;
  int swap = 0;
};

struct Rules {
  std::vector<Rule> rules;
  std::map<uint64_t, Map> maps;
};

Rules readRules(const std::string &path) {
  Rules out;
  std::vector<std::string> lines = readLines(path);
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string &l = lines[i];
    auto where = [&] { return path + ":" + std::to_string(i + 1) + ": "; };
    size_t at;
    if ((at = l.find("VECTOR-MAP:")) != std::string::npos) {
      std::vector<std::string> w = split(l.substr(at + 11));
      std::optional<uint64_t> nr = w.empty() ? std::nullopt : parseU64(w[0]);
      if (!nr || w.size() < 2 || w.size() > 3)
        fatal(where() + "expected VECTOR-MAP: NR NAME [swap=K]");
      Map m{w[1], 0};
      if (w.size() == 3) {
        if (w[2].rfind("swap=", 0) != 0 || w[2].size() != 6 || w[2][5] < '1' ||
            w[2][5] > '5')
          fatal(where() + "expected swap=K with K in 1..5");
        m.swap = w[2][5] - '0';
      }
      out.maps[*nr] = m;
      continue;
    }
    Rule r;
    std::string body;
    if ((at = l.find("VECTOR-SKIP:")) != std::string::npos) {
      r.kind = Rule::Skip;
      body = l.substr(at + 12);
    } else if ((at = l.find("VECTOR-DIFF:")) != std::string::npos) {
      r.kind = Rule::Diff;
      body = l.substr(at + 12);
    } else if ((at = l.find("VECTOR-BUG:")) != std::string::npos) {
      r.kind = Rule::Bug;
      body = l.substr(at + 11);
    } else {
      continue;
    }
    r.line = i + 1;
    size_t sep = body.find(" -- ");
    if (sep == std::string::npos || trim(body.substr(sep + 4)).empty())
      fatal(where() + "a rule needs ' -- REASON'");
    r.reason = trim(body.substr(sep + 4));
    std::string sel = body.substr(0, sep);
    if (r.kind == Rule::Diff) {
      size_t arrow = sel.find("=>");
      if (arrow == std::string::npos)
        fatal(where() + "expected VECTOR-DIFF: SELECTOR => ACTION -- REASON");
      r.diffAction = trim(sel.substr(arrow + 2));
      sel = sel.substr(0, arrow);
    }
    r.text = trim(sel);
    std::vector<std::string> toks = split(sel);
    if (toks.empty())
      fatal(where() + "empty selector (write 'all' to select every vector)");
    for (const std::string &t : toks) {
      if (t == "all") {
        r.all = true;
        continue;
      }
      size_t eq = t.find('=');
      if (eq == std::string::npos)
        fatal(where() + "bad selector '" + t + "'");
      std::string key = t.substr(0, eq), val = t.substr(eq + 1);
      std::istringstream items(val);
      std::string item;
      if (key == "line") {
        while (std::getline(items, item, ',')) {
          std::optional<uint64_t> n = parseU64(item);
          if (!n)
            fatal(where() + "bad line number '" + item + "'");
          r.lines.insert(unsigned(*n));
        }
      } else if (key == "arch") {
        while (std::getline(items, item, ','))
          r.arches.insert(item);
      } else if (key == "syscall") {
        while (std::getline(items, item, ','))
          r.syscalls.insert(item);
      } else if (key == "result") {
        while (std::getline(items, item, ','))
          r.results.insert(item);
      } else if (key == "nr" || (key.size() == 2 && key[0] == 'a' &&
                                 key[1] >= '0' && key[1] <= '5')) {
        std::vector<Range> &into = key == "nr" ? r.nr : r.args[key[1] - '0'];
        while (std::getline(items, item, ',')) {
          std::optional<Range> range = parseRange(item);
          if (!range || range->absent)
            fatal(where() + "bad value '" + item + "' for " + key);
          into.push_back(*range);
        }
      } else {
        fatal(where() + "unknown selector key '" + key + "'");
      }
    }
    out.rules.push_back(r);
  }
  return out;
}

/// How scmp_bpf_sim names a filter's return value.
std::string simName(uint32_t ret) {
  uint32_t data = ret & SECCOMP_RET_DATA;
  switch (ret & SECCOMP_RET_ACTION_FULL) {
  case SECCOMP_RET_KILL_PROCESS: return "KILL_PROCESS";
  case SECCOMP_RET_KILL_THREAD: return "KILL";
  case SECCOMP_RET_TRAP: return "TRAP";
  case SECCOMP_RET_ERRNO: return "ERRNO(" + std::to_string(data) + ")";
  case SECCOMP_RET_USER_NOTIF: return "NOTIFY";
  case SECCOMP_RET_TRACE: return "TRACE(" + std::to_string(data) + ")";
  case SECCOMP_RET_LOG: return "LOG";
  case SECCOMP_RET_ALLOW: return "ALLOW";
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "UNKNOWN(0x%08x)", ret);
  return buf;
}

/// libseccomp's token for \p arch (for name resolution) and the
/// AUDIT_ARCH value the kernel puts in seccomp_data.
std::pair<uint32_t, uint32_t> archTokens(const std::string &arch) {
  uint32_t token = seccomp_arch_resolve_name(arch.c_str());
  if (token == 0)
    fatal("unknown arch '" + arch + "'");
  uint32_t audit = arch == "x32" ? AUDIT_ARCH_X86_64 : token;
  return {token, audit};
}

/// As scmp_sys_resolver -t: a multiplexed call becomes its multiplexer
/// (socket on x86 is socketcall); a name the arch does not have stays
/// libseccomp's negative pseudo-number, which the filter never matches.
int resolveSyscall(uint32_t token, const std::string &arch,
                   const std::string &name) {
  int nr = seccomp_syscall_resolve_name_rewrite(token, name.c_str());
  if (nr == __NR_SCMP_ERROR)
    fatal("syscall '" + name + "' is unknown to libseccomp on " + arch);
  return nr;
}

std::string describe(const Vector &v, int nr, const uint64_t *args) {
  char buf[320];
  std::snprintf(buf, sizeof buf,
                "line %u: arch %s syscall %s (nr %d) args 0x%" PRIx64
                ",0x%" PRIx64 ",0x%" PRIx64 ",0x%" PRIx64 ",0x%" PRIx64
                ",0x%" PRIx64,
                v.line, v.arch.c_str(), v.syscallField.c_str(), nr, args[0],
                args[1], args[2], args[3], args[4], args[5]);
  return buf;
}

int runVectors(const std::string &filter, const std::string &testsPath,
               const std::string &rulesPath, bool bigEndian) {
  std::vector<Insn> prog = readFilter(filter, bigEndian);
  Rules rules = readRules(rulesPath);
  std::vector<std::string> lines = readLines(testsPath);
  std::string bank;
  unsigned total = 0, passed = 0, skipped = 0, differed = 0, bugs = 0,
           failed = 0, bugPassed = 0;
  const size_t MaxReported = 50;
  size_t reported = 0;
  auto report = [&](const std::string &msg) {
    if (reported++ < MaxReported)
      std::printf("%s\n", msg.c_str());
  };
  bool inSim = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string l = trim(lines[i]);
    if (l.rfind("test type:", 0) == 0) {
      inSim = trim(l.substr(10)) == "bpf-sim";
      continue;
    }
    if (!inSim || l.empty() || l[0] == '#')
      continue;
    std::vector<std::string> w = split(l);
    if (w.size() != 10)
      fatal(testsPath + ":" + std::to_string(i + 1) +
            ": expected 10 fields (name arch syscall arg0..arg5 result)");
    if (bank.empty())
      bank = w[0];
    std::optional<Range> ranges[6];
    for (int k = 0; k < 6; ++k) {
      ranges[k] = parseRange(w[3 + k]);
      if (!ranges[k])
        fatal(testsPath + ":" + std::to_string(i + 1) + ": bad argument '" +
              w[3 + k] + "'");
    }
    for (const std::string &arch : expandArches(w[1])) {
      // The syscall field: a number, a range, or a name (per arch).
      std::optional<Range> sys;
      bool named = false;
      if (std::isdigit(static_cast<unsigned char>(w[2][0])) || w[2][0] == '-')
        sys = parseRange(w[2]);
      if (!sys) {
        named = true;
        sys = Range{};
      }
      for (uint64_t s = sys->lo;; ++s) {
        // Every argument combination, as the regression script's loops.
        uint64_t cur[6];
        for (int k = 0; k < 6; ++k)
          cur[k] = ranges[k]->lo;
        for (;;) {
          Vector v{unsigned(i + 1), arch, w[2], w[9], s, named, {}};
          std::copy(cur, cur + 6, v.args);
          ++total;
          const Rule *rule = nullptr;
          for (Rule &r : rules.rules)
            if (r.matches(v)) {
              ++r.matched;
              rule = &r;
              break;
            }
          if (rule && rule->kind == Rule::Skip) {
            ++skipped;
          } else if (isBigEndian(arch) != bigEndian) {
            fatal(testsPath + ":" + std::to_string(i + 1) + ": arch " + arch +
                  " is " + (bigEndian ? "little" : "big") +
                  "-endian and the filter is not; skip it with a "
                  "VECTOR-SKIP rule");
          } else {
            auto [token, audit] = archTokens(arch);
            int nr;
            uint64_t args[6];
            std::copy(v.args, v.args + 6, args);
            auto mapped = rules.maps.find(s);
            if (named) {
              nr = resolveSyscall(token, arch, w[2]);
            } else if (mapped != rules.maps.end()) {
              nr = resolveSyscall(token, arch, mapped->second.name);
              if (int k = mapped->second.swap)
                std::swap(args[0], args[k]);
            } else {
              nr = int(uint32_t(s));
            }
            std::vector<uint64_t> argv(args, args + 6);
            // A big-endian kernel's seccomp_data holds each argument's high
            // word first: swap the halves, so that the emulator's host-order
            // word loads (offset 16 + 8i, then 20 + 8i) see what the
            // filter's would there (high, then low).
            if (bigEndian)
              for (uint64_t &x : argv)
                x = (x << 32) | (x >> 32);
            polc::bpf::Result r =
                polc::bpf::run(prog, polc::bpf::makeData(nr, audit, argv));
            if (!r.ok())
              fatal("the emulator failed: " + r.error);
            std::string got = simName(r.ret);
            std::string want = v.result;
            if (rule && rule->kind == Rule::Diff)
              want = rule->diffAction;
            bool ok = got == want;
            if (rule && rule->kind == Rule::Bug) {
              if (ok) {
                ++bugPassed;
                report("UNEXPECTED PASS " + describe(v, nr, args) + ": " +
                       got + " (VECTOR-BUG at " + rulesPath + ":" +
                       std::to_string(rule->line) + ": " + rule->reason + ")");
              } else {
                ++bugs;
              }
            } else if (ok) {
              rule ? ++differed : ++passed;
            } else {
              ++failed;
              report("FAIL " + describe(v, nr, args) + ": expected " + want +
                     (rule ? " (VECTOR-DIFF)" : "") + ", got " + got);
            }
          }
          // Next argument combination (arg 5 fastest).
          int k = 5;
          while (k >= 0 && cur[k] == ranges[k]->hi) {
            cur[k] = ranges[k]->lo;
            --k;
          }
          if (k < 0)
            break;
          ++cur[k];
        }
        if (named || s == sys->hi)
          break;
      }
    }
  }
  if (reported > MaxReported)
    std::printf("... and %zu more\n", reported - MaxReported);
  if (bank.empty())
    fatal(testsPath + ": no bpf-sim vectors");
  std::printf("%s: %u vectors: %u passed, %u skipped, %u differ as "
              "documented, %u expected failures, %u failed\n",
              bank.c_str(), total, passed, skipped, differed, bugs,
              failed + bugPassed);
  bool stale = false;
  for (const Rule &r : rules.rules) {
    const char *kind = r.kind == Rule::Skip   ? "skipped"
                       : r.kind == Rule::Diff ? "differ"
                                              : "bug";
    std::printf("  %s %u: %s%s\n", kind, r.matched, r.reason.c_str(),
                r.kind == Rule::Diff ? (" (=> " + r.diffAction + ")").c_str()
                                     : "");
    if (r.matched == 0) {
      std::printf("error: %s:%u: the rule '%s' matches no vector\n",
                  rulesPath.c_str(), r.line, r.text.c_str());
      stale = true;
    }
  }
  return failed || bugPassed || stale ? 1 : 0;
}

int usage() {
  std::fprintf(stderr,
               "usage: seccomp-emu verdicts FILTER.bpf CASES|-\n"
               "       seccomp-emu boundary SPEC|-\n"
               "       seccomp-emu vectors FILTER.bpf FILE.tests RULES "
               "[--big-endian]\n");
  return 2;
}

} // namespace

int main(int argc, char **argv) {
  std::vector<std::string> a(argv + 1, argv + argc);
  if (a.size() == 3 && a[0] == "verdicts")
    return runVerdicts(a[1], a[2]);
  if (a.size() == 2 && a[0] == "boundary")
    return runBoundary(a[1]);
  if (a.size() == 4 && a[0] == "vectors")
    return runVectors(a[1], a[2], a[3], false);
  if (a.size() == 5 && a[0] == "vectors" && a[4] == "--big-endian")
    return runVectors(a[1], a[2], a[3], true);
  return usage();
}
