/* SPDX-License-Identifier: GPL-2.0 */
/* tcp-bpf - declarations shared by the command files */
#ifndef TCP_BPF_H
#define TCP_BPF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#ifndef TP_VERSION
#define TP_VERSION "unknown"
#endif

#define TB_NAME "tcp-bpf"

/* Where the programs and links live; see tcp-bpf(8), "PIN LAYOUT". */
#define TB_BPFFS	"/sys/fs/bpf"
#define TB_PIN_DIR	TB_BPFFS "/tcp_kernel"
#define TB_PROGS_DIR	TB_PIN_DIR "/progs"
#define TB_LINKS_DIR	TB_PIN_DIR "/links"
#define TB_XDP_DIR	TB_PIN_DIR "/xdp"

/* The largest XDP flow table attach --xdp-flows asks for (~100 B a flow). */
#define TB_XDP_FLOWS_MAX	(1U << 24)

/* Overridable for tests of the load path against another module. */
#ifndef TB_SYSMOD
#define TB_SYSMOD	"/sys/module/tcp_kernel"
#endif
#define TB_LSM_FILE	"/sys/kernel/security/lsm"
#define TB_STATS_SYSCTL	"/proc/sys/kernel/bpf_stats_enabled"

/* The most programs one object may hold; the object has 18 today. */
#define TB_MAX_HOOKS	64
#define TB_HOOK_MAX	64	/* longest hook name, with its NUL */

/* Exit status of the program and return value of every command. */
enum {
	TB_EXIT_OK = 0,
	TB_EXIT_FAIL = 1,	/* something failed, or the module is absent */
	TB_EXIT_USAGE = 2,	/* bad command line */
};

/**
 * struct tb_opts - options that apply to every command
 * @json: print JSON instead of text.
 * @pretty: indent the JSON; implies @json.
 * @verbose: show libbpf's messages (and the verifier log on a failure);
 *	2 (-vv) adds its debug messages.
 */
struct tb_opts {
	bool json;
	bool pretty;
	int verbose;
};

extern struct tb_opts tb_opts;

/**
 * struct tb_hook - one program of the embedded object
 * @hook: the LSM hook, from the program's section ("lsm/<hook>" or
 *	"lsm.s/<hook>").
 * @prog: the program's name (tcpk_<hook>).
 * @section: its ELF section.
 * @sleepable: the section is "lsm.s/".
 */
struct tb_hook {
	char hook[TB_HOOK_MAX];
	char prog[TB_HOOK_MAX];
	char section[TB_HOOK_MAX + 8];
	bool sleepable;
};

/**
 * struct tb_hooks - the programs of the embedded object, in object order
 * @n: how many of @h are set.
 * @h: the programs.
 */
struct tb_hooks {
	size_t n;
	struct tb_hook h[TB_MAX_HOOKS];
};

/*
 * Options every command accepts after its name as well as before it, so
 * "tcp-bpf status -j" works like "tcp-bpf -j status".
 */
#define TB_COMMON_SHORTOPTS "hjpv"
#define TB_COMMON_LONGOPTS				\
	{ "help",	no_argument,	NULL, 'h' },	\
	{ "json",	no_argument,	NULL, 'j' },	\
	{ "pretty",	no_argument,	NULL, 'p' },	\
	{ "verbose",	no_argument,	NULL, 'v' }

bool tb_common_opt(int opt);
int tb_bad_option(const char *cmd);
int tb_bad_argument(const char *cmd, const char *arg);
int tb_parse_uint(const char *cmd, const char *opt, const char *s,
		  uint32_t min, uint32_t max, uint32_t *val);

void tb_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void tb_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int tb_json_print(struct json_object *obj, bool one_line);

/* progs.c: the object, the pins, the kernel's state. */
int tb_hooks_get(struct tb_hooks *hooks);
int tb_hooks_select(const struct tb_hooks *all, const char *list,
		    bool *selected, const char *cmd);
void tb_pin_path(char *buf, size_t len, const char *dir, const char *hook);
bool tb_module_loaded(void);
int tb_module_refcnt(void);
int tb_bpf_lsm_active(void);
int tb_bpf_stats_enabled(void);
int tb_cap_error(const char *what, int err);
int tb_module_check(void);
int tb_pin_dirs(void);
bool tb_pinned(const char *path);
int tb_clear_dir(const char *dir, size_t *n);
bool tb_wait_refcnt(int target);
void tb_libbpf_init(void);
void tb_explain_load_error(const char *what, int err);

/* xdp.c: the XDP flow monitor (tcp-bpf attach --xdp). */
int tb_xdp_attach(const char *ifname, const char *mode, uint32_t flows,
		  bool flows_set);
int tb_xdp_detach(const char *ifname, size_t *nlinks, bool *unloaded);
int tb_xdp_config(int argc, char **argv);
void tb_xdp_status_text(void);
struct json_object *tb_xdp_status_json(void);

/* policy.c: the module's side, through tcp-policy. */
int tb_policy_run(const char *const *args, bool quiet);
struct json_object *tb_policy_json(const char *const *args);
int tb_refuse_if_locked(const char *what);

/* Commands. */
int tb_cmd_load(int argc, char **argv);
int tb_cmd_attach(int argc, char **argv);
int tb_cmd_detach(int argc, char **argv);
int tb_cmd_status(int argc, char **argv);
int tb_cmd_stats(int argc, char **argv);
int tb_cmd_config(int argc, char **argv);

#endif /* TCP_BPF_H */
