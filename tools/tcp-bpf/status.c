// SPDX-License-Identifier: GPL-2.0
/*
 * tcp-bpf - the "status" and "stats" commands: each program's state and
 * run time, and the seed's screen of the BPF side with the module's counters
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include <json-c/json.h>

#include "tcp-bpf.h"

/**
 * struct pstate - what the kernel says about one hook's program
 * @loaded: a program is pinned (or attached).
 * @attached: a link is pinned.
 * @prog_id: the program's id, 0 if none.
 * @link_id: the link's id, 0 if none.
 * @run_cnt: runs counted while kernel.bpf_stats_enabled was 1.
 * @run_time_ns: their total run time.
 */
struct pstate {
	bool loaded;
	bool attached;
	uint32_t prog_id;
	uint32_t link_id;
	uint64_t run_cnt;
	uint64_t run_time_ns;
};

static int prog_info(int fd, struct pstate *ps)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	ps->prog_id = info.id;
	ps->run_cnt = info.run_cnt;
	ps->run_time_ns = info.run_time_ns;
	return 0;
}

/*
 * The state of @hook's pins.  Return: 0, or a negative errno if the pins
 * could not be read (EACCES: not root).
 */
static int get_state(const char *hook, struct pstate *ps)
{
	char path[sizeof(TB_LINKS_DIR) + TB_HOOK_MAX + 1];
	int fd, err = 0;

	memset(ps, 0, sizeof(*ps));
	tb_pin_path(path, sizeof(path), TB_LINKS_DIR, hook);
	fd = bpf_obj_get(path);
	if (fd >= 0) {
		struct bpf_link_info li;
		uint32_t len = sizeof(li);

		ps->attached = true;
		memset(&li, 0, sizeof(li));
		if (!bpf_obj_get_info_by_fd(fd, &li, &len)) {
			ps->link_id = li.id;
			ps->prog_id = li.prog_id;
		}
		close(fd);
	} else if (errno != ENOENT) {
		return -errno;
	}

	tb_pin_path(path, sizeof(path), TB_PROGS_DIR, hook);
	fd = bpf_obj_get(path);
	if (fd < 0 && errno != ENOENT)
		return -errno;
	if (fd < 0 && ps->prog_id)	/* attached, program unpinned */
		fd = bpf_prog_get_fd_by_id(ps->prog_id);
	if (fd >= 0) {
		ps->loaded = true;
		err = prog_info(fd, ps);
		close(fd);
	}
	return err;
}

/* Every hook's state; exits through a message if the pins are unreadable. */
static int get_states(const struct tb_hooks *hooks, struct pstate *st)
{
	char what[TB_HOOK_MAX + 48];
	size_t i;
	int err;

	for (i = 0; i < hooks->n; i++) {
		err = get_state(hooks->h[i].hook, &st[i]);
		if (err) {
			snprintf(what, sizeof(what), "cannot read the pins of %s",
				 hooks->h[i].hook);
			tb_cap_error(what, -err);
			return -1;
		}
	}
	return 0;
}

static struct json_object *json_tristate(int v)
{
	return v < 0 ? NULL : json_object_new_boolean(v);
}

static const char *tristate(int v, const char *yes, const char *no)
{
	return v < 0 ? "unknown" : v ? yes : no;
}

static void status_usage(void)
{
	printf("Usage: " TB_NAME " status [-j]\n"
	       "\n"
	       "One line per program of the embedded object: its hook, whether it\n"
	       "is loaded and attached, its id, run count, run time and average ns\n"
	       "per run (counted while kernel.bpf_stats_enabled is 1); and whether\n"
	       "the module is loaded, the bpf LSM active and BPF stats on, and the\n"
	       "XDP flow monitor's interfaces, flows and counters.\n"
	       "Reading the pins needs CAP_BPF and CAP_SYS_ADMIN.\n");
}

/**
 * tb_cmd_status() - "tcp-bpf status"
 * @argc: argument count, argv[0] being "status".
 * @argv: arguments.
 *
 * Return: a TB_EXIT_* value.
 */
int tb_cmd_status(int argc, char **argv)
{
	static const struct option longopts[] = {
		TB_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct pstate st[TB_MAX_HOOKS];
	size_t i, nloaded = 0, nattached = 0;
	struct json_object *o, *progs;
	int opt, lsm, stats, refcnt, ret;
	struct tb_hooks hooks;
	bool mod;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "+" TB_COMMON_SHORTOPTS,
				  longopts, NULL)) != -1) {
		if (tb_common_opt(opt))
			continue;
		if (opt == 'h') {
			status_usage();
			return TB_EXIT_OK;
		}
		return tb_bad_option("status");
	}
	if (optind < argc)
		return tb_bad_argument("status", argv[optind]);

	if (tb_hooks_get(&hooks) || get_states(&hooks, st))
		return TB_EXIT_FAIL;
	for (i = 0; i < hooks.n; i++) {
		nloaded += st[i].loaded;
		nattached += st[i].attached;
	}
	mod = tb_module_loaded();
	refcnt = mod ? tb_module_refcnt() : -1;
	lsm = tb_bpf_lsm_active();
	stats = tb_bpf_stats_enabled();

	if (!tb_opts.json) {
		printf("module:     tcp_kernel %s", mod ? "loaded" : "not loaded (modprobe tcp_kernel)");
		if (refcnt >= 0)
			printf(" (refcnt %d)", refcnt);
		printf("\nbpf LSM:    %s\n", tristate(lsm, "active", "not active (\"bpf\" not in " TB_LSM_FILE ")"));
		printf("BPF stats:  %s\n", tristate(stats, "on",
		       "off: no run counts (sysctl kernel.bpf_stats_enabled=1, or tcp-bpf attach)"));
		printf("programs:   %zu, %zu loaded, %zu attached (pins under " TB_PIN_DIR ")\n",
		       hooks.n, nloaded, nattached);
		/* Loaded programs hold the module: say so before rmmod does. */
		tb_xdp_status_text();
		if (mod && nloaded)
			printf("rmmod:      refused while programs are loaded (they hold the module): tcp-bpf detach first\n");
		printf("\n");
		printf("%-20s %-6s %-8s %8s %12s %15s %10s\n", "HOOK", "LOADED",
		       "ATTACHED", "PROG_ID", "RUN_CNT", "RUN_TIME_NS", "AVG_NS");
		for (i = 0; i < hooks.n; i++) {
			char id[16] = "-", avg[24] = "-";

			if (st[i].prog_id)
				snprintf(id, sizeof(id), "%" PRIu32,
					 st[i].prog_id);
			if (st[i].run_cnt)
				snprintf(avg, sizeof(avg), "%.1f",
					 (double)st[i].run_time_ns /
					 (double)st[i].run_cnt);
			printf("%-20s %-6s %-8s %8s %12" PRIu64 " %15" PRIu64 " %10s\n",
			       hooks.h[i].hook, st[i].loaded ? "yes" : "no",
			       st[i].attached ? "yes" : "no", id,
			       st[i].run_cnt, st[i].run_time_ns, avg);
		}
		fflush(stdout);
		return ferror(stdout) ? TB_EXIT_FAIL : TB_EXIT_OK;
	}

	o = json_object_new_object();
	progs = json_object_new_array();
	if (!o || !progs) {
		json_object_put(o);
		json_object_put(progs);
		return TB_EXIT_FAIL;
	}
	json_object_object_add(o, "module_loaded", json_object_new_boolean(mod));
	json_object_object_add(o, "module_refcnt",
			       refcnt >= 0 ? json_object_new_int(refcnt) : NULL);
	json_object_object_add(o, "bpf_lsm_active", json_tristate(lsm));
	json_object_object_add(o, "bpf_stats_enabled", json_tristate(stats));
	json_object_object_add(o, "pin_dir", json_object_new_string(TB_PIN_DIR));
	json_object_object_add(o, "total", json_object_new_int64((int64_t)hooks.n));
	json_object_object_add(o, "loaded", json_object_new_int64((int64_t)nloaded));
	json_object_object_add(o, "attached",
			       json_object_new_int64((int64_t)nattached));
	json_object_object_add(o, "programs", progs);
	json_object_object_add(o, "xdp", tb_xdp_status_json());
	for (i = 0; i < hooks.n; i++) {
		struct json_object *p = json_object_new_object();

		if (!p)
			break;
		json_object_object_add(p, "hook",
				       json_object_new_string(hooks.h[i].hook));
		json_object_object_add(p, "program",
				       json_object_new_string(hooks.h[i].prog));
		json_object_object_add(p, "section",
				       json_object_new_string(hooks.h[i].section));
		json_object_object_add(p, "sleepable",
				       json_object_new_boolean(hooks.h[i].sleepable));
		json_object_object_add(p, "loaded",
				       json_object_new_boolean(st[i].loaded));
		json_object_object_add(p, "attached",
				       json_object_new_boolean(st[i].attached));
		json_object_object_add(p, "prog_id", st[i].prog_id ?
				       json_object_new_int64(st[i].prog_id) : NULL);
		json_object_object_add(p, "link_id", st[i].link_id ?
				       json_object_new_int64(st[i].link_id) : NULL);
		json_object_object_add(p, "run_cnt",
				       json_object_new_uint64(st[i].run_cnt));
		json_object_object_add(p, "run_time_ns",
				       json_object_new_uint64(st[i].run_time_ns));
		json_object_object_add(p, "avg_ns", st[i].run_cnt ?
				       json_object_new_double((double)st[i].run_time_ns /
							      (double)st[i].run_cnt) : NULL);
		json_object_array_add(progs, p);
	}
	ret = tb_json_print(o, false) ? TB_EXIT_FAIL : TB_EXIT_OK;
	json_object_put(o);
	return ret;
}

/* ---- stats ------------------------------------------------------------ */

#define MAX_OPS		32

/**
 * struct sample - one look at the BPF side and the module
 * @t_ns: CLOCK_MONOTONIC when it was taken.
 * @nloaded: programs loaded.
 * @nattached: programs attached.
 * @run_cnt: sum of the programs' run counts.
 * @run_time_ns: sum of their run times.
 * @stats: kernel.bpf_stats_enabled (-1 unknown).
 * @module: the module's counters were read (the fields below are set).
 * @events: the module's events counter.
 * @dropped: its events_dropped.
 * @queue_len: its event queue's slots (events_queue_len), 0 if the module
 *	does not say (before uapi 7).
 * @queued: events waiting in that queue.
 * @queue_peak: most events that waited at once since load.
 * @blocked: the sum of its per-operation denials.
 * @nops: how many of @op_name and @op_deny are set.
 * @op_name: operations, as tcp-policy names them.
 * @op_deny: their denials.
 * @anomalies: tracked processes with an anomaly score above 0
 *	("tcp-policy -j ps"), -1 if unknown.
 */
struct sample {
	uint64_t t_ns;
	size_t nloaded;
	size_t nattached;
	uint64_t run_cnt;
	uint64_t run_time_ns;
	int stats;
	bool module;
	uint64_t events;
	uint64_t dropped;
	uint64_t queue_len;
	uint64_t queued;
	uint64_t queue_peak;
	uint64_t blocked;
	size_t nops;
	char op_name[MAX_OPS][32];
	uint64_t op_deny[MAX_OPS];
	long anomalies;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static uint64_t json_u64(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) ?
		(uint64_t)json_object_get_int64(v) : 0;
}

/* Tracked processes with a score above 0 ("tcp-policy -j ps"), or -1. */
static long module_anomalies(void)
{
	static const char *const args[] = { "ps", NULL };
	struct json_object *a = tb_policy_json(args);
	long n = 0;
	size_t i;

	if (!a || !json_object_is_type(a, json_type_array)) {
		json_object_put(a);
		return -1;
	}
	for (i = 0; i < json_object_array_length(a); i++)
		if (json_u64(json_object_array_get_idx(a, i), "score"))
			n++;
	json_object_put(a);
	return n;
}

/* The module's counters, from "tcp-policy -j stats". */
static void module_sample(struct sample *s)
{
	static const char *const args[] = { "stats", NULL };
	struct json_object *o, *ops;

	s->module = false;
	if (!tb_module_loaded())
		return;
	o = tb_policy_json(args);
	if (!o)
		return;
	s->module = true;
	s->events = json_u64(o, "events");
	s->dropped = json_u64(o, "events_dropped");
	s->queue_len = json_u64(o, "events_queue_len");
	s->queued = json_u64(o, "events_queued");
	s->queue_peak = json_u64(o, "events_queue_peak");
	s->blocked = 0;
	s->nops = 0;
	if (json_object_object_get_ex(o, "ops", &ops) &&
	    json_object_is_type(ops, json_type_object)) {
		json_object_object_foreach(ops, name, v) {
			uint64_t d = json_u64(v, "deny");

			s->blocked += d;
			if (!d || s->nops == MAX_OPS)
				continue;
			snprintf(s->op_name[s->nops], sizeof(s->op_name[0]),
				 "%s", name);
			s->op_deny[s->nops++] = d;
		}
	}
	json_object_put(o);
	s->anomalies = module_anomalies();
}

static int take_sample(const struct tb_hooks *hooks, struct sample *s)
{
	struct pstate st[TB_MAX_HOOKS];
	size_t i;

	memset(s, 0, sizeof(*s));
	if (get_states(hooks, st))
		return -1;
	for (i = 0; i < hooks->n; i++) {
		s->nloaded += st[i].loaded;
		s->nattached += st[i].attached;
		s->run_cnt += st[i].run_cnt;
		s->run_time_ns += st[i].run_time_ns;
	}
	s->stats = tb_bpf_stats_enabled();
	module_sample(s);
	s->t_ns = now_ns();
	return 0;
}

static uint64_t delta(uint64_t now, uint64_t before)
{
	return now >= before ? now - before : 0;
}

static int report(const struct tb_hooks *hooks, const struct sample *a,
		  const struct sample *b, long cpus)
{
	double secs = (double)delta(b->t_ns, a->t_ns) / 1e9;
	bool module = a->module && b->module;
	uint64_t drun = delta(b->run_time_ns, a->run_time_ns);
	bool cpu = b->stats == 1 && cpus > 0 && secs > 0;
	double overhead = cpu ? (double)drun * 100.0 /
				(secs * 1e9 * (double)cpus) : 0.0;
	double ev = module && secs > 0 ?
		    (double)delta(b->events, a->events) / secs : 0.0;
	double dr = module && secs > 0 ?
		    (double)delta(b->dropped, a->dropped) / secs : 0.0;
	size_t i;

	if (tb_opts.json) {
		struct json_object *o = json_object_new_object(), *p, *ops;
		int ret;

		if (!o)
			return -1;
		json_object_object_add(o, "interval", json_object_new_double(secs));
		p = json_object_new_object();
		json_object_object_add(p, "total", json_object_new_int64((int64_t)hooks->n));
		json_object_object_add(p, "loaded", json_object_new_int64((int64_t)b->nloaded));
		json_object_object_add(p, "attached", json_object_new_int64((int64_t)b->nattached));
		json_object_object_add(o, "programs", p);
		json_object_object_add(o, "module_loaded",
				       json_object_new_boolean(tb_module_loaded()));
		json_object_object_add(o, "events", module ?
				       json_object_new_uint64(b->events) : NULL);
		json_object_object_add(o, "events_per_sec", module ?
				       json_object_new_double(ev) : NULL);
		json_object_object_add(o, "events_dropped", module ?
				       json_object_new_uint64(b->dropped) : NULL);
		json_object_object_add(o, "drops_per_sec", module ?
				       json_object_new_double(dr) : NULL);
		if (module && b->queue_len) {
			p = json_object_new_object();
			json_object_object_add(p, "queued", json_object_new_uint64(b->queued));
			json_object_object_add(p, "peak", json_object_new_uint64(b->queue_peak));
			json_object_object_add(p, "size", json_object_new_uint64(b->queue_len));
			json_object_object_add(o, "ring_buffer_use", p);
		} else {
			json_object_object_add(o, "ring_buffer_use", NULL);
		}
		json_object_object_add(o, "bpf_stats_enabled",
				       json_tristate(b->stats));
		json_object_object_add(o, "cpus", json_object_new_int64(cpus));
		json_object_object_add(o, "bpf_run_cnt",
				       json_object_new_uint64(delta(b->run_cnt, a->run_cnt)));
		json_object_object_add(o, "bpf_run_time_ns",
				       json_object_new_uint64(drun));
		json_object_object_add(o, "cpu_overhead_pct", cpu ?
				       json_object_new_double(overhead) : NULL);
		json_object_object_add(o, "blocked", module ?
				       json_object_new_uint64(b->blocked) : NULL);
		ops = json_object_new_object();
		for (i = 0; ops && module && i < b->nops; i++)
			json_object_object_add(ops, b->op_name[i],
					       json_object_new_uint64(b->op_deny[i]));
		json_object_object_add(o, "blocked_ops", ops);
		json_object_object_add(o, "anomalies", module && b->anomalies >= 0 ?
				       json_object_new_int64(b->anomalies) : NULL);
		ret = tb_json_print(o, true);
		json_object_put(o);
		return ret;
	}

	printf("TCP eBPF statistics (%.1f s):\n", secs);
	printf("Programs loaded:     %zu of %zu (%zu attached)\n", b->nloaded,
	       hooks->n, b->nattached);
	if (module) {
		printf("Events/s:            %.1f (%" PRIu64 " since the module was loaded)\n",
		       ev, b->events);
		printf("Drops:               %" PRIu64 " (%.1f/s)\n", b->dropped,
		       dr);
	} else {
		printf("Events/s:            n/a (%s)\n", tb_module_loaded() ?
		       "tcp-policy stats failed" : "the tcp_kernel module is not loaded");
		printf("Drops:               n/a\n");
	}
	if (module && b->queue_len)
		printf("Ring buffer use:     %" PRIu64 " of %" PRIu64 " (%.1f%%), peak %" PRIu64 " (the module's event queue)\n",
		       b->queued, b->queue_len,
		       (double)b->queued * 100.0 / (double)b->queue_len,
		       b->queue_peak);
	else
		printf("Ring buffer use:     n/a (%s)\n", module ?
		       "the module does not report its event queue (uapi 7)" :
		       "the tcp_kernel module is not loaded");
	if (cpu)
		printf("CPU overhead:        %.3f%% (%" PRIu64 " ns in %" PRIu64 " runs, %ld CPUs)\n",
		       overhead, drun, delta(b->run_cnt, a->run_cnt), cpus);
	else
		printf("CPU overhead:        n/a (kernel BPF stats are off: sysctl kernel.bpf_stats_enabled=1, or tcp-bpf attach)\n");
	if (module) {
		printf("Blocked operations:  %" PRIu64, b->blocked);
		for (i = 0; i < b->nops; i++)
			printf("%s%s %" PRIu64, i ? ", " : " (", b->op_name[i],
			       b->op_deny[i]);
		printf("%s\n", b->nops ? ")" : "");
	} else {
		printf("Blocked operations:  n/a\n");
	}
	if (module && b->anomalies >= 0)
		printf("Anomalies detected:  %ld (tracked processes with an anomaly score; tcp-policy ps)\n",
		       b->anomalies);
	else
		printf("Anomalies detected:  n/a\n");
	fflush(stdout);
	return ferror(stdout) ? -1 : 0;
}

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static void stats_usage(void)
{
	printf("Usage: " TB_NAME " stats [-j] [--interval=SECONDS [--count=N]]\n"
	       "\n"
	       "The BPF side at a glance, over one second (or every SECONDS, N\n"
	       "times, default until interrupted): programs loaded and attached,\n"
	       "the module's events/s and drops, ring buffer use (n/a), the CPU\n"
	       "overhead of the programs (their run time over elapsed time times\n"
	       "online CPUs, from kernel BPF stats), operations the module blocked\n"
	       "(since it was loaded), and anomalies (tracked processes whose\n"
	       "anomaly score is above 0).  The module's numbers come from\n"
	       "'tcp-policy -j stats' and 'tcp-policy -j ps'.\n"
	       "Reading the pins needs CAP_BPF and CAP_SYS_ADMIN.\n");
}

/**
 * tb_cmd_stats() - "tcp-bpf stats [--interval=S [--count=N]]"
 * @argc: argument count, argv[0] being "stats".
 * @argv: arguments.
 *
 * Return: a TB_EXIT_* value.
 */
int tb_cmd_stats(int argc, char **argv)
{
	static const struct option longopts[] = {
		TB_COMMON_LONGOPTS,
		{ "interval",	required_argument,	NULL, 'i' },
		{ "count",	required_argument,	NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	struct sigaction sa = { .sa_handler = on_signal };
	uint32_t interval = 0, count = 0, n;
	struct sample prev, now;
	struct tb_hooks hooks;
	long cpus;
	int opt;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "+" TB_COMMON_SHORTOPTS "i:c:",
				  longopts, NULL)) != -1) {
		if (tb_common_opt(opt))
			continue;
		switch (opt) {
		case 'h':
			stats_usage();
			return TB_EXIT_OK;
		case 'i':
			if (tb_parse_uint("stats", "--interval", optarg, 1,
					  86400, &interval))
				return TB_EXIT_USAGE;
			break;
		case 'c':
			if (tb_parse_uint("stats", "--count", optarg, 1,
					  UINT32_MAX, &count))
				return TB_EXIT_USAGE;
			break;
		default:
			return tb_bad_option("stats");
		}
	}
	if (optind < argc)
		return tb_bad_argument("stats", argv[optind]);
	if (count && !interval) {
		tb_err("stats: --count goes with --interval");
		return TB_EXIT_USAGE;
	}
	if (!interval) {
		interval = 1;
		count = 1;
	}

	if (tb_hooks_get(&hooks))
		return TB_EXIT_FAIL;
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (take_sample(&hooks, &now))
		return TB_EXIT_FAIL;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	for (n = 0; !count || n < count; n++) {
		struct timespec ts = { .tv_sec = interval };

		prev = now;
		while (nanosleep(&ts, &ts) && errno == EINTR && !stop_signal)
			;
		if (stop_signal)
			break;
		if (take_sample(&hooks, &now))
			return TB_EXIT_FAIL;
		if (!tb_opts.json && n)
			putchar('\n');
		if (report(&hooks, &prev, &now, cpus))
			return TB_EXIT_FAIL;
	}
	return TB_EXIT_OK;
}
