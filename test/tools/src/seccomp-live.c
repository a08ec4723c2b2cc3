/* seccomp-live.c - run a raw seccomp filter in this machine's kernel, one
 * syscall at a time, and print what the kernel decided.
 *
 *   seccomp-live FILTER.bpf CASES     (CASES may be '-' for standard input)
 *   seccomp-live --probe              exit 0 if this kernel lets an
 *                                     unprivileged process install filters
 *
 * FILTER.bpf is a raw `struct sock_filter` array, what `polc --emit=bpf`
 * writes. CASES holds one syscall per line: the number and up to six
 * arguments (decimal, 0x hex, or negative), blank lines and '#' comments
 * ignored; missing arguments are 0.
 *
 * For each case a child process
 *   1. installs a SIGSYS handler (before any filter: sigaction is a syscall),
 *      turns core dumps off and arms an alarm as a safety net,
 *   2. sets no_new_privs,
 *   3. installs a catch-all filter that returns SECCOMP_RET_ERRNO | 4094 for
 *      every syscall, except the one seccomp() call of step 4, recognised by
 *      magic values in its unused argument registers,
 *   4. installs the filter under test,
 *   5. makes the case's syscall, records the outcome in memory it shares
 *      with the parent, and ends itself with an illegal instruction (any
 *      syscall to exit could be refused by the filter under test).
 *
 * The kernel runs every filter and keeps the action of highest precedence,
 * KILL_PROCESS > KILL_THREAD > TRAP > ERRNO > USER_NOTIF > TRACE > LOG >
 * ALLOW, and among equal actions the most recently installed filter's. So
 * the filter under test decides when it returns ERRNO or anything above it,
 * and the catch-all's ERRNO 4094 wins over ALLOW, LOG, TRACE and USER_NOTIF:
 * the case's syscall is never really executed, whatever its number and
 * arguments (a filter under test that returns errno 4094 itself reads as
 * allow-or-lower too).
 *
 * One line per case on standard output:
 *
 *   nr=41 args=0x2,0x1,0x0,0x0,0x0,0x0 -> errno 13
 *
 * where the verdict is one of
 *   errno N         the syscall failed with N (ERRNO 0 returns 0: errno 0)
 *   allow-or-lower  the filter under test returned ALLOW, LOG, TRACE or
 *                   USER_NOTIF (or errno 4094)
 *   trap N          SIGSYS was delivered, si_errno N (the filter's data)
 *   kill            the child was killed by SIGSYS (KILL_PROCESS or
 *                   KILL_THREAD: one thread, so the two look the same)
 *
 * Only the native ABI is exercised: the syscall is made with the syscall
 * instruction, so seccomp_data.arch is AUDIT_ARCH_X86_64 on x86_64 (the
 * only host this tool supports; elsewhere it reports itself unsupported).
 *
 * Exit status: 0 when every case got a verdict; 1 when a case could not be
 * run (the filter was refused, the child ended unexpectedly); 2 for usage
 * and input errors; 77 (--probe) when live runs are impossible here.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__x86_64__)
#define LIVE_SUPPORTED 1
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_X86_64
#else
#define LIVE_SUPPORTED 0
#endif

/* Magic values in the unused 4th..6th argument registers of the one
 * seccomp() call the catch-all lets through. */
#define MAGIC3 UINT64_C(0x706f6c632d6c6976) /* "polc-liv" */
#define MAGIC4 UINT64_C(0x652d736563636f6d) /* "e-seccom" */
#define MAGIC5 UINT64_C(0x702d6d6167696321) /* "p-magic!" */
#define CATCH_ALL_ERRNO 4094

enum state { NONE, RETURNED, TRAPPED, SETUP_FAILED };

/* Shared with the child (MAP_SHARED). */
struct report {
  volatile int state;
  long ret;
  int err;
  int trap_data;    /* si_errno */
  int trap_syscall; /* si_syscall */
  unsigned trap_arch;
  char msg[160];
};

static struct report *rep;

struct kase {
  int nr;
  uint64_t args[6];
};

static void die_quietly(void) {
  /* Ends the child without a syscall: SIGILL, default action, no core
   * (dumpable is off). */
  __builtin_trap();
}

static void on_sigsys(int sig, siginfo_t *info, void *uc) {
  (void)sig;
  (void)uc;
  if (rep->state == NONE) {
    rep->trap_data = info->si_errno;
    rep->trap_syscall = info->si_syscall;
    rep->trap_arch = info->si_arch;
    rep->state = TRAPPED;
  }
  die_quietly();
}

/* After the catch-all filter every syscall fails, so the child only
 * records what failed; the parent formats the message (strerror and
 * snprintf may allocate, which under ASan makes syscalls). */
static void setup_failed(const char *what) {
  rep->err = errno;
  size_t i = 0;
  for (; what[i] && i + 1 < sizeof rep->msg; ++i)
    rep->msg[i] = what[i];
  rep->msg[i] = 0;
  rep->state = SETUP_FAILED;
  die_quietly();
}

#if LIVE_SUPPORTED
#define LO(x) ((uint32_t)((x) & 0xffffffffu))
#define HI(x) ((uint32_t)((x) >> 32))
#define ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i))
#define ARG_HI(i) (offsetof(struct seccomp_data, args) + 8 * (i) + 4)

/* ERRNO 4094 for everything but seccomp(SET_MODE_FILTER, ...) with the
 * magic values in args[3..5], on the native arch. */
static struct sock_filter catch_all[] = {
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_AUDIT_ARCH, 0, 15),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_seccomp, 0, 13),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(0)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SECCOMP_SET_MODE_FILTER, 0, 11),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(3)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, LO(MAGIC3), 0, 9),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_HI(3)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, HI(MAGIC3), 0, 7),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(4)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, LO(MAGIC4), 0, 5),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_HI(4)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, HI(MAGIC4), 0, 3),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(5)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, LO(MAGIC5), 0, 1),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | CATCH_ALL_ERRNO),
};

/* The child: never returns. */
static void run_child(const struct sock_fprog *tested, const struct kase *c) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_sigsys;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  if (sigaction(SIGSYS, &sa, NULL) != 0)
    setup_failed("sigaction");
  struct rlimit no_core = {0, 0};
  if (setrlimit(RLIMIT_CORE, &no_core) != 0)
    setup_failed("setrlimit");
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
    setup_failed("PR_SET_DUMPABLE");
  alarm(10); /* SIGALRM ends a child that somehow hangs */
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
    setup_failed("PR_SET_NO_NEW_PRIVS");
  struct sock_fprog all = {sizeof catch_all / sizeof catch_all[0], catch_all};
  if (syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &all) != 0)
    setup_failed("installing the catch-all filter");
  if (syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, tested, MAGIC3, MAGIC4,
              MAGIC5) != 0)
    setup_failed("installing the filter under test");
  /* From here on, no syscall but the case's own. */
  long r = syscall(c->nr, c->args[0], c->args[1], c->args[2], c->args[3],
                   c->args[4], c->args[5]);
  int e = errno;
  if (rep->state == NONE) {
    rep->ret = r;
    rep->err = e;
    rep->state = RETURNED;
  }
  die_quietly();
  _exit(4);
}
#endif

static void format_case(char *out, size_t n, const struct kase *c) {
  snprintf(out, n,
           "nr=%d args=0x%" PRIx64 ",0x%" PRIx64 ",0x%" PRIx64 ",0x%" PRIx64
           ",0x%" PRIx64 ",0x%" PRIx64,
           c->nr, c->args[0], c->args[1], c->args[2], c->args[3], c->args[4],
           c->args[5]);
}

/* Parses "123", "0x7b", "-1" into 64 bits; 0 on error. */
static int parse_u64(const char *s, uint64_t *out) {
  int neg = *s == '-';
  if (neg)
    ++s;
  if (!*s || *s == '-' || *s == '+')
    return 0;
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 0);
  if (errno || *end)
    return 0;
  *out = neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  return 1;
}

/* One case from one line; 0 for a blank or comment line, -1 on error. */
static int parse_case(char *line, struct kase *c) {
  char *hash = strchr(line, '#');
  if (hash)
    *hash = 0;
  memset(c, 0, sizeof *c);
  int n = 0;
  for (char *tok = strtok(line, " \t\r\n"); tok; tok = strtok(NULL, " \t\r\n")) {
    uint64_t v;
    if (n > 6 || !parse_u64(tok, &v))
      return -1;
    if (n == 0) {
      int64_t s = (int64_t)v;
      if (s < INT32_MIN || s > (int64_t)UINT32_MAX)
        return -1;
      c->nr = (int)(uint32_t)v;
    } else {
      c->args[n - 1] = v;
    }
    ++n;
  }
  return n > 0;
}

#if LIVE_SUPPORTED
/* Runs one case; writes the verdict into out. 0 on success. */
static int run_case(const struct sock_fprog *tested, const struct kase *c,
                    char *out, size_t n) {
  memset(rep, 0, sizeof *rep);
  fflush(stdout);
  pid_t pid = fork();
  if (pid < 0) {
    snprintf(out, n, "error: fork: %s", strerror(errno));
    return 1;
  }
  if (pid == 0)
    run_child(tested, c);
  int status;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) {
      snprintf(out, n, "error: waitpid: %s", strerror(errno));
      return 1;
    }
  switch (rep->state) {
  case RETURNED:
    if (rep->ret == -1 && rep->err == CATCH_ALL_ERRNO)
      snprintf(out, n, "allow-or-lower");
    else if (rep->ret == -1)
      snprintf(out, n, "errno %d", rep->err);
    else if (rep->ret == 0)
      snprintf(out, n, "errno 0"); /* ERRNO 0: "succeeds" without running */
    else {
      snprintf(out, n, "error: the syscall returned %ld", rep->ret);
      return 1;
    }
    return 0;
  case TRAPPED:
    if (rep->trap_syscall != c->nr || rep->trap_arch != NATIVE_AUDIT_ARCH) {
      snprintf(out, n, "error: SIGSYS for syscall %d arch 0x%x",
               rep->trap_syscall, rep->trap_arch);
      return 1;
    }
    snprintf(out, n, "trap %d", rep->trap_data);
    return 0;
  case SETUP_FAILED:
    snprintf(out, n, "error: %s: %s", rep->msg, strerror(rep->err));
    return 1;
  default:
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS) {
      snprintf(out, n, "kill");
      return 0;
    }
    if (WIFSIGNALED(status))
      snprintf(out, n, "error: child killed by signal %d", WTERMSIG(status));
    else
      snprintf(out, n, "error: child exited with status %d",
               WEXITSTATUS(status));
    return 1;
  }
}

static int probe(void) {
  struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
  struct sock_fprog prog = {1, &allow};
  struct kase c;
  memset(&c, 0, sizeof c);
  c.nr = __NR_getpid;
  char verdict[200];
  if (run_case(&prog, &c, verdict, sizeof verdict) != 0 ||
      strcmp(verdict, "allow-or-lower") != 0) {
    fprintf(stderr, "seccomp-live: %s\n", verdict);
    return 77;
  }
  return 0;
}
#endif

static int usage(void) {
  fprintf(stderr, "usage: seccomp-live FILTER.bpf CASES|-\n"
                  "       seccomp-live --probe\n");
  return 2;
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "--probe") == 0) {
#if LIVE_SUPPORTED
    rep = mmap(NULL, sizeof *rep, PROT_READ | PROT_WRITE,
               MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (rep == MAP_FAILED)
      return 77;
    return probe();
#else
    fprintf(stderr, "seccomp-live: only x86_64 hosts are supported\n");
    return 77;
#endif
  }
  if (argc != 3)
    return usage();
#if !LIVE_SUPPORTED
  fprintf(stderr, "seccomp-live: only x86_64 hosts are supported\n");
  return 2;
#else
  FILE *f = fopen(argv[1], "rb");
  if (!f) {
    fprintf(stderr, "seccomp-live: %s: %s\n", argv[1], strerror(errno));
    return 2;
  }
  static struct sock_filter insns[BPF_MAXINSNS + 1];
  size_t count = fread(insns, 1, sizeof insns, f);
  fclose(f);
  if (count == 0 || count % sizeof(struct sock_filter) != 0 ||
      count / sizeof(struct sock_filter) > BPF_MAXINSNS) {
    fprintf(stderr,
            "seccomp-live: %s: not a filter (%zu bytes; want 8 to %d "
            "sock_filter entries of 8 bytes)\n",
            argv[1], count, BPF_MAXINSNS);
    return 2;
  }
  struct sock_fprog tested = {(unsigned short)(count / sizeof insns[0]), insns};

  FILE *in = strcmp(argv[2], "-") == 0 ? stdin : fopen(argv[2], "r");
  if (!in) {
    fprintf(stderr, "seccomp-live: %s: %s\n", argv[2], strerror(errno));
    return 2;
  }
  rep = mmap(NULL, sizeof *rep, PROT_READ | PROT_WRITE,
             MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (rep == MAP_FAILED) {
    perror("seccomp-live: mmap");
    return 2;
  }
  char line[1024];
  unsigned lineno = 0;
  int status = 0;
  while (fgets(line, sizeof line, in)) {
    ++lineno;
    struct kase c;
    int got = parse_case(line, &c);
    if (got < 0) {
      fprintf(stderr, "seccomp-live: %s:%u: expected NR [ARG...], at most 6 "
                      "arguments\n",
              argv[2], lineno);
      return 2;
    }
    if (!got)
      continue;
    if (c.nr == __NR_seccomp && c.args[3] == MAGIC3 && c.args[4] == MAGIC4 &&
        c.args[5] == MAGIC5) {
      fprintf(stderr, "seccomp-live: %s:%u: this case is the loader's own "
                      "seccomp() call, which the catch-all allows\n",
              argv[2], lineno);
      return 2;
    }
    char what[200], verdict[200];
    format_case(what, sizeof what, &c);
    if (run_case(&tested, &c, verdict, sizeof verdict) != 0)
      status = 1;
    printf("%s -> %s\n", what, verdict);
  }
  return status;
#endif
}
