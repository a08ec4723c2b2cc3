//===- Libseccomp.cpp - seccomp::Program through libseccomp ---------------===//
//
// One libseccomp filter context per arch section, each holding exactly the
// section's rules (seccomp_rule_add_exact), merged into one filter with
// seccomp_merge. libseccomp interprets rule numbers as native numbers and
// translates them by name, so rules are added by the native (or pseudo)
// number of their name. Even in exact mode libseccomp gives a socket or IPC
// call on x86, s390x and ppc64le a multiplexer rule of its own besides the
// direct syscall (socketcall with a0 == SYS_SOCKET, compared exactly); the
// section also holds polc's masked rule for it (lower-multiplexed-calls),
// with the same action, which is the one that matters.
//
//===----------------------------------------------------------------------===//
#include "polc/Seccomp/Libseccomp.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/FormatVariadic.h"

#include <seccomp.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

using namespace polc;
using namespace polc::seccomp;

namespace {

uint32_t toLibseccomp(const ir::Action &a) {
  switch (a.kind) {
  case ir::Action::Kind::Allow: return SCMP_ACT_ALLOW;
  case ir::Action::Kind::Log: return SCMP_ACT_LOG;
  case ir::Action::Kind::Errno: return SCMP_ACT_ERRNO(a.errnoValue);
  case ir::Action::Kind::Trap: return SCMP_ACT_TRAP;
  case ir::Action::Kind::Trace: return SCMP_ACT_TRACE(a.traceValue);
  case ir::Action::Kind::Notify: return SCMP_ACT_NOTIFY;
  case ir::Action::Kind::KillThread: return SCMP_ACT_KILL_THREAD;
  case ir::Action::Kind::KillProcess: return SCMP_ACT_KILL_PROCESS;
  }
  return SCMP_ACT_KILL_PROCESS;
}

scmp_arg_cmp toLibseccomp(const ir::ArgCmp &c) {
  scmp_arg_cmp out{};
  out.arg = c.arg;
  out.datum_a = c.value;
  switch (c.op) {
  case ir::ArgCmp::Op::EQ: out.op = SCMP_CMP_EQ; break;
  case ir::ArgCmp::Op::NE: out.op = SCMP_CMP_NE; break;
  case ir::ArgCmp::Op::LT: out.op = SCMP_CMP_LT; break;
  case ir::ArgCmp::Op::LE: out.op = SCMP_CMP_LE; break;
  case ir::ArgCmp::Op::GT: out.op = SCMP_CMP_GT; break;
  case ir::ArgCmp::Op::GE: out.op = SCMP_CMP_GE; break;
  case ir::ArgCmp::Op::MaskedEQ:
    // libseccomp: datum_a is the mask, datum_b the value.
    out.op = SCMP_CMP_MASKED_EQ;
    out.datum_a = c.mask;
    out.datum_b = c.value;
    break;
  }
  return out;
}

llvm::Error fail(const llvm::Twine &what, int rc) {
  return llvm::createStringError(std::errc::invalid_argument, "%s: %s",
                                 what.str().c_str(), strerror(-rc));
}

struct CtxDeleter {
  void operator()(void *ctx) const { seccomp_release(ctx); }
};
using Ctx = std::unique_ptr<void, CtxDeleter>;

llvm::Expected<Ctx> buildSection(const Program &prog, const ArchSection &sec) {
  Ctx ctx(seccomp_init(toLibseccomp(prog.defaultAction)));
  if (!ctx)
    return llvm::createStringError(std::errc::not_enough_memory,
                                   "seccomp_init failed");
  llvm::StringRef archName = kb::getArchInfo(sec.arch).name;
  uint32_t token = seccomp_arch_resolve_name(archName.data());
  if (token == 0)
    return llvm::createStringError(std::errc::invalid_argument,
                                   "libseccomp does not know arch '%s'",
                                   archName.data());
  if (token != seccomp_arch_native()) {
    // Remove the native arch first: libseccomp refuses to mix byte orders
    // in one context, so a big-endian arch cannot be added beside it.
    if (int rc = seccomp_arch_remove(ctx.get(), SCMP_ARCH_NATIVE))
      return fail("removing the native arch", rc);
    if (int rc = seccomp_arch_add(ctx.get(), token))
      return fail("adding arch " + archName, rc);
  }
  if (int rc = seccomp_attr_set(ctx.get(), SCMP_FLTATR_ACT_BADARCH,
                                toLibseccomp(prog.badArchAction)))
    return fail("setting the bad-arch action", rc);
  for (const Rule &r : sec.rules) {
    // A call the arch makes only through socketcall/ipc (accept on x86):
    // the section has the multiplexer's masked rule for it
    // (lower-multiplexed-calls). Adding the name too would only make
    // libseccomp emit a comparison with the pseudo-number and its own
    // exact-compare multiplexer rule.
    if (r.nr < 0)
      continue;
    int native = seccomp_syscall_resolve_name(r.name.c_str());
    if (native == __NR_SCMP_ERROR)
      return llvm::createStringError(std::errc::invalid_argument,
                                     "libseccomp cannot resolve '%s'",
                                     r.name.c_str());
    llvm::SmallVector<scmp_arg_cmp, 6> cmps;
    for (const ir::ArgCmp &c : r.cond)
      cmps.push_back(toLibseccomp(c));
    if (int rc = seccomp_rule_add_exact_array(ctx.get(), toLibseccomp(r.action),
                                              native, cmps.size(), cmps.data()))
      return fail("adding rule for '" + r.name + "' on " + archName, rc);
  }
  return std::move(ctx);
}

llvm::Expected<Ctx> build(const Program &prog) {
  // The kernel runs a filter on seccomp_data in the host's byte order, so
  // one filter serves arches of one byte order only.
  for (const ArchSection &sec : prog.sections) {
    const kb::ArchInfo &a = kb::getArchInfo(sec.arch);
    const kb::ArchInfo &first = kb::getArchInfo(prog.sections.front().arch);
    if (a.bigEndian != first.bigEndian)
      return llvm::createStringError(
          std::errc::invalid_argument,
          "'%s' and '%s' have different byte orders and cannot share one BPF "
          "filter; put them in separate policies, or emit only seccomp-json",
          first.name.data(), a.name.data());
  }
  Ctx merged;
  for (const ArchSection &sec : prog.sections) {
    llvm::Expected<Ctx> ctx = buildSection(prog, sec);
    if (!ctx)
      return ctx.takeError();
    if (!merged) {
      merged = std::move(*ctx);
      continue;
    }
    // seccomp_merge takes ownership of its second argument on success.
    if (int rc = seccomp_merge(merged.get(), ctx->get()))
      return fail("merging arch sections", rc);
    (void)ctx->release();
  }
  if (!merged)
    return llvm::createStringError(std::errc::invalid_argument,
                                   "policy '%s' has no target arch",
                                   prog.name.c_str());
  return std::move(merged);
}

/// Runs \p exporter into an anonymous memory file and returns its bytes.
template <typename Fn>
llvm::Expected<std::string> exportToMemory(Fn exporter, const char *what) {
  int fd = memfd_create(what, MFD_CLOEXEC);
  if (fd < 0)
    return llvm::errorCodeToError(std::error_code(errno, std::generic_category()));
  auto closeFd = llvm::make_scope_exit([&] { close(fd); });
  if (int rc = exporter(fd))
    return fail(llvm::Twine("exporting ") + what, rc);
  off_t size = lseek(fd, 0, SEEK_END);
  std::string out(static_cast<size_t>(size), '\0');
  if (size > 0 && pread(fd, out.data(), out.size(), 0) != size)
    return llvm::errorCodeToError(std::error_code(errno, std::generic_category()));
  return out;
}

} // namespace

llvm::Expected<std::vector<uint8_t>> seccomp::emitBPF(const Program &program) {
  llvm::Expected<Ctx> ctx = build(program);
  if (!ctx)
    return ctx.takeError();
  llvm::Expected<std::string> bytes = exportToMemory(
      [&](int fd) { return seccomp_export_bpf(ctx->get(), fd); }, "bpf");
  if (!bytes)
    return bytes.takeError();
  size_t insns = bytes->size() / 8; // sizeof(struct sock_filter)
  if (insns > MaxFilterInstructions)
    return llvm::createStringError(
        std::errc::file_too_large,
        "the filter has %zu instructions; the kernel accepts at most %zu",
        insns, MaxFilterInstructions);
  return std::vector<uint8_t>(bytes->begin(), bytes->end());
}

llvm::Expected<std::string> seccomp::emitPFC(const Program &program) {
  llvm::Expected<Ctx> ctx = build(program);
  if (!ctx)
    return ctx.takeError();
  return exportToMemory(
      [&](int fd) { return seccomp_export_pfc(ctx->get(), fd); }, "pfc");
}
