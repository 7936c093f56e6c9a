// SPDX-License-Identifier: GPL-2.0
/*
 * tcp-bpf - the embedded object's programs: load, pin, attach, detach, and
 * what the kernel says about the module, the bpf LSM and BPF stats
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include <linux/magic.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "lsm/xdp.h"
#include "tcpk_lsm.skel.h"

#include "tcp-bpf.h"

/* How long a full detach waits for the programs to let go of the module. */
#define DETACH_WAIT_MS	10000
#define DETACH_POLL_MS	50

/*
 * Externs libbpf could not resolve during the last load, from its
 * "extern (func ksym) 'NAME': not found in kernel or module BTFs" warning.
 */
#define MAX_MISSING	4
static char missing[MAX_MISSING][TB_HOOK_MAX];
static size_t nmissing;

/*
 * libbpf's messages: warnings and information with -v (the verifier log
 * comes at warning level when a load fails), debug too with -vv, none
 * otherwise; the kfuncs it failed to
 * resolve are remembered either way, to name them.
 */
static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list args)
{
	char line[512], name[TB_HOOK_MAX];
	const char *p;
	va_list copy;

	va_copy(copy, args);
	vsnprintf(line, sizeof(line), fmt, copy);
	va_end(copy);
	p = strstr(line, "extern (func ksym) '");
	if (p && strstr(p, "not found") && nmissing < MAX_MISSING &&
	    sscanf(p, "extern (func ksym) '%63[^']'", name) == 1)
		snprintf(missing[nmissing++], TB_HOOK_MAX, "%s", name);

	if (!tb_opts.verbose || (level == LIBBPF_DEBUG && tb_opts.verbose < 2))
		return 0;
	/* Whole: the verifier's log is one message, longer than line[]. */
	return vfprintf(stderr, fmt, args);
}

/* The hook of section "lsm/<hook>" or "lsm.s/<hook>", or NULL. */
static const char *section_hook(const char *sec, bool *sleepable)
{
	if (!strncmp(sec, "lsm/", 4)) {
		*sleepable = false;
		return sec + 4;
	}
	if (!strncmp(sec, "lsm.s/", 6)) {
		*sleepable = true;
		return sec + 6;
	}
	return NULL;
}

/**
 * tb_libbpf_init() - route libbpf's messages through the tool
 *
 * Before opening an object: -v shows them, and the kfuncs a load could
 * not resolve are remembered for tb_explain_load_error().
 */
void tb_libbpf_init(void)
{
	libbpf_set_print(libbpf_print);
	nmissing = 0;
}

static struct tcpk_lsm *open_object(void)
{
	struct tcpk_lsm *skel;

	tb_libbpf_init();
	skel = tcpk_lsm__open();
	if (!skel)
		tb_err("cannot open the embedded BPF object: %s",
		       strerror(errno));
	return skel;
}

/**
 * tb_hooks_get() - list the programs of the embedded object
 * @hooks: (out) the programs, in the object's order.
 *
 * Opens the object without loading it: needs neither privilege nor the
 * module.  The hook names come from the sections, so a program added to
 * ebpf/tcpk_lsm.bpf.c needs no change here.
 *
 * Return: 0, or -1 after a message.
 */
int tb_hooks_get(struct tb_hooks *hooks)
{
	struct tcpk_lsm *skel = open_object();
	struct bpf_program *prog;

	if (!skel)
		return -1;
	hooks->n = 0;
	bpf_object__for_each_program(prog, skel->obj) {
		const char *sec = bpf_program__section_name(prog);
		struct tb_hook *h;
		const char *hook;
		bool sleepable;

		hook = section_hook(sec, &sleepable);
		if (!hook || !*hook || strlen(hook) >= TB_HOOK_MAX ||
		    strchr(hook, '/')) {
			tb_warn("program %s: section '%s' is not lsm/<hook>: ignored",
				bpf_program__name(prog), sec);
			continue;
		}
		if (hooks->n == TB_MAX_HOOKS) {
			tb_err("the BPF object has more than %d programs",
			       TB_MAX_HOOKS);
			tcpk_lsm__destroy(skel);
			return -1;
		}
		h = &hooks->h[hooks->n++];
		snprintf(h->hook, sizeof(h->hook), "%s", hook);
		snprintf(h->prog, sizeof(h->prog), "%s",
			 bpf_program__name(prog));
		snprintf(h->section, sizeof(h->section), "%s", sec);
		h->sleepable = sleepable;
	}
	tcpk_lsm__destroy(skel);
	return 0;
}

/**
 * tb_hooks_select() - mark the hooks a --hooks= list names
 * @all: the object's hooks.
 * @list: comma-separated hook names, or NULL for every hook.
 * @selected: (out) indexed like @all->h.
 * @cmd: the command, for the message.
 *
 * Return: 0, or -1 after a message naming the valid hooks.
 */
int tb_hooks_select(const struct tb_hooks *all, const char *list,
		    bool *selected, const char *cmd)
{
	char *copy, *tok, *save = NULL;
	size_t i;
	int ret = 0;

	for (i = 0; i < all->n; i++)
		selected[i] = !list;
	if (!list)
		return 0;
	copy = strdup(list);
	if (!copy) {
		tb_err("%s", strerror(ENOMEM));
		return -1;
	}
	if (!*copy) {
		tb_err("%s: --hooks= names no hook", cmd);
		ret = -1;
	}
	for (tok = strtok_r(copy, ",", &save); tok && !ret;
	     tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < all->n; i++)
			if (!strcmp(tok, all->h[i].hook))
				break;
		if (i < all->n) {
			selected[i] = true;
			continue;
		}
		fprintf(stderr, TB_NAME ": %s: unknown hook '%s'; valid hooks:",
			cmd, tok);
		for (i = 0; i < all->n; i++)
			fprintf(stderr, "%s %s", i ? "," : "", all->h[i].hook);
		fputc('\n', stderr);
		ret = -1;
	}
	free(copy);
	return ret;
}

/**
 * tb_pin_path() - the pin of a hook's program or link
 * @buf: (out) the path.
 * @len: size of @buf.
 * @dir: %TB_PROGS_DIR or %TB_LINKS_DIR.
 * @hook: the hook.
 */
void tb_pin_path(char *buf, size_t len, const char *dir, const char *hook)
{
	snprintf(buf, len, "%s/%s", dir, hook);
}

/**
 * tb_module_loaded() - whether tcp_kernel.ko is loaded
 *
 * Return: true if /sys/module/tcp_kernel exists.
 */
bool tb_module_loaded(void)
{
	return access(TB_SYSMOD, F_OK) == 0;
}

static long read_long(const char *path)
{
	char buf[64];
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

/**
 * tb_module_refcnt() - references held on tcp_kernel.ko
 *
 * Return: /sys/module/tcp_kernel/refcnt, or -1 if it cannot be read.
 */
int tb_module_refcnt(void)
{
	return (int)read_long(TB_SYSMOD "/refcnt");
}

/**
 * tb_bpf_lsm_active() - whether "bpf" is one of the active LSMs
 *
 * Return: 1 or 0, or -1 if /sys/kernel/security/lsm cannot be read
 * (securityfs not mounted).
 */
int tb_bpf_lsm_active(void)
{
	char buf[512], *tok, *save = NULL;
	ssize_t n;
	int fd;

	fd = open(TB_LSM_FILE, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	for (tok = strtok_r(buf, ",\n", &save); tok;
	     tok = strtok_r(NULL, ",\n", &save))
		if (!strcmp(tok, "bpf"))
			return 1;
	return 0;
}

/**
 * tb_bpf_stats_enabled() - whether the kernel counts BPF run time
 *
 * Return: kernel.bpf_stats_enabled (1 or 0), or -1 if it cannot be read.
 */
int tb_bpf_stats_enabled(void)
{
	long v = read_long(TB_STATS_SYSCTL);

	return v < 0 ? -1 : v != 0;
}

/* Whether this process has CAP_SYS_ADMIN and CAP_BPF, from CapEff. */
static bool have_caps(void)
{
	unsigned long long eff = 0;
	char line[128];
	bool found = false;
	FILE *f;

	f = fopen("/proc/self/status", "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1) {
			found = true;
			break;
		}
	fclose(f);
	/* CAP_SYS_ADMIN is 21, CAP_BPF 39 (Linux 5.8). */
	return found && (eff & (1ULL << 21)) && (eff & (1ULL << 39));
}

/**
 * tb_cap_error() - report a failure, saying what privilege it needs
 * @what: what failed, e.g. "cannot pin tcp_kernel/progs/file_open".
 * @err: the positive errno.
 *
 * Return: %TB_EXIT_FAIL.
 */
int tb_cap_error(const char *what, int err)
{
	if ((err == EPERM || err == EACCES) && have_caps())
		tb_err("%s: %s: refused although this process has CAP_BPF and CAP_SYS_ADMIN (tcp_kernel locked by tcp-policy lock, or this process in an agent session? a seccomp filter, a container, or kernel lockdown?)",
		       what, strerror(err));
	else if (err == EPERM || err == EACCES)
		tb_err("%s: %s: this needs CAP_BPF and CAP_SYS_ADMIN (run as root)",
		       what, strerror(err));
	else
		tb_err("%s: %s", what, strerror(err));
	return TB_EXIT_FAIL;
}

/**
 * tb_module_check() - fail, saying so, if tcp_kernel.ko is not loaded
 *
 * Return: 0, or -1 after a message.
 */
int tb_module_check(void)
{
	if (tb_module_loaded())
		return 0;
	tb_err("the tcp_kernel module is not loaded (modprobe tcp_kernel)");
	return -1;
}

/**
 * tb_pin_dirs() - bpffs at /sys/fs/bpf (mounted if it is not), and the
 *	tool's directories under it
 *
 * Return: 0, or -1 after a message.
 */
int tb_pin_dirs(void)
{
	static const char *const dirs[] = {
		TB_PIN_DIR, TB_PROGS_DIR, TB_LINKS_DIR,
	};
	struct statfs st;
	size_t i;

	if (statfs(TB_BPFFS, &st) || st.f_type != BPF_FS_MAGIC) {
		if (mkdir(TB_BPFFS, 0700) && errno != EEXIST) {
			tb_cap_error("cannot create " TB_BPFFS, errno);
			return -1;
		}
		if (mount("bpf", TB_BPFFS, "bpf", 0, "mode=0700")) {
			tb_cap_error("cannot mount bpffs at " TB_BPFFS, errno);
			return -1;
		}
	}
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		if (mkdir(dirs[i], 0700) && errno != EEXIST) {
			char what[128];

			snprintf(what, sizeof(what), "cannot create %s",
				 dirs[i]);
			tb_cap_error(what, errno);
			return -1;
		}
	}
	return 0;
}

/**
 * tb_pinned() - whether a pinned object at @path can be opened
 * @path: the pin.
 *
 * Return: true if it exists and this process may open it.
 */
bool tb_pinned(const char *path)
{
	int fd = bpf_obj_get(path);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/**
 * tb_explain_load_error() - say why bpf_object__load() failed
 * @what: what was loaded, e.g. "the programs".
 * @err: the positive errno.
 *
 * Names the kfuncs libbpf could not find, if any (a module older than the
 * programs), else the likely cause of @err.
 */
void tb_explain_load_error(const char *what, int err)
{
	size_t i;

	if (nmissing) {
		fprintf(stderr,
			TB_NAME ": cannot load %s: the loaded tcp_kernel module does not provide the kfunc%s",
			what, nmissing > 1 ? "s" : "");
		for (i = 0; i < nmissing; i++)
			fprintf(stderr, "%s %s", i ? "," : "", missing[i]);
		fprintf(stderr,
			" (a module older than these programs, or one without BTF: see 'tcp-policy status')\n");
		return;
	}
	switch (err) {
	case EPERM: {
		char msg[128];

		snprintf(msg, sizeof(msg), "cannot load %s", what);
		tb_cap_error(msg, err);
		break;
	}
	case EACCES:
	case EINVAL:
		tb_err("cannot load %s: %s: the verifier refused one (run with -v for its log)",
		       what, strerror(err));
		break;
	default:
		tb_err("cannot load %s: %s (run with -v for libbpf's messages)",
		       what, strerror(err));
	}
}

/**
 * load_programs() - load and pin every program not yet pinned
 * @nloaded: (out) programs loaded now.
 * @npinned: (out) programs that were pinned already.
 *
 * One bpf_object__load() for all the programs that are missing, so a
 * failure (the verifier, a kfunc the module lacks) pins nothing; bpffs and
 * the directories are made after it succeeded.
 *
 * Return: 0, or -1 after a message.
 */
static int load_programs(size_t *nloaded, size_t *npinned)
{
	struct bpf_program *prog, *done[TB_MAX_HOOKS];
	char path[sizeof(TB_PROGS_DIR) + TB_HOOK_MAX + 1];
	struct tcpk_lsm *skel;
	size_t ndone = 0, i;
	bool sleepable;
	int err;

	*nloaded = *npinned = 0;
	if (tb_module_check())
		return -1;
	if (tb_bpf_lsm_active() == 0)
		tb_warn("the bpf LSM is not active (\"bpf\" is not in " TB_LSM_FILE "): the programs load but cannot be attached");
	skel = open_object();
	if (!skel)
		return -1;

	bpf_object__for_each_program(prog, skel->obj) {
		const char *hook = section_hook(bpf_program__section_name(prog),
						&sleepable);

		if (!hook) {
			bpf_program__set_autoload(prog, false);
			continue;
		}
		tb_pin_path(path, sizeof(path), TB_PROGS_DIR, hook);
		if (tb_pinned(path)) {
			bpf_program__set_autoload(prog, false);
			(*npinned)++;
		} else {
			(*nloaded)++;
		}
	}
	if (!*nloaded) {
		tcpk_lsm__destroy(skel);
		return 0;
	}

	nmissing = 0;
	err = tcpk_lsm__load(skel);
	if (err) {
		tb_explain_load_error("the programs", -err);
		tcpk_lsm__destroy(skel);
		return -1;
	}
	/* Only now, so that a failed load leaves nothing behind. */
	if (tb_pin_dirs()) {
		tcpk_lsm__destroy(skel);
		return -1;
	}
	bpf_object__for_each_program(prog, skel->obj) {
		const char *hook = section_hook(bpf_program__section_name(prog),
						&sleepable);

		if (!hook || !bpf_program__autoload(prog))
			continue;
		tb_pin_path(path, sizeof(path), TB_PROGS_DIR, hook);
		err = bpf_program__pin(prog, path);
		if (err) {
			char what[sizeof(path) + 16];

			snprintf(what, sizeof(what), "cannot pin %s", path);
			tb_cap_error(what, -err);
			/* Nothing half done: unpin what this run pinned. */
			for (i = 0; i < ndone; i++)
				bpf_program__unpin(done[i], NULL);
			tcpk_lsm__destroy(skel);
			return -1;
		}
		done[ndone++] = prog;
	}
	/* The pins hold the programs now. */
	tcpk_lsm__destroy(skel);
	return 0;
}

static void load_usage(void)
{
	printf("Usage: " TB_NAME " load [--monitor-only]\n"
	       "\n"
	       "Load every program of the embedded object through the verifier and\n"
	       "pin each at " TB_PROGS_DIR "/HOOK (bpffs is mounted at\n"
	       TB_BPFFS " if it is not).  The programs are not attached.\n"
	       "Programs already pinned are kept.\n"
	       "\n"
	       "  --monitor-only  first set the rollout mode to monitor\n"
	       "                  (tcp-policy mode monitor): nothing is refused\n"
	       "\n"
	       "Needs the tcp_kernel module, CAP_BPF and CAP_SYS_ADMIN.\n");
}

static int print_counts(const char *key, size_t now, const char *key2,
			size_t before)
{
	struct json_object *o;
	int ret;

	o = json_object_new_object();
	if (!o)
		return TB_EXIT_FAIL;
	json_object_object_add(o, key, json_object_new_int64((int64_t)now));
	json_object_object_add(o, key2,
			       json_object_new_int64((int64_t)before));
	ret = tb_json_print(o, false) ? TB_EXIT_FAIL : TB_EXIT_OK;
	json_object_put(o);
	return ret;
}

/**
 * tb_cmd_load() - "tcp-bpf load [--monitor-only]"
 * @argc: argument count, argv[0] being "load".
 * @argv: arguments.
 *
 * Return: a TB_EXIT_* value.
 */
int tb_cmd_load(int argc, char **argv)
{
	static const struct option longopts[] = {
		TB_COMMON_LONGOPTS,
		{ "monitor-only",	no_argument,	NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const monitor[] = { "mode", "monitor", NULL };
	size_t nloaded, npinned;
	bool monitor_only = false;
	int opt;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "+" TB_COMMON_SHORTOPTS,
				  longopts, NULL)) != -1) {
		if (tb_common_opt(opt))
			continue;
		switch (opt) {
		case 'h':
			load_usage();
			return TB_EXIT_OK;
		case 'm':
			monitor_only = true;
			break;
		default:
			return tb_bad_option("load");
		}
	}
	if (optind < argc)
		return tb_bad_argument("load", argv[optind]);

	if (tb_module_check())
		return TB_EXIT_FAIL;
	/* Monitor first: whatever is attached later refuses nothing. */
	if (monitor_only && tb_policy_run(monitor, false))
		return TB_EXIT_FAIL;
	if (load_programs(&nloaded, &npinned))
		return TB_EXIT_FAIL;

	if (tb_opts.json)
		return print_counts("loaded", nloaded, "already_loaded",
				    npinned);
	if (nloaded)
		printf("loaded %zu programs, pinned under " TB_PROGS_DIR "\n",
		       nloaded);
	if (npinned)
		printf("%zu programs were already loaded\n", npinned);
	if (monitor_only)
		printf("mode: monitor (tcp-policy mode monitor)\n");
	return TB_EXIT_OK;
}

static int enable_stats(void)
{
	int fd, ret = 0;

	if (tb_bpf_stats_enabled() == 1)
		return 0;
	fd = open(TB_STATS_SYSCTL, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, "1\n", 2) != 2) {
		tb_warn("cannot enable the kernel's BPF stats (" TB_STATS_SYSCTL "): %s: status will show no run counts",
			strerror(errno));
		ret = -1;
	}
	if (fd >= 0)
		close(fd);
	return ret;
}

static void attach_usage(void)
{
	printf("Usage: " TB_NAME " attach [--all | --hooks=HOOK,...] [--no-stats]\n"
	       "       " TB_NAME " attach --xdp=IFACE [--xdp-mode=generic|native] [--xdp-flows=N]\n"
	       "\n"
	       "Attach the pinned programs (loading them first if they are not) as\n"
	       "BPF-LSM links, pinned at " TB_LINKS_DIR "/HOOK so that\n"
	       "they stay attached after the tool exits.  Links already pinned\n"
	       "are kept.\n"
	       "\n"
	       "  --all            every program (the default)\n"
	       "  --hooks=H,...    only these hooks ('" TB_NAME " status' lists them)\n"
	       "  --no-stats       leave kernel.bpf_stats_enabled as it is (by\n"
	       "                   default it is set to 1, for run counts)\n"
	       "\n"
	       "With --xdp, attach the XDP flow monitor to IFACE instead (loading it\n"
	       "first if it is not), its link pinned at " TB_XDP_DIR "/link:IFACE:\n"
	       "  --xdp-mode=M     generic (the default: any interface) or native\n"
	       "                   (the driver's XDP)\n"
	       "  --xdp-flows=N    the flow table's bound when it is loaded now\n"
	       "                   (default %d)\n"
	       "\n"
	       "Needs the tcp_kernel module, CAP_BPF and CAP_SYS_ADMIN; the LSM\n"
	       "programs also the bpf LSM.\n", TCPK_XDP_FLOWS_DEFAULT);
}

/**
 * tb_cmd_attach() - "tcp-bpf attach [--all | --hooks=...] [--no-stats]"
 * @argc: argument count, argv[0] being "attach".
 * @argv: arguments.
 *
 * Return: a TB_EXIT_* value.
 */
int tb_cmd_attach(int argc, char **argv)
{
	static const struct option longopts[] = {
		TB_COMMON_LONGOPTS,
		{ "all",	no_argument,		NULL, 'a' },
		{ "hooks",	required_argument,	NULL, 'H' },
		{ "no-stats",	no_argument,		NULL, 'S' },
		{ "xdp",	required_argument,	NULL, 'X' },
		{ "xdp-mode",	required_argument,	NULL, 'M' },
		{ "xdp-flows",	required_argument,	NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	const char *xdp = NULL, *xdp_mode = NULL;
	uint32_t xdp_flows = TCPK_XDP_FLOWS_DEFAULT;
	bool xdp_flows_set = false;
	char path[sizeof(TB_LINKS_DIR) + TB_HOOK_MAX + 1];
	char ppath[sizeof(TB_PROGS_DIR) + TB_HOOK_MAX + 1];
	bool all = false, stats = true, sel[TB_MAX_HOOKS];
	bool made[TB_MAX_HOOKS] = { false };
	size_t i, nloaded, npinned, nnew = 0, nold = 0;
	const char *list = NULL;
	struct tb_hooks hooks;
	struct json_object *o;
	int opt, lsm, ret;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "+" TB_COMMON_SHORTOPTS,
				  longopts, NULL)) != -1) {
		if (tb_common_opt(opt))
			continue;
		switch (opt) {
		case 'h':
			attach_usage();
			return TB_EXIT_OK;
		case 'a':
			all = true;
			break;
		case 'H':
			list = optarg;
			break;
		case 'S':
			stats = false;
			break;
		case 'X':
			xdp = optarg;
			break;
		case 'M':
			xdp_mode = optarg;
			break;
		case 'F':
			if (tb_parse_uint("attach", "--xdp-flows", optarg, 1,
					  TB_XDP_FLOWS_MAX, &xdp_flows))
				return TB_EXIT_USAGE;
			xdp_flows_set = true;
			break;
		default:
			return tb_bad_option("attach");
		}
	}
	if (optind < argc)
		return tb_bad_argument("attach", argv[optind]);
	if (xdp && (all || list)) {
		tb_err("attach: --xdp attaches the XDP flow monitor only; attach the LSM programs with another 'attach'");
		return TB_EXIT_USAGE;
	}
	if (!xdp && (xdp_mode || xdp_flows_set)) {
		tb_err("attach: --xdp-mode and --xdp-flows go with --xdp=IFACE");
		return TB_EXIT_USAGE;
	}
	if (xdp) {
		ret = tb_xdp_attach(xdp, xdp_mode, xdp_flows, xdp_flows_set);
		if (ret == TB_EXIT_OK && stats)
			enable_stats();
		return ret;
	}
	if (all && list) {
		tb_err("attach: --all and --hooks= exclude each other");
		return TB_EXIT_USAGE;
	}
	if (tb_hooks_get(&hooks))
		return TB_EXIT_FAIL;
	if (tb_hooks_select(&hooks, list, sel, "attach"))
		return TB_EXIT_USAGE;

	if (tb_module_check())
		return TB_EXIT_FAIL;
	lsm = tb_bpf_lsm_active();
	if (lsm == 0) {
		tb_err("the bpf LSM is not active (\"bpf\" is not in " TB_LSM_FILE "): boot with lsm=...,bpf (CONFIG_BPF_LSM)");
		return TB_EXIT_FAIL;
	}
	if (lsm < 0)
		tb_warn("cannot read " TB_LSM_FILE " (securityfs not mounted?): is the bpf LSM active?");

	if (load_programs(&nloaded, &npinned))
		return TB_EXIT_FAIL;

	for (i = 0; i < hooks.n; i++) {
		int pfd, lfd;

		if (!sel[i])
			continue;
		tb_pin_path(path, sizeof(path), TB_LINKS_DIR, hooks.h[i].hook);
		if (tb_pinned(path)) {
			nold++;
			continue;
		}
		tb_pin_path(ppath, sizeof(ppath), TB_PROGS_DIR,
			    hooks.h[i].hook);
		pfd = bpf_obj_get(ppath);
		if (pfd < 0) {
			char what[sizeof(ppath) + 16];

			snprintf(what, sizeof(what), "cannot open %s", ppath);
			tb_cap_error(what, errno);
			goto undo;
		}
		lfd = bpf_link_create(pfd, 0, BPF_LSM_MAC, NULL);
		if (lfd < 0) {
			char what[TB_HOOK_MAX + 32];

			snprintf(what, sizeof(what), "cannot attach lsm/%s",
				 hooks.h[i].hook);
			tb_cap_error(what, errno);
			close(pfd);
			goto undo;
		}
		close(pfd);
		if (bpf_obj_pin(lfd, path)) {
			char what[sizeof(path) + 16];

			snprintf(what, sizeof(what), "cannot pin %s", path);
			tb_cap_error(what, errno);
			close(lfd);
			goto undo;
		}
		close(lfd);
		made[i] = true;
		nnew++;
	}
	if (stats)
		enable_stats();

	if (!tb_opts.json) {
		if (nloaded)
			printf("loaded %zu programs\n", nloaded);
		printf("attached %zu programs", nnew);
		if (nold)
			printf(" (%zu were attached already)", nold);
		printf(", links pinned under " TB_LINKS_DIR "\n");
		if (tb_bpf_stats_enabled() != 1)
			printf("kernel BPF stats are off: status shows no run counts\n");
		return TB_EXIT_OK;
	}
	o = json_object_new_object();
	if (!o)
		return TB_EXIT_FAIL;
	json_object_object_add(o, "loaded", json_object_new_int64((int64_t)nloaded));
	json_object_object_add(o, "attached", json_object_new_int64((int64_t)nnew));
	json_object_object_add(o, "already_attached",
			       json_object_new_int64((int64_t)nold));
	json_object_object_add(o, "bpf_stats_enabled",
			       json_object_new_boolean(tb_bpf_stats_enabled() == 1));
	ret = tb_json_print(o, false) ? TB_EXIT_FAIL : TB_EXIT_OK;
	json_object_put(o);
	return ret;

undo:
	/* All or nothing: drop the links this run made. */
	for (i = 0; i < hooks.n; i++) {
		if (!made[i])
			continue;
		tb_pin_path(path, sizeof(path), TB_LINKS_DIR, hooks.h[i].hook);
		unlink(path);
	}
	return TB_EXIT_FAIL;
}

/**
 * tb_clear_dir() - unpin every entry of a directory, then remove it
 * @dir: the directory; a missing one is empty.
 * @n: (in/out) incremented for each entry unpinned.
 *
 * Return: 0, or -1 after a message.
 */
int tb_clear_dir(const char *dir, size_t *n)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int ret = 0;

	d = opendir(dir);
	if (!d) {
		if (errno == ENOENT)
			return 0;
		snprintf(path, sizeof(path), "cannot read %s", dir);
		tb_cap_error(path, errno);
		return -1;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (unlink(path)) {
			char what[PATH_MAX + 16];

			snprintf(what, sizeof(what), "cannot unpin %s", path);
			tb_cap_error(what, errno);
			ret = -1;
			continue;
		}
		(*n)++;
	}
	closedir(d);
	if (!ret && rmdir(dir) && errno != ENOENT) {
		snprintf(path, sizeof(path), "cannot remove %s", dir);
		tb_cap_error(path, errno);
		ret = -1;
	}
	return ret;
}

/**
 * tb_wait_refcnt() - wait until the module's references drop to @target
 * @target: references left when the programs have let go.
 *
 * A program drops its reference on the module only after an RCU grace
 * period and a work item: waiting makes "tcp-bpf detach && rmmod
 * tcp_kernel" work.
 *
 * Return: true if reached (or unreadable), false after DETACH_WAIT_MS.
 */
bool tb_wait_refcnt(int target)
{
	struct timespec ts = { 0, DETACH_POLL_MS * 1000000L };
	int waited, r;

	for (waited = 0; waited <= DETACH_WAIT_MS; waited += DETACH_POLL_MS) {
		r = tb_module_refcnt();
		if (r < 0 || r <= target)
			return true;
		nanosleep(&ts, NULL);
	}
	return false;
}

/**
 * tb_refuse_if_locked() - fail, saying so, if tcp_kernel is locked
 * @what: what is refused, e.g. "detach".
 *
 * While the module is locked (tcp-policy lock) its BPF side stays
 * attached until reboot: the kernel refuses each unpin.  Asking the module
 * first (tcp-policy -j status) fails the command before it tried
 * anything, instead of one refusal per pin.  If the module cannot be asked,
 * the command goes on and the kernel decides.
 *
 * Return: 0, or -1 after a message.
 */
int tb_refuse_if_locked(const char *what)
{
	static const char *const status[] = { "status", NULL };
	struct json_object *o, *l;
	bool locked;

	if (!tb_module_loaded())
		return 0;
	o = tb_policy_json(status);
	if (!o)
		return 0;
	locked = json_object_object_get_ex(o, "locked", &l) &&
		 json_object_get_boolean(l);
	json_object_put(o);
	if (!locked)
		return 0;
	tb_err("tcp_kernel is locked: %s refused until reboot (tcp-policy lock)",
	       what);
	return -1;
}

static void detach_usage(void)
{
	printf("Usage: " TB_NAME " detach [--hooks=HOOK,... | --xdp[=IFACE]]\n"
	       "\n"
	       "Unpin the links of the hooks (all by default), which detaches the\n"
	       "programs.  Without --hooks, also unpin the programs, detach the XDP\n"
	       "flow monitor and remove " TB_PIN_DIR ", and wait (up to %d s)\n"
	       "until the programs have released the module, so that\n"
	       "'rmmod tcp_kernel' works next.\n"
	       "\n"
	       "With --xdp, detach only the XDP flow monitor: from IFACE, or from\n"
	       "every interface; when no interface is left its program and maps\n"
	       "are unpinned too.\n"
	       "\n"
	       "Refused while the module is locked (tcp-policy lock), until reboot.\n"
	       "Needs CAP_BPF and CAP_SYS_ADMIN.\n", DETACH_WAIT_MS / 1000);
}

/**
 * tb_cmd_detach() - "tcp-bpf detach [--hooks=...]"
 * @argc: argument count, argv[0] being "detach".
 * @argv: arguments.
 *
 * Return: a TB_EXIT_* value.
 */
int tb_cmd_detach(int argc, char **argv)
{
	static const struct option longopts[] = {
		TB_COMMON_LONGOPTS,
		{ "hooks",	required_argument,	NULL, 'H' },
		{ "xdp",	optional_argument,	NULL, 'X' },
		{ NULL, 0, NULL, 0 },
	};
	char path[sizeof(TB_LINKS_DIR) + TB_HOOK_MAX + 1];
	size_t i, nlinks = 0, nprogs = 0, nxdp = 0;
	bool sel[TB_MAX_HOOKS], released = true, xdp = false, xdp_unloaded;
	const char *xdp_if = NULL;
	const char *list = NULL;
	struct tb_hooks hooks;
	struct json_object *o;
	int opt, ret, refcnt;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "+" TB_COMMON_SHORTOPTS,
				  longopts, NULL)) != -1) {
		if (tb_common_opt(opt))
			continue;
		switch (opt) {
		case 'h':
			detach_usage();
			return TB_EXIT_OK;
		case 'H':
			list = optarg;
			break;
		case 'X':
			xdp = true;
			xdp_if = optarg;
			break;
		default:
			return tb_bad_option("detach");
		}
	}
	if (optind < argc)
		return tb_bad_argument("detach", argv[optind]);
	if (xdp && list) {
		tb_err("detach: --hooks and --xdp exclude each other");
		return TB_EXIT_USAGE;
	}
	if (tb_refuse_if_locked("detach"))
		return TB_EXIT_FAIL;
	if (xdp) {
		refcnt = tb_module_refcnt();
		if (tb_xdp_detach(xdp_if, &nxdp, &xdp_unloaded))
			return TB_EXIT_FAIL;
		if (xdp_unloaded && refcnt > 0)
			released = tb_wait_refcnt(refcnt - 1);
		if (tb_opts.json) {
			o = json_object_new_object();
			if (!o)
				return TB_EXIT_FAIL;
			json_object_object_add(o, "xdp_detached",
					       json_object_new_int64((int64_t)nxdp));
			json_object_object_add(o, "xdp_unloaded",
					       json_object_new_boolean(xdp_unloaded));
			ret = tb_json_print(o, false) ? TB_EXIT_FAIL : TB_EXIT_OK;
			json_object_put(o);
			return ret;
		}
		printf("detached the XDP flow monitor from %zu interface%s%s\n",
		       nxdp, nxdp == 1 ? "" : "s",
		       xdp_unloaded ? ", unloaded it" : "");
		if (!released)
			tb_warn("tcp_kernel is still referenced (refcnt %d)",
				tb_module_refcnt());
		return TB_EXIT_OK;
	}

	if (list) {
		if (tb_hooks_get(&hooks))
			return TB_EXIT_FAIL;
		if (tb_hooks_select(&hooks, list, sel, "detach"))
			return TB_EXIT_USAGE;
		for (i = 0; i < hooks.n; i++) {
			if (!sel[i])
				continue;
			tb_pin_path(path, sizeof(path), TB_LINKS_DIR,
				    hooks.h[i].hook);
			if (!unlink(path)) {
				nlinks++;
			} else if (errno != ENOENT) {
				char what[sizeof(path) + 16];

				snprintf(what, sizeof(what), "cannot unpin %s",
					 path);
				return tb_cap_error(what, errno);
			}
		}
	} else {
		refcnt = tb_module_refcnt();
		if (tb_clear_dir(TB_LINKS_DIR, &nlinks) ||
		    tb_clear_dir(TB_PROGS_DIR, &nprogs) ||
		    tb_xdp_detach(NULL, &nxdp, &xdp_unloaded))
			return TB_EXIT_FAIL;
		/* The XDP program held one reference too. */
		if (xdp_unloaded)
			nprogs++;
		if (rmdir(TB_PIN_DIR) && errno != ENOENT) {
			snprintf(path, sizeof(path), "cannot remove %s",
				 TB_PIN_DIR);
			return tb_cap_error(path, errno);
		}
		/* Each program held one reference (its kfunc BTF). */
		if (refcnt > 0 && nprogs)
			released = tb_wait_refcnt(refcnt > (int)nprogs ?
					       refcnt - (int)nprogs : 0);
		if (!released)
			tb_warn("tcp_kernel is still referenced (refcnt %d) %d s after the programs were unpinned: does another process hold them open?",
				tb_module_refcnt(), DETACH_WAIT_MS / 1000);
	}

	if (!tb_opts.json) {
		printf("detached %zu links", nlinks);
		if (!list)
			printf(", unloaded %zu programs", nprogs);
		if (nxdp)
			printf(", detached XDP from %zu interface%s", nxdp,
			       nxdp == 1 ? "" : "s");
		putchar('\n');
		return TB_EXIT_OK;
	}
	o = json_object_new_object();
	if (!o)
		return TB_EXIT_FAIL;
	json_object_object_add(o, "detached", json_object_new_int64((int64_t)nlinks));
	if (!list) {
		json_object_object_add(o, "unloaded",
				       json_object_new_int64((int64_t)nprogs));
		json_object_object_add(o, "module_released",
				       json_object_new_boolean(released));
	}
	ret = tb_json_print(o, false) ? TB_EXIT_FAIL : TB_EXIT_OK;
	json_object_put(o);
	return ret;
}
