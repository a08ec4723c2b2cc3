//===- seccomp-roundtrip.cpp - a profile's filter against polc's ----------===//
//
// seccomp-roundtrip PROFILE.json POLC.bpf HOST [CAP,...|default]
//
// Builds the filter a container runtime builds from a Docker seccomp profile
// on a HOST (amd64 or arm64) host, independently of polc: moby's rules for
// archMap, includes and excludes (with the capabilities given, Docker's
// default set by default, and a kernel newer than every minKernel), then
// libseccomp itself (seccomp_rule_add_array, as runc does through
// libseccomp-golang; names libseccomp does not know are skipped, rules equal
// to the default are skipped). Then runs both that filter and polc's
// (POLC.bpf, from `polc import` + `polc --emit=bpf`) in polc's BPF emulator
// on every syscall number of each of the host's arches, and for syscalls the
// profile filters by argument, at boundary values of every constant the
// profile compares with (c-1, c, c+1, 0, 2^31, 2^32, 2^63, -1, with and
// without upper bits), and socketcall and ipc at every call number (with
// and without an ipc version or upper bits).
//
// Every verdict must be equal, except where polc is deliberately different,
// which is counted per reason and printed:
//  - upper-half: a 32-bit argument with bits set above 32, or ipc's call
//    with a version above its low 16 bits: polc compares what the kernel
//    reads, the low 32 bits (pitfalls S12), the low 16 of ipc's call;
//    accepted when polc's verdict equals the profile's on the truncated
//    value.
//  - multiplexed: a call whose profile rule has conditions on an arch where
//    it also arrives through socketcall/ipc: libseccomp filters the direct
//    call and lets the multiplexer through; polc allows both (S5).
//  - overlap: the profile gives a syscall two unconditional actions (an
//    allow list and a denial for want of a capability); libseccomp keeps
//    the rule added first and drops the other silently, polc keeps the
//    stricter (S17), as `polc import` warns (-Wimport-overlap).
// Exit status 1 on any other difference, with the first ones listed.
//
//===----------------------------------------------------------------------===//
#include "polc/BPF/Emulator.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <seccomp.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unistd.h>
#include <vector>

namespace json = llvm::json;
using namespace polc;

namespace {

const char *const dockerDefaultCaps[] = {
    "CAP_CHOWN",   "CAP_DAC_OVERRIDE", "CAP_FSETID",  "CAP_FOWNER",
    "CAP_MKNOD",   "CAP_NET_RAW",      "CAP_SETGID",  "CAP_SETUID",
    "CAP_SETFCAP", "CAP_SETPCAP",      "CAP_NET_BIND_SERVICE",
    "CAP_SYS_CHROOT", "CAP_KILL",      "CAP_AUDIT_WRITE"};

[[noreturn]] void die(const std::string &msg) {
  llvm::errs() << "seccomp-roundtrip: " << msg << "\n";
  std::exit(2);
}

uint32_t actionOf(llvm::StringRef act, std::optional<int64_t> ret) {
  if (act == "SCMP_ACT_ALLOW") return SCMP_ACT_ALLOW;
  if (act == "SCMP_ACT_ERRNO") return SCMP_ACT_ERRNO(uint16_t(ret.value_or(EPERM)));
  if (act == "SCMP_ACT_KILL" || act == "SCMP_ACT_KILL_THREAD") return SCMP_ACT_KILL;
  if (act == "SCMP_ACT_KILL_PROCESS") return SCMP_ACT_KILL_PROCESS;
  if (act == "SCMP_ACT_TRAP") return SCMP_ACT_TRAP;
  if (act == "SCMP_ACT_TRACE") return SCMP_ACT_TRACE(uint16_t(ret.value_or(EPERM)));
  if (act == "SCMP_ACT_LOG") return SCMP_ACT_LOG;
  die("unknown action " + act.str());
}

scmp_compare opOf(llvm::StringRef op) {
  if (op == "SCMP_CMP_NE") return SCMP_CMP_NE;
  if (op == "SCMP_CMP_LT") return SCMP_CMP_LT;
  if (op == "SCMP_CMP_LE") return SCMP_CMP_LE;
  if (op == "SCMP_CMP_EQ") return SCMP_CMP_EQ;
  if (op == "SCMP_CMP_GE") return SCMP_CMP_GE;
  if (op == "SCMP_CMP_GT") return SCMP_CMP_GT;
  if (op == "SCMP_CMP_MASKED_EQ") return SCMP_CMP_MASKED_EQ;
  die("unknown op " + op.str());
}

std::vector<std::string> strings(const json::Object *o, llvm::StringRef key) {
  std::vector<std::string> out;
  if (o)
    if (const json::Array *a = o->getArray(key))
      for (const json::Value &v : *a)
        if (auto s = v.getAsString())
          out.push_back(s->str());
  return out;
}

/// libseccomp's arch token for "SCMP_ARCH_X86_64".
uint32_t archToken(llvm::StringRef oci) {
  std::string name = oci.drop_front(strlen("SCMP_ARCH_")).lower();
  uint32_t t = seccomp_arch_resolve_name(name.c_str());
  if (!t)
    die("unknown arch " + oci.str());
  return t;
}

struct Reference {
  std::vector<uint8_t> bpf;
  std::vector<uint32_t> arches;
  /// Syscalls with argument rules, and the constants they compare with.
  std::set<std::string> filtered;
  /// Syscalls given a second, different unconditional action: libseccomp
  /// keeps the first rule (S17).
  std::map<std::string, uint32_t> firstAction;
  std::set<std::string> overlapped;
  std::set<uint64_t> constants;
};

Reference buildReference(const json::Object &root, llvm::StringRef host,
                         const std::set<std::string> &caps) {
  Reference ref;
  std::optional<int64_t> defRet;
  if (const json::Value *v = root.get("defaultErrnoRet"))
    if (auto i = v->getAsInteger()) defRet = *i;
  uint32_t def = actionOf(*root.getString("defaultAction"), defRet);
  scmp_filter_ctx ctx = seccomp_init(def);
  if (!ctx)
    die("seccomp_init failed");
  std::string hostOCI = host == "amd64" ? "SCMP_ARCH_X86_64" : "SCMP_ARCH_AARCH64";
  if (const json::Array *map = root.getArray("archMap"))
    for (const json::Value &e : *map) {
      const json::Object *o = e.getAsObject();
      if (*o->getString("architecture") != hostOCI)
        continue;
      ref.arches.push_back(archToken(hostOCI));
      for (const std::string &s : strings(o, "subArchitectures"))
        ref.arches.push_back(archToken(s));
    }
  if (ref.arches.empty())
    die("no archMap entry for " + host.str());
  seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE);
  for (uint32_t a : ref.arches)
    if (seccomp_arch_add(ctx, a) != 0)
      die("seccomp_arch_add failed");

  for (const json::Value &v : *root.getArray("syscalls")) {
    const json::Object *e = v.getAsObject();
    const json::Object *inc = e->getObject("includes");
    const json::Object *exc = e->getObject("excludes");
    // moby's profiles/seccomp: the native arch and the bounding set decide.
    std::vector<std::string> ia = strings(inc, "arches");
    if (!ia.empty() && std::find(ia.begin(), ia.end(), host.str()) == ia.end())
      continue;
    std::vector<std::string> ea = strings(exc, "arches");
    if (std::find(ea.begin(), ea.end(), host.str()) != ea.end())
      continue;
    bool skip = false;
    for (const std::string &c : strings(inc, "caps"))
      skip |= !caps.count(c);
    for (const std::string &c : strings(exc, "caps"))
      skip |= caps.count(c) > 0;
    if (exc && exc->getString("minKernel")) // the kernel is newer than any
      skip = true;
    if (skip)
      continue;
    std::optional<int64_t> ret;
    if (const json::Value *r = e->get("errnoRet"))
      if (auto i = r->getAsInteger()) ret = *i;
    uint32_t act = actionOf(*e->getString("action"), ret);
    if (act == def)
      continue; // runc: the default applies anyway
    std::vector<scmp_arg_cmp> cmps;
    if (const json::Array *args = e->getArray("args"))
      for (const json::Value &a : *args) {
        const json::Object *o = a.getAsObject();
        auto num = [&](llvm::StringRef k) -> uint64_t {
          const json::Value *x = o->get(k);
          if (!x)
            return 0;
          if (auto u = x->getAsUINT64())
            return *u;
          return uint64_t(*x->getAsInteger());
        };
        scmp_arg_cmp c{unsigned(num("index")), opOf(*o->getString("op")),
                       num("value"), num("valueTwo")};
        cmps.push_back(c);
        ref.constants.insert(c.datum_a);
        ref.constants.insert(c.datum_b);
      }
    for (const std::string &name : strings(e, "names")) {
      int nr = seccomp_syscall_resolve_name(name.c_str());
      if (nr == __NR_SCMP_ERROR)
        continue; // runc skips names libseccomp does not know
      if (cmps.empty()) {
        auto [it, fresh] = ref.firstAction.try_emplace(name, act);
        if (!fresh && it->second != act)
          ref.overlapped.insert(name);
      }
      int rc = seccomp_rule_add_array(ctx, act, nr, cmps.size(), cmps.data());
      if (rc != 0 && rc != -EEXIST)
        llvm::errs() << "note: libseccomp refused a rule for " << name << ": "
                     << strerror(-rc) << "\n";
      if (cmps.empty())
        continue;
      ref.filtered.insert(name);
    }
  }
  char path[] = "/tmp/seccomp-roundtrip-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0 || seccomp_export_bpf(ctx, fd) != 0)
    die("seccomp_export_bpf failed");
  unlink(path);
  off_t size = lseek(fd, 0, SEEK_END);
  ref.bpf.resize(size_t(size));
  if (pread(fd, ref.bpf.data(), ref.bpf.size(), 0) != size)
    die("cannot read the exported filter");
  close(fd);
  seccomp_release(ctx);
  return ref;
}

std::string archName(uint32_t a) {
  switch (a) {
  case SCMP_ARCH_X86_64: return "x86_64";
  case SCMP_ARCH_X86: return "x86";
  case SCMP_ARCH_X32: return "x32";
  case SCMP_ARCH_AARCH64: return "aarch64";
  case SCMP_ARCH_ARM: return "arm";
  }
  return "0x" + llvm::utohexstr(a);
}

std::string verdict(uint32_t ret) {
  uint32_t act = ret & SECCOMP_RET_ACTION_FULL;
  std::string s = llvm::utohexstr(act);
  if (act == SECCOMP_RET_ERRNO || act == SECCOMP_RET_TRACE)
    s += "/" + std::to_string(ret & SECCOMP_RET_DATA);
  return s;
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 4)
    die("usage: seccomp-roundtrip PROFILE.json POLC.bpf amd64|arm64 [CAPS|default]");
  auto jsonBuf = llvm::MemoryBuffer::getFile(argv[1]);
  auto polcBuf = llvm::MemoryBuffer::getFile(argv[2]);
  if (!jsonBuf || !polcBuf)
    die("cannot read the inputs");
  llvm::Expected<json::Value> root = json::parse((*jsonBuf)->getBuffer());
  if (!root)
    die(llvm::toString(root.takeError()));
  llvm::StringRef host = argv[3];
  std::set<std::string> caps;
  if (argc < 5 || llvm::StringRef(argv[4]) == "default")
    caps.insert(std::begin(dockerDefaultCaps), std::end(dockerDefaultCaps));
  else
    for (llvm::StringRef c : llvm::split(argv[4], ','))
      if (!c.empty() && c != "none")
        caps.insert(c.str());

  Reference ref = buildReference(*root->getAsObject(), host, caps);
  std::vector<bpf::Insn> refProg = bpf::decode(ref.bpf);
  llvm::StringRef pb = (*polcBuf)->getBuffer();
  std::vector<bpf::Insn> polcProg = bpf::decode(
      llvm::ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(pb.data()), pb.size()));
  for (auto *p : {&refProg, &polcProg})
    if (std::string why = bpf::validate(*p); !why.empty())
      die("invalid filter: " + why);

  // Boundary values of every constant the profile compares with.
  std::set<uint64_t> values{0, 1, 0x7fffffff, 0x80000000, 0xffffffff,
                            uint64_t(1) << 32, uint64_t(1) << 63, ~uint64_t(0)};
  for (uint64_t c : ref.constants)
    for (uint64_t v : {c - 1, c, c + 1}) {
      values.insert(v);
      values.insert(v | (uint64_t(1) << 32));            // upper half set
      values.insert(uint64_t(int64_t(int32_t(uint32_t(v))))); // sign-extended
    }

  unsigned failures = 0;
  for (uint32_t arch : ref.arches) {
    std::vector<int> numbers;
    uint32_t base = arch == SCMP_ARCH_X32 ? 0x40000000u : 0;
    for (int n = 0; n < 1024; ++n)
      numbers.push_back(int(base + n));
    if (arch == SCMP_ARCH_ARM)
      for (int n = 0xf0000; n < 0xf0010; ++n)
        numbers.push_back(n);
    std::map<std::string, unsigned> counts;
    for (int nr : numbers) {
      // The name libseccomp gives this number on this arch (x86's direct
      // socket calls included, which name lookups map to socketcall).
      std::string name;
      if (char *n = seccomp_syscall_resolve_num_arch(arch, nr)) {
        name = n;
        free(n);
      }
      bool filtered = ref.filtered.count(name) > 0;
      // A call also reached through socketcall/ipc on this arch.
      bool multiplexed = filtered && seccomp_syscall_resolve_name_arch(arch, name.c_str()) < 0;
      std::vector<std::array<uint64_t, 6>> argSets{{}};
      if (filtered)
        for (unsigned i = 0; i < 6; ++i)
          for (uint64_t v : values) {
            std::array<uint64_t, 6> a{};
            a[i] = v;
            argSets.push_back(a);
          }
      // The multiplexers: every call number (SYS_SOCKET 1 .. SYS_SENDMMSG
      // 20, SEMOP 1 .. SHMCTL 24), also with an ipc version (bit 16) and
      // with the upper half of the register set.
      bool ipc = name == "ipc";
      if (ipc || name == "socketcall")
        for (uint64_t c = 1; c <= 24; ++c)
          for (uint64_t v : {c, c | 0x10000, c | (uint64_t(1) << 32)}) {
            std::array<uint64_t, 6> a{};
            a[0] = v;
            argSets.push_back(a);
          }
      for (const auto &args : argSets) {
        // x32 calls arrive with x86_64's audit arch and the x32 bit set.
        uint32_t audit = arch == SCMP_ARCH_X32 ? SCMP_ARCH_X86_64 : arch;
        seccomp_data d = bpf::makeData(nr, audit, args);
        bpf::Result r = bpf::run(refProg, d), p = bpf::run(polcProg, d);
        if (!r.ok() || !p.ok())
          die("emulator: " + r.error + p.error);
        ++counts["verdicts"];
        if (r.ret == p.ret) {
          ++counts["equal"];
          continue;
        }
        // polc reads what the kernel reads: the low half of the arguments,
        // and of ipc's call the low 16 bits (the rest is a version).
        std::array<uint64_t, 6> low;
        for (unsigned i = 0; i < 6; ++i)
          low[i] = args[i] & 0xffffffffu;
        if (ipc)
          low[0] &= 0xffffu;
        if (low != args) {
          seccomp_data dl = bpf::makeData(nr, audit, low);
          if (bpf::run(refProg, dl).ret == p.ret) {
            ++counts["upper-half"];
            continue;
          }
        }
        if (multiplexed && p.action() == SECCOMP_RET_ALLOW) {
          ++counts["multiplexed"];
          continue;
        }
        // The kernel's precedence: the lower action value wins.
        if (ref.overlapped.count(name) &&
            (p.action() == SECCOMP_RET_KILL_PROCESS ||
             (r.action() != SECCOMP_RET_KILL_PROCESS && p.action() < r.action()))) {
          ++counts["overlap"];
          continue;
        }
        ++counts["different"];
        if (++failures <= 20) {
          llvm::outs() << "DIFFERENT " << archName(arch) << " nr=" << nr
                       << " args=";
          for (uint64_t a : args)
            llvm::outs() << "0x" << llvm::utohexstr(a) << ",";
          llvm::outs() << " profile=" << verdict(r.ret) << " polc=" << verdict(p.ret)
                       << "\n";
        }
      }
    }
    llvm::outs() << host << " host, " << archName(arch) << ": "
                 << counts["verdicts"] << " verdicts, " << counts["equal"]
                 << " equal, " << counts["upper-half"] << " upper-half, "
                 << counts["multiplexed"] << " multiplexed, " << counts["overlap"]
                 << " overlap, "
                 << counts["different"] << " different\n";
  }
  return failures ? 1 : 0;
}
