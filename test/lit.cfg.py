# lit configuration for polc's tests.
import os
import shutil
import subprocess

import lit.formats

config.name = "polc"
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".pol", ".test"]
config.excludes = ["Inputs", "tools", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.polc_obj_root, "test")

# Deterministic environment for every test.
config.environment["LC_ALL"] = "C"
config.environment["TZ"] = "UTC"

tools = os.path.join(config.test_source_root, "tools")
config.substitutions.append(("%polc", os.path.join(config.polc_tools_dir, "polc")))
config.substitutions.append(("%examples", os.path.join(config.polc_src_root, "examples")))
config.substitutions.append(("%tools", tools))
config.substitutions.append(("%python", config.python_executable))
config.environment["PATH"] = os.pathsep.join(
    [config.polc_tools_dir, config.llvm_tools_dir, config.environment.get("PATH", "/usr/bin:/bin")])

# A sanitizer build (POLC_SANITIZE, build-asan/): ASan reserves terabytes of
# address space, so tests that cap memory with `ulimit -v` say
# `UNSUPPORTED: asan`.
if config.polc_sanitize.upper() in ("ON", "1", "TRUE", "YES"):
    config.available_features.add("asan")

# The upstream corpora: present in CI (../shared/corpus), absent in a user's
# fresh clone, where tests that need them are UNSUPPORTED.
corpus = config.polc_corpus_dir
if os.path.isdir(corpus):
    config.available_features.add("corpus")
    config.substitutions.append(("%corpus", corpus))
    config.environment["POLC_CORPUS"] = corpus

# Test-only tools built from tools/src: the live seccomp loader and the
# command line of polc's BPF emulator. `seccomp-live` is a feature where the
# loader runs here (an x86_64 host whose kernel lets an unprivileged process
# install seccomp filters).
test_tools = os.path.join(config.polc_obj_root, "test", "tools")
seccomp_live = os.path.join(test_tools, "seccomp-live")
config.substitutions.append(("%seccomp-live", seccomp_live))
config.substitutions.append(("%seccomp-roundtrip", os.path.join(test_tools, "seccomp-roundtrip")))
config.substitutions.append(("%seccomp-emu", os.path.join(test_tools, "seccomp-emu")))
if os.path.exists(seccomp_live) and subprocess.call(
        [seccomp_live, "--probe"], stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL) == 0:
    config.available_features.add("seccomp-live")
elif not os.path.exists(seccomp_live):
    lit_config.warning("%s is not built: the live seccomp tests will be "
                       "UNSUPPORTED" % seccomp_live)

# Real consumers. apparmor_parser is pinned to the corpus's feature file
# (tools/aa-check); without it, it silently drops rule classes.
if shutil.which("apparmor_parser"):
    config.available_features.add("apparmor_parser")
# The AppArmor policy tree apparmor_parser resolves 'include <...>' against
# (tunables/global and the abstractions): Debian's apparmor package.
if os.path.isfile("/etc/apparmor.d/tunables/global") and os.path.isdir(
        "/etc/apparmor.d/abstractions"):
    config.available_features.add("apparmor-abstractions")
# The repository's documents and the build's generated copies (docs/CMakeLists.txt).
config.substitutions.append(("%docs", os.path.join(config.polc_src_root, "docs")))
config.substitutions.append(("%generated-docs", os.path.join(config.polc_obj_root, "docs")))
config.substitutions.append(("%kb", os.path.join(config.polc_src_root, "include", "polc", "KB")))
# bwrap must be able to create its sandbox here (root or user namespaces).
bwrap = shutil.which("bwrap")
if bwrap and subprocess.call([bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "true"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) == 0:
    config.available_features.add("bwrap")
# polc's syscall sets are pinned to systemd 252's (scripts/gen-syscall-sets.py):
# compared with systemd-analyze only where that is the version installed.
analyze = shutil.which("systemd-analyze")
if analyze and subprocess.run([analyze, "--version"], capture_output=True,
                              text=True).stdout.startswith("systemd 252 "):
    config.available_features.add("systemd-252")
# Debian's python3-jsonschema (tools/oci-check runs /usr/bin/python3).
if subprocess.call(["/usr/bin/python3", "-c", "import jsonschema"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) == 0:
    config.available_features.add("jsonschema")

# OCI runtimes (runc, crun, podman): a feature only where the runtime really
# runs a trivial container here (tools/oci-bundle, tools/oci-run).
import json
import tempfile


def oci_runtime_works(runtime):
    if not shutil.which(runtime):
        return False
    probe = tempfile.mkdtemp(prefix="polc-lit-%s-" % runtime)
    try:
        seccomp = os.path.join(probe, "allow.seccomp.json")
        with open(seccomp, "w") as f:
            json.dump({"defaultAction": "SCMP_ACT_ALLOW",
                       "architectures": ["SCMP_ARCH_X86_64"]}, f)
        bundle = os.path.join(probe, "bundle")
        quiet = dict(stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL, timeout=60)
        return (subprocess.call([os.path.join(tools, "oci-bundle"), bundle, seccomp,
                                 "/usr/bin/true"], **quiet) == 0
                and subprocess.call([os.path.join(tools, "oci-run"), runtime, bundle],
                                    **quiet) == 0)
    except (OSError, subprocess.SubprocessError):
        return False
    finally:
        shutil.rmtree(probe, ignore_errors=True)


for runtime in ("runc", "crun", "podman"):
    if oci_runtime_works(runtime):
        config.available_features.add(runtime)
