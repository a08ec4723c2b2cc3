//===- OCIJSON.h - OCI runtime-spec linux.seccomp JSON ----------*- C++ -*-===//
#ifndef POLC_SECCOMP_OCIJSON_H
#define POLC_SECCOMP_OCIJSON_H

#include "polc/Seccomp/Program.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

namespace polc::seccomp {

/// The OCI runtime-spec `linux.seccomp` object for \p program: only keys the
/// spec defines (no Docker extensions), actions spelled as the spec does,
/// `kill` as SCMP_ACT_KILL_PROCESS, errnoRet only with SCMP_ACT_ERRNO.
llvm::json::Value toOCIJSON(const Program &program);

/// The same profile in Docker's format (podman, docker --security-opt
/// seccomp=): `archMap` instead of `architectures`, each host arch with the
/// other ABIs it runs (x86 and x32 on x86_64) among its subArchitectures.
/// The same limits as OCI apply (checkOCIExpressible).
llvm::json::Value toDockerJSON(const Program &program);

/// Whether the OCI format can say what \p program means. It cannot carry a
/// trace value, nor give one syscall different argument conditions on
/// different arches (a per-arch constant such as O_DIRECTORY): an OCI entry
/// applies to every listed arch, so the other arch's condition would apply
/// too. The error says which.
llvm::Error checkOCIExpressible(const Program &program);

/// The syscalls whose baseline ENOSYS the JSON formats leave out, each with
/// the arches where it is newer than the baseline: those where it is newer
/// on some of the program's arches only (i386's arch_prctl, s390x's
/// memfd_secret). An OCI or Docker entry applies to every listed arch, and
/// ENOSYS for all of them would take the call away where it is old; so
/// toOCIJSON gives such a syscall the default action on every arch, and
/// checkOCIExpressible does not count the difference.
std::vector<std::pair<std::string, std::vector<kb::Arch>>>
getJSONBaselineOmissions(const Program &program);

/// The OCI spelling of an action ("SCMP_ACT_ERRNO").
llvm::StringRef getOCIActionName(const ir::Action &action);

} // namespace polc::seccomp

#endif
