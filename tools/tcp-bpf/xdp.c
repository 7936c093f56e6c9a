// SPDX-License-Identifier: GPL-2.0
/*
 * tcp-bpf - the XDP flow monitor: load its program once, attach it to
 * interfaces (one pinned link each), write its thresholds and allow-list,
 * report its state
 *
 * Pin layout under TB_XDP_DIR: "prog", the maps "flows", "sources",
 * "allow", "config", "stats", and "link:IFNAME" per interface (bpffs
 * refuses names with a dot, which interface names may have: a dot of
 * IFNAME is pinned as a colon, which no interface name has).  The
 * program and maps stay while one link does; detaching the last link
 * unpins them, which unloads the program and releases the module.
 */

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/if_link.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "lsm/xdp.h"
#include "tcpk_xdp.skel.h"

#include "tcp-bpf.h"

#define XDP_PROG_PIN	TB_XDP_DIR "/prog"
#define XDP_LINK_PREFIX	"link:"

/* The maps, by their name in the object, and the name of their pin. */
static const struct {
	const char *map;
	const char *pin;
} xdp_maps[] = {
	{ "flows",	"flows" },
	{ "sources",	"sources" },
	{ "allow",	"allow" },
	{ "xdp_config",	"config" },
	{ "xdp_stats",	"stats" },
};

#define NMAPS	(sizeof(xdp_maps) / sizeof(xdp_maps[0]))

static void map_pin_path(char *buf, size_t len, const char *pin)
{
	snprintf(buf, len, TB_XDP_DIR "/%s", pin);
}

/* TB_XDP_DIR/link:IFNAME, the dots of IFNAME as colons. */
static void link_pin_path(char *buf, size_t len, const char *ifname)
{
	char *p;

	snprintf(buf, len, TB_XDP_DIR "/" XDP_LINK_PREFIX "%s", ifname);
	for (p = buf + strlen(TB_XDP_DIR "/" XDP_LINK_PREFIX); *p; p++)
		if (*p == '.')
			*p = ':';
}

static void unpin_all(void)
{
	char path[PATH_MAX];
	size_t i;

	unlink(XDP_PROG_PIN);
	for (i = 0; i < NMAPS; i++) {
		map_pin_path(path, sizeof(path), xdp_maps[i].pin);
		unlink(path);
	}
	rmdir(TB_XDP_DIR);
}

/* max_entries of a pinned map, 0 if it cannot be read. */
static uint32_t pinned_max_entries(const char *pin)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info);
	char path[PATH_MAX];
	int fd;

	map_pin_path(path, sizeof(path), pin);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return 0;
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		info.max_entries = 0;
	close(fd);
	return info.max_entries;
}

/*
 * Load the program with a flow table of @flows entries, write the default
 * configuration, pin the program and its maps.  All or nothing.
 */
static int xdp_load(uint32_t flows)
{
	const struct tcpk_xdp_config defaults = TCPK_XDP_CONFIG_DEFAULT;
	char path[PATH_MAX];
	struct tcpk_xdp *skel;
	__u32 zero = 0;
	size_t i;
	int err;

	tb_libbpf_init();
	skel = tcpk_xdp__open();
	if (!skel) {
		tb_err("cannot open the embedded XDP object: %s",
		       strerror(errno));
		return -1;
	}
	err = bpf_map__set_max_entries(skel->maps.flows, flows);
	if (!err)
		err = tcpk_xdp__load(skel);
	if (err) {
		tb_explain_load_error("the XDP program", -err);
		tcpk_xdp__destroy(skel);
		return -1;
	}
	err = bpf_map__update_elem(skel->maps.xdp_config, &zero, sizeof(zero),
				   &defaults, sizeof(defaults), BPF_ANY);
	if (err) {
		tb_err("cannot write the XDP configuration: %s",
		       strerror(-err));
		tcpk_xdp__destroy(skel);
		return -1;
	}
	if (tb_pin_dirs()) {
		tcpk_xdp__destroy(skel);
		return -1;
	}
	if (mkdir(TB_XDP_DIR, 0700) && errno != EEXIST) {
		tb_cap_error("cannot create " TB_XDP_DIR, errno);
		tcpk_xdp__destroy(skel);
		return -1;
	}
	for (i = 0; i < NMAPS; i++) {
		struct bpf_map *m = bpf_object__find_map_by_name(skel->obj,
								 xdp_maps[i].map);

		map_pin_path(path, sizeof(path), xdp_maps[i].pin);
		err = m ? bpf_map__pin(m, path) : -ENOENT;
		if (err)
			goto pin_failed;
	}
	snprintf(path, sizeof(path), "%s", XDP_PROG_PIN);
	err = bpf_program__pin(skel->progs.tcpk_xdp, path);
	if (err)
		goto pin_failed;
	tcpk_xdp__destroy(skel);
	return 0;

pin_failed:
	{
		char what[PATH_MAX + 16];

		snprintf(what, sizeof(what), "cannot pin %s", path);
		tb_cap_error(what, -err);
	}
	unpin_all();
	tcpk_xdp__destroy(skel);
	return -1;
}

/**
 * tb_xdp_attach() - attach the XDP flow monitor to an interface
 * @ifname: the interface.
 * @mode: "generic" or "native" (NULL: generic).
 * @flows: the flow table's bound, used when the program is loaded now.
 * @flows_set: @flows was given; then it must match a loaded table's.
 *
 * Loads and pins the program and its maps if they are not pinned, then
 * creates an XDP link on @ifname and pins it at TB_XDP_DIR/link:IFNAME.
 *
 * Return: a TB_EXIT_* value.
 */
int tb_xdp_attach(const char *ifname, const char *mode, uint32_t flows,
		  bool flows_set)
{
	LIBBPF_OPTS(bpf_link_create_opts, opts);
	char lpath[PATH_MAX], what[PATH_MAX + 32];
	bool loaded_now = false;
	unsigned int ifindex;
	int pfd, lfd, e;

	if (!mode || !strcmp(mode, "generic")) {
		opts.flags = XDP_FLAGS_SKB_MODE;
		mode = "generic";
	} else if (!strcmp(mode, "native")) {
		opts.flags = XDP_FLAGS_DRV_MODE;
	} else {
		tb_err("attach: --xdp-mode=%s: give generic or native", mode);
		return TB_EXIT_USAGE;
	}
	if (strlen(ifname) >= IF_NAMESIZE || strchr(ifname, '/')) {
		tb_err("attach: --xdp=%s: not an interface name", ifname);
		return TB_EXIT_USAGE;
	}
	ifindex = if_nametoindex(ifname);
	if (!ifindex) {
		tb_err("attach: --xdp=%s: no such interface in this network namespace",
		       ifname);
		return TB_EXIT_FAIL;
	}
	if (tb_module_check())
		return TB_EXIT_FAIL;
	link_pin_path(lpath, sizeof(lpath), ifname);
	if (tb_pinned(lpath)) {
		tb_err("attach: the XDP flow monitor is attached to %s already (tcp-bpf detach --xdp=%s first)",
		       ifname, ifname);
		return TB_EXIT_FAIL;
	}

	if (!tb_pinned(XDP_PROG_PIN)) {
		unpin_all();	/* leftovers of an interrupted run */
		if (xdp_load(flows))
			return TB_EXIT_FAIL;
		loaded_now = true;
	} else if (flows_set && pinned_max_entries("flows") != flows) {
		tb_err("attach: the loaded flow table holds %" PRIu32 " flows, not %" PRIu32 ": detach every interface (tcp-bpf detach --xdp) to change it",
		       pinned_max_entries("flows"), flows);
		return TB_EXIT_FAIL;
	}

	pfd = bpf_obj_get(XDP_PROG_PIN);
	if (pfd < 0) {
		tb_cap_error("cannot open " XDP_PROG_PIN, errno);
		goto fail;
	}
	lfd = bpf_link_create(pfd, (int)ifindex, BPF_XDP, &opts);
	e = errno;
	close(pfd);
	if (lfd < 0) {
		if (e == EBUSY || e == EEXIST)
			tb_err("attach: %s has an XDP program already (ip link show %s)",
			       ifname, ifname);
		else if (e == EOPNOTSUPP && opts.flags == XDP_FLAGS_DRV_MODE)
			tb_err("attach: the driver of %s has no native XDP: use --xdp-mode=generic",
			       ifname);
		else {
			snprintf(what, sizeof(what), "cannot attach XDP to %s",
				 ifname);
			tb_cap_error(what, e);
		}
		goto fail;
	}
	if (bpf_obj_pin(lfd, lpath)) {
		snprintf(what, sizeof(what), "cannot pin %s", lpath);
		tb_cap_error(what, errno);
		close(lfd);
		goto fail;
	}
	close(lfd);

	if (tb_opts.json) {
		struct json_object *o = json_object_new_object();
		int ret;

		if (!o)
			return TB_EXIT_FAIL;
		json_object_object_add(o, "xdp", json_object_new_string(ifname));
		json_object_object_add(o, "mode", json_object_new_string(mode));
		json_object_object_add(o, "loaded",
				       json_object_new_boolean(loaded_now));
		json_object_object_add(o, "max_flows", json_object_new_int64(
				       pinned_max_entries("flows")));
		ret = tb_json_print(o, false) ? TB_EXIT_FAIL : TB_EXIT_OK;
		json_object_put(o);
		return ret;
	}
	printf("attached the XDP flow monitor to %s (%s mode), flow table of %" PRIu32 " flows, pinned under " TB_XDP_DIR "\n",
	       ifname, mode, pinned_max_entries("flows"));
	return TB_EXIT_OK;

fail:
	if (loaded_now)
		unpin_all();
	return TB_EXIT_FAIL;
}

/* The interfaces with a pinned link: calls @fn(ifname, arg) for each. */
static int for_each_link(void (*fn)(const char *ifname, void *arg), void *arg)
{
	size_t plen = strlen(XDP_LINK_PREFIX);
	struct dirent *de;
	int n = 0;
	DIR *d;

	d = opendir(TB_XDP_DIR);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char ifname[IF_NAMESIZE], *p;

		if (strncmp(de->d_name, XDP_LINK_PREFIX, plen) ||
		    !de->d_name[plen] ||
		    strlen(de->d_name + plen) >= sizeof(ifname))
			continue;
		snprintf(ifname, sizeof(ifname), "%s", de->d_name + plen);
		for (p = ifname; *p; p++)
			if (*p == ':')
				*p = '.';
		fn(ifname, arg);
		n++;
	}
	closedir(d);
	return n;
}

static void count_link(const char *ifname, void *arg)
{
	(void)ifname;
	(*(size_t *)arg)++;
}

/**
 * tb_xdp_detach() - detach the XDP flow monitor
 * @ifname: one interface, or NULL for all.
 * @nlinks: (out) links unpinned.
 * @unloaded: (out) the program and maps were unpinned (no link left).
 *
 * Unpins the link of @ifname (or every link); when none is left, unpins
 * the program and the maps and removes TB_XDP_DIR.
 *
 * Return: 0, or -1 after a message.
 */
int tb_xdp_detach(const char *ifname, size_t *nlinks, bool *unloaded)
{
	char path[PATH_MAX];
	size_t left = 0, n = 0;
	DIR *d;
	struct dirent *de;

	*nlinks = 0;
	*unloaded = false;
	if (ifname) {
		if (strlen(ifname) >= IF_NAMESIZE || strchr(ifname, '/')) {
			tb_err("detach: --xdp=%s: not an interface name",
			       ifname);
			return -1;
		}
		link_pin_path(path, sizeof(path), ifname);
		if (unlink(path)) {
			if (errno == ENOENT) {
				tb_err("detach: the XDP flow monitor is not attached to %s",
				       ifname);
				return -1;
			}
			snprintf(path, sizeof(path), "cannot unpin the link of %s",
				 ifname);
			tb_cap_error(path, errno);
			return -1;
		}
		*nlinks = 1;
	} else {
		d = opendir(TB_XDP_DIR);
		if (!d)
			return 0;
		while ((de = readdir(d))) {
			if (strncmp(de->d_name, XDP_LINK_PREFIX,
				    strlen(XDP_LINK_PREFIX)))
				continue;
			snprintf(path, sizeof(path), TB_XDP_DIR "/%s",
				 de->d_name);
			if (unlink(path)) {
				tb_cap_error("cannot unpin an XDP link", errno);
				closedir(d);
				return -1;
			}
			n++;
		}
		closedir(d);
		*nlinks = n;
	}
	for_each_link(count_link, &left);
	if (!left && access(TB_XDP_DIR, F_OK) == 0) {
		unpin_all();
		*unloaded = access(TB_XDP_DIR, F_OK) != 0;
		if (!*unloaded)
			tb_warn("cannot remove " TB_XDP_DIR ": something else is pinned there");
	}
	return 0;
}

/* "10.0.0.0/8", "10.1.2.3", "fd00::/8", "::1" into an LPM key. */
static int parse_prefix(const char *s, struct tcpk_xdp_allow_key *k)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash, *end;
	unsigned long len;
	struct in_addr a4;
	bool v4;

	if (strlen(s) >= sizeof(buf))
		return -1;
	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = '\0';
	memset(k, 0, sizeof(*k));
	v4 = inet_pton(AF_INET, buf, &a4) == 1;
	if (v4) {
		k->addr[10] = 0xff;
		k->addr[11] = 0xff;
		memcpy(k->addr + 12, &a4, 4);
	} else if (inet_pton(AF_INET6, buf, k->addr) != 1) {
		return -1;
	}
	len = v4 ? 32 : 128;
	if (slash) {
		errno = 0;
		len = strtoul(slash, &end, 10);
		if (errno || end == slash || *end || len > (v4 ? 32UL : 128UL))
			return -1;
	}
	k->prefixlen = (uint32_t)len + (v4 ? 96 : 0);
	return 0;
}

static void prefix_str(const struct tcpk_xdp_allow_key *k, char *buf,
		       size_t len)
{
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };
	char a[INET6_ADDRSTRLEN];

	if (k->prefixlen >= 96 && !memcmp(k->addr, mapped, 12)) {
		inet_ntop(AF_INET, k->addr + 12, a, sizeof(a));
		snprintf(buf, len, "%s/%u", a, k->prefixlen - 96);
	} else {
		inet_ntop(AF_INET6, k->addr, a, sizeof(a));
		snprintf(buf, len, "%s/%u", a, k->prefixlen);
	}
}

static int open_map(const char *pin)
{
	char path[PATH_MAX], what[PATH_MAX + 16];
	int fd;

	map_pin_path(path, sizeof(path), pin);
	fd = bpf_obj_get(path);
	if (fd >= 0)
		return fd;
	if (errno == ENOENT)
		tb_err("the XDP flow monitor is not loaded (no %s): tcp-bpf attach --xdp IFACE first",
		       path);
	else {
		snprintf(what, sizeof(what), "cannot open %s", path);
		tb_cap_error(what, errno);
	}
	return -1;
}

static struct json_object *config_json(const struct tcpk_xdp_config *c,
				       int afd)
{
	struct json_object *o = json_object_new_object(), *a;
	struct tcpk_xdp_allow_key k, next;
	char buf[INET6_ADDRSTRLEN + 8];
	void *prev = NULL;

	if (!o)
		return NULL;
#define PUT(field) json_object_object_add(o, #field, json_object_new_int64(c->field))
	PUT(drop_score);
	PUT(invalid_flags_score);
	PUT(scan_ports);
	PUT(scan_score);
	PUT(flood_syns);
	PUT(flood_score);
	PUT(window_ms);
	PUT(penalty_ms);
#undef PUT
	a = json_object_new_array();
	while (a && afd >= 0 && !bpf_map_get_next_key(afd, prev, &next)) {
		prefix_str(&next, buf, sizeof(buf));
		json_object_array_add(a, json_object_new_string(buf));
		k = next;
		prev = &k;
	}
	json_object_object_add(o, "allow", a);
	return o;
}

static void config_text(const struct tcpk_xdp_config *c, int afd)
{
	struct tcpk_xdp_allow_key k, next;
	char buf[INET6_ADDRSTRLEN + 8];
	void *prev = NULL;
	int n = 0;

	printf("drop_score          %" PRIu32 "%s\n", c->drop_score,
	       c->drop_score ? " (drops at security_level >= 2)" : " (never drops)");
	printf("invalid_flags_score %" PRIu32 "\n", c->invalid_flags_score);
	printf("scan_ports          %" PRIu32 "%s\n", c->scan_ports,
	       c->scan_ports ? "" : " (off)");
	printf("scan_score          %" PRIu32 "\n", c->scan_score);
	printf("flood_syns          %" PRIu32 "%s\n", c->flood_syns,
	       c->flood_syns ? "" : " (off)");
	printf("flood_score         %" PRIu32 "\n", c->flood_score);
	printf("window_ms           %" PRIu32 "\n", c->window_ms);
	printf("penalty_ms          %" PRIu32 "\n", c->penalty_ms);
	printf("allow              ");
	while (afd >= 0 && !bpf_map_get_next_key(afd, prev, &next)) {
		prefix_str(&next, buf, sizeof(buf));
		printf(" %s", buf);
		k = next;
		prev = &k;
		n++;
	}
	printf("%s\n", n ? "" : " (none)");
}

/* The long name of the option whose value is @val. */
static const char *option_name(const struct option *o, int val)
{
	for (; o->name; o++)
		if (o->val == val)
			return o->name;
	return "?";
}

static void xdp_config_usage(void)
{
	printf("Usage: " TB_NAME " config --xdp [--xdp-drop-score=N] [--xdp-invalid-flags-score=N]\n"
	       "       [--xdp-scan-ports=N] [--xdp-scan-score=N] [--xdp-flood-syns=N]\n"
	       "       [--xdp-flood-score=N] [--xdp-window-ms=N] [--xdp-penalty-ms=N]\n"
	       "       [--xdp-allow=PREFIX]... [--xdp-disallow=PREFIX]...\n"
	       "\n"
	       "Set the XDP flow monitor's thresholds and allow-list (the pinned maps\n"
	       TB_XDP_DIR "/config and /allow), then print them.  Every\n"
	       "value is an integer from 0; 0 turns a check (or dropping) off.\n"
	       "A PREFIX is an IPv4 or IPv6 address with an optional /LEN; sources\n"
	       "inside an allowed prefix are scored but never dropped.  'config --xdp'\n"
	       "alone prints the configuration.  The values last until the program is\n"
	       "unloaded (the last 'detach --xdp'); a new load starts from the defaults.\n"
	       "\n"
	       "Needs CAP_BPF and CAP_SYS_ADMIN.\n");
}

/**
 * tb_xdp_config() - "tcp-bpf config --xdp [--xdp-...]"
 * @argc: argument count, argv[0] being "config".
 * @argv: arguments.
 *
 * Return: a TB_EXIT_* value.
 */
int tb_xdp_config(int argc, char **argv)
{
	enum { ALLOW = 256, DISALLOW, SHOW, FIELD0 };
	static const struct option longopts[] = {
		TB_COMMON_LONGOPTS,
		{ "xdp",			no_argument,	   NULL, SHOW },
		{ "xdp-allow",			required_argument, NULL, ALLOW },
		{ "xdp-disallow",		required_argument, NULL, DISALLOW },
		{ "xdp-drop-score",		required_argument, NULL, FIELD0 + 0 },
		{ "xdp-invalid-flags-score",	required_argument, NULL, FIELD0 + 1 },
		{ "xdp-scan-ports",		required_argument, NULL, FIELD0 + 2 },
		{ "xdp-scan-score",		required_argument, NULL, FIELD0 + 3 },
		{ "xdp-flood-syns",		required_argument, NULL, FIELD0 + 4 },
		{ "xdp-flood-score",		required_argument, NULL, FIELD0 + 5 },
		{ "xdp-window-ms",		required_argument, NULL, FIELD0 + 6 },
		{ "xdp-penalty-ms",		required_argument, NULL, FIELD0 + 7 },
		{ NULL, 0, NULL, 0 },
	};
	/* In the order of struct tcpk_xdp_config, from FIELD0. */
	static const uint32_t field_max[8] = {
		1000000, 1000000, TCPK_XDP_PORT_BITS, 1000000, 100000000,
		1000000, 3600000, 86400000,
	};
	struct tcpk_xdp_allow_key allow[64], disallow[64];
	size_t nallow = 0, ndisallow = 0, i;
	uint32_t val[8];
	bool set[8] = { false };
	struct tcpk_xdp_config c;
	int opt, cfd, afd, ret = TB_EXIT_FAIL;
	__u32 zero = 0;
	__u8 one = 1;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "+" TB_COMMON_SHORTOPTS,
				  longopts, NULL)) != -1) {
		if (tb_common_opt(opt))
			continue;
		switch (opt) {
		case 'h':
			xdp_config_usage();
			return TB_EXIT_OK;
		case SHOW:
			break;
		case ALLOW:
		case DISALLOW: {
			struct tcpk_xdp_allow_key *k = opt == ALLOW ?
				&allow[nallow] : &disallow[ndisallow];
			size_t *n = opt == ALLOW ? &nallow : &ndisallow;

			if (*n == 64) {
				tb_err("config: at most 64 --xdp-allow= and 64 --xdp-disallow= at once");
				return TB_EXIT_USAGE;
			}
			if (parse_prefix(optarg, k)) {
				tb_err("config: %s=%s: not an IPv4 or IPv6 address or prefix",
				       opt == ALLOW ? "--xdp-allow" : "--xdp-disallow",
				       optarg);
				return TB_EXIT_USAGE;
			}
			(*n)++;
			break;
		}
		default:
			if (opt >= FIELD0 && opt < FIELD0 + 8) {
				char name[40];

				snprintf(name, sizeof(name), "--%s",
					 option_name(longopts, opt));
				if (tb_parse_uint("config", name, optarg, 0,
						  field_max[opt - FIELD0],
						  &val[opt - FIELD0]))
					return TB_EXIT_USAGE;
				set[opt - FIELD0] = true;
				break;
			}
			return tb_bad_option("config");
		}
	}
	if (optind < argc)
		return tb_bad_argument("config", argv[optind]);

	cfd = open_map("config");
	if (cfd < 0)
		return TB_EXIT_FAIL;
	afd = open_map("allow");
	if (afd < 0) {
		close(cfd);
		return TB_EXIT_FAIL;
	}
	if (bpf_map_lookup_elem(cfd, &zero, &c)) {
		tb_cap_error("cannot read the XDP configuration", errno);
		goto out;
	}
	for (i = 0; i < 8; i++)
		if (set[i])
			((uint32_t *)&c)[i] = val[i];
	if (c.window_ms == 0 && (set[6] || set[2] || set[4])) {
		tb_err("config: --xdp-window-ms must be at least 1");
		ret = TB_EXIT_USAGE;
		goto out;
	}
	if (bpf_map_update_elem(cfd, &zero, &c, BPF_ANY)) {
		tb_cap_error("cannot write the XDP configuration", errno);
		goto out;
	}
	for (i = 0; i < nallow; i++)
		if (bpf_map_update_elem(afd, &allow[i], &one, BPF_ANY)) {
			if (errno == E2BIG || errno == ENOSPC)
				tb_err("config: the allow-list is full (%d prefixes)",
				       TCPK_XDP_ALLOW_MAX);
			else
				tb_cap_error("cannot add to the allow-list", errno);
			goto out;
		}
	for (i = 0; i < ndisallow; i++)
		if (bpf_map_delete_elem(afd, &disallow[i]) && errno != ENOENT) {
			tb_cap_error("cannot remove from the allow-list", errno);
			goto out;
		}

	if (tb_opts.json) {
		struct json_object *o = config_json(&c, afd);

		ret = o && !tb_json_print(o, false) ? TB_EXIT_OK : TB_EXIT_FAIL;
		json_object_put(o);
	} else {
		config_text(&c, afd);
		ret = ferror(stdout) ? TB_EXIT_FAIL : TB_EXIT_OK;
	}
out:
	close(cfd);
	close(afd);
	return ret;
}

/**
 * struct xdp_state - what status reports of the XDP flow monitor
 * @loaded: the program is pinned.
 * @prog_id: its id.
 * @run_cnt: its run count (kernel BPF stats).
 * @run_time_ns: its run time.
 * @flows: flows in the table.
 * @max_flows: the table's bound.
 * @memlock: bytes the kernel charges for the flow table (its fdinfo),
 *	0 if unknown.
 * @st: the program's counters, summed over the CPUs.
 * @have_config: @config was read.
 * @config: the configuration.
 */
struct xdp_state {
	bool loaded;
	uint32_t prog_id;
	uint64_t run_cnt;
	uint64_t run_time_ns;
	uint64_t flows;
	uint32_t max_flows;
	uint64_t memlock;
	struct tcpk_xdp_stats st;
	bool have_config;
	struct tcpk_xdp_config config;
};

/* The "memlock:" of a map's /proc/self/fdinfo entry, 0 if none. */
static uint64_t fd_memlock(int fd)
{
	unsigned long long v = 0;
	char path[64], line[128];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "memlock: %llu", &v) == 1)
			break;
	fclose(f);
	return v;
}

static void xdp_state_get(struct xdp_state *s)
{
	struct bpf_prog_info info = { 0 };
	__u32 len = sizeof(info), zero = 0;
	struct tcpk_xdp_flow_key k, next;
	struct tcpk_xdp_stats *per;
	void *prev = NULL;
	int fd, ncpu, i;

	memset(s, 0, sizeof(*s));
	fd = bpf_obj_get(XDP_PROG_PIN);
	if (fd < 0)
		return;
	s->loaded = true;
	if (!bpf_obj_get_info_by_fd(fd, &info, &len)) {
		s->prog_id = info.id;
		s->run_cnt = info.run_cnt;
		s->run_time_ns = info.run_time_ns;
	}
	close(fd);
	s->max_flows = pinned_max_entries("flows");

	fd = bpf_obj_get(TB_XDP_DIR "/flows");
	if (fd >= 0) {
		s->memlock = fd_memlock(fd);
		while (s->flows <= s->max_flows &&
		       !bpf_map_get_next_key(fd, prev, &next)) {
			s->flows++;
			k = next;
			prev = &k;
		}
		close(fd);
	}
	fd = bpf_obj_get(TB_XDP_DIR "/config");
	if (fd >= 0) {
		s->have_config = !bpf_map_lookup_elem(fd, &zero, &s->config);
		close(fd);
	}
	ncpu = libbpf_num_possible_cpus();
	fd = bpf_obj_get(TB_XDP_DIR "/stats");
	if (fd >= 0 && ncpu > 0) {
		per = calloc((size_t)ncpu, sizeof(*per));
		if (per && !bpf_map_lookup_elem(fd, &zero, per)) {
			for (i = 0; i < ncpu; i++) {
				s->st.packets += per[i].packets;
				s->st.bytes += per[i].bytes;
				s->st.dropped += per[i].dropped;
				s->st.parse_errors += per[i].parse_errors;
				s->st.new_flows += per[i].new_flows;
				s->st.events += per[i].events;
			}
		}
		free(per);
	}
	if (fd >= 0)
		close(fd);
}

/* The mode an interface runs the program in, from the kernel. */
static const char *link_mode(const char *ifname)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	unsigned int ifindex = if_nametoindex(ifname);

	if (!ifindex)
		return "gone";
	if (bpf_xdp_query((int)ifindex, 0, &q))
		return "unknown";
	switch (q.attach_mode) {
	case XDP_ATTACHED_SKB:
		return "generic";
	case XDP_ATTACHED_DRV:
		return "native";
	case XDP_ATTACHED_HW:
		return "offload";
	case XDP_ATTACHED_NONE:
		return "detached";
	}
	return "multi";
}

static void print_link(const char *ifname, void *arg)
{
	printf("%s %s (%s)", *(int *)arg ? "," : "", ifname, link_mode(ifname));
	(*(int *)arg)++;
}

/**
 * tb_xdp_status_text() - the "xdp:" lines of tcp-bpf status
 */
void tb_xdp_status_text(void)
{
	struct xdp_state s;
	int n = 0;

	xdp_state_get(&s);
	if (!s.loaded) {
		printf("xdp:        not attached (tcp-bpf attach --xdp IFACE)\n");
		return;
	}
	printf("xdp:        prog %" PRIu32 " on", s.prog_id);
	for_each_link(print_link, &n);
	if (!n)
		printf(" no interface");
	printf("; flows %" PRIu64 " of %" PRIu32 " (%" PRIu64 " KiB), packets %"
	       PRIu64 ", dropped %" PRIu64 ", events %" PRIu64 "\n", s.flows,
	       s.max_flows, s.memlock / 1024, (uint64_t)s.st.packets,
	       (uint64_t)s.st.dropped, (uint64_t)s.st.events);
}

struct links_json {
	struct json_object *a;
};

static void link_json(const char *ifname, void *arg)
{
	struct links_json *l = arg;
	struct json_object *o = json_object_new_object();

	if (!o)
		return;
	json_object_object_add(o, "ifname", json_object_new_string(ifname));
	json_object_object_add(o, "mode",
			       json_object_new_string(link_mode(ifname)));
	json_object_array_add(l->a, o);
}

/**
 * tb_xdp_status_json() - the "xdp" object of tcp-bpf status -j
 *
 * Return: the object (NULL without memory).
 */
struct json_object *tb_xdp_status_json(void)
{
	struct json_object *o = json_object_new_object();
	struct links_json l = { .a = json_object_new_array() };
	struct xdp_state s;

	if (!o || !l.a) {
		json_object_put(o);
		json_object_put(l.a);
		return NULL;
	}
	xdp_state_get(&s);
	json_object_object_add(o, "loaded", json_object_new_boolean(s.loaded));
	if (s.loaded) {
		for_each_link(link_json, &l);
		json_object_object_add(o, "prog_id",
				       json_object_new_int64(s.prog_id));
		json_object_object_add(o, "run_cnt",
				       json_object_new_uint64(s.run_cnt));
		json_object_object_add(o, "run_time_ns",
				       json_object_new_uint64(s.run_time_ns));
		json_object_object_add(o, "flows",
				       json_object_new_uint64(s.flows));
		json_object_object_add(o, "max_flows",
				       json_object_new_int64(s.max_flows));
		json_object_object_add(o, "flows_memlock",
				       json_object_new_uint64(s.memlock));
		json_object_object_add(o, "packets",
				       json_object_new_uint64(s.st.packets));
		json_object_object_add(o, "bytes",
				       json_object_new_uint64(s.st.bytes));
		json_object_object_add(o, "dropped",
				       json_object_new_uint64(s.st.dropped));
		json_object_object_add(o, "parse_errors",
				       json_object_new_uint64(s.st.parse_errors));
		json_object_object_add(o, "new_flows",
				       json_object_new_uint64(s.st.new_flows));
		json_object_object_add(o, "events",
				       json_object_new_uint64(s.st.events));
	}
	json_object_object_add(o, "interfaces", l.a);
	return o;
}
