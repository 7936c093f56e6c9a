#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - the DKMS lifecycle against every pinned kernel
# (tools/testing/kernels.conf): stage the source (dkms-install.sh
# --stage-only), dkms add, build and install for each kernel, then check
# what got installed (status, file, .BTF, modinfo version and vermagic,
# and the bring-up files of dkms.conf's POST_INSTALL: tcp-kernel-up, the
# unit, the udev rule, the packs and rule files in /etc), that they stay
# while one kernel still has the module, dkms remove --all, and check
# that nothing is left.  Then "make -C tools install DESTDIR=": every
# documented file where documented and nothing else, the unit through
# systemd-analyze verify, the udev rule's match, a changed rule file kept,
# "make uninstall" leaving only that, and nothing of the host touched.
#
# usage: dkms-test.sh [--force]
#   --force  remove an existing DKMS registration of tcp_kernel first
#            (without it the test refuses to touch one)
#
# Output is TAP (tools/testing/lib/tap.sh); the exit status is non-zero if
# any check failed.  Runs as root; installs missing Debian packages.  The
# machine is left as it was found, also when a step fails or the run is
# interrupted (EXIT trap): registration, /usr/src copy, installed modules,
# depmod indexes, the module signing key DKMS generates on first use, and
# the bring-up files (moved aside for the run if there were any, then put
# back).
set -euo pipefail

here=$(dirname "$(readlink -f "$0")")
top=$(readlink -f "$here/../..")
# shellcheck source=SCRIPTDIR/lib/tap.sh
. "$here/lib/tap.sh"
# shellcheck source=SCRIPTDIR/kernels.conf
. "$here/kernels.conf"

name=tcp_kernel
arch=$(uname -m)
force=0
start=$SECONDS

bail() {
	echo "Bail out! $*"
	exit 1
}

while [ $# -gt 0 ]; do
	case $1 in
	--force) force=1; shift ;;
	-h | --help) sed -n 's/^# \{0,1\}//; 10,12p' "$0" >&2; exit 2 ;;
	*) echo "unknown argument: $1" >&2; exit 2 ;;
	esac
done

# shellcheck source=SCRIPTDIR/lib/pkgs.sh
. "$here/lib/pkgs.sh"

# The pinned kernels, oldest first: every TCPK_K<series>_RELEASE, with
# its package version in TCPK_K<series>_VERSION.
kernels=()
pkgs=(dkms kmod binutils xz-utils pahole "$TCPK_KBUILD612_PKG"
	make gcc pkg-config clang llvm bpftool libbpf-dev libnl-genl-3-dev
	libjson-c-dev libssl-dev zlib1g-dev man-db)
while IFS= read -r var; do
	k=${!var}
	vvar=${var%_RELEASE}_VERSION
	kernels+=("$k")
	pkgs+=("linux-headers-$k=${!vvar}")
	# The BTF post-link of kernels whose headers have no vmlinux takes
	# its base from the image.
	[ -e "/boot/vmlinuz-$k" ] || pkgs+=("linux-image-$k=${!vvar}")
done < <(compgen -A variable | grep -E '^TCPK_K[0-9]+_RELEASE$')
[ ${#kernels[@]} -gt 0 ] || bail "no TCPK_K*_RELEASE in $here/kernels.conf"
mapfile -t kernels < <(printf '%s\n' "${kernels[@]}" | sort -V)

version=$(sed -n 's/^PACKAGE_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$top/dkms.conf")
[ -n "$version" ] || bail "no PACKAGE_VERSION in $top/dkms.conf"
srcdir=/usr/src/$name-$version
dkmsdir=/var/lib/dkms/$name

# Where "make -C tools install" and DKMS's POST_INSTALL put the bring-up
# files (tools/Makefile's defaults, Documentation/admin-guide.rst).
sbindir=/usr/local/sbin
unit=/lib/systemd/system/tcp-kernel.service
rule=/lib/udev/rules.d/90-tcp-kernel.rules
etcdir=/etc/tcp_kernel
packs=()
for f in "$top"/tools/descriptors/*.tcp; do packs+=("descriptors.d/${f##*/}"); done
rulefiles=()
for f in "$top"/tools/policy/*.rules; do rulefiles+=("${f##*/}"); done
if [ ${#packs[@]} -eq 0 ] || [ ${#rulefiles[@]} -eq 0 ]; then
	bail "no packs in $top/tools/descriptors or rule files in $top/tools/policy"
fi
# The bring-up files outside /etc, and /etc/tcp_kernel as a whole.
bringup=("$sbindir/tcp-kernel-up" "$unit" "$rule")

[ "$(id -u)" -eq 0 ] || bail "must run as root (dkms)"
need_pkgs "${pkgs[@]}" || bail "cannot install ${pkgs[*]}"

# One DKMS user of tcp_kernel at a time (dkms-install.sh takes the same
# lock; nothing is left behind).
exec 9</var/lib/dkms
flock -w 900 9 || bail "another DKMS run of $name holds /var/lib/dkms"
export TCPK_DKMS_LOCKED=1

if [ -n "$(dkms status -m "$name" 2>/dev/null)" ] || [ -e "$dkmsdir" ] ||
	compgen -G "/usr/src/$name-*" >/dev/null; then
	((force)) || bail "$name is already known to DKMS (or staged in /usr/src): this test" \
		"would not leave it as found; remove it (dkms remove $name/<version> --all;" \
		"rm -rf /usr/src/$name-*) or pass --force"
	dkms remove "$name/$version" --all >/dev/null 2>&1 || true
	rm -rf "$dkmsdir" "/usr/src/$name-"*
fi

# --- What "as found" means ------------------------------------------------
tmp=$(mktemp -d)
state=$tmp/state
mkdir -p "$state"
for k in "${kernels[@]}"; do
	mkdir -p "$state/$k"
	cp -p "/lib/modules/$k"/modules.* "$state/$k/"
	for d in updates updates/dkms; do
		[ -e "/lib/modules/$k/$d" ] || echo "/lib/modules/$k/$d"
	done >>"$state/absent-dirs"
done
for f in /var/lib/dkms/mok.key /var/lib/dkms/mok.pub; do
	[ -e "$f" ] || echo "$f"
done >"$state/absent-keys"
# Bring-up files already there (an earlier make install): saved here, moved
# aside once the EXIT trap is set, put back by leave_as_found.
for f in "${bringup[@]}" "$etcdir"; do
	[ ! -e "$f" ] || echo "${f#/}"
done >"$state/bringup-found"
if [ -s "$state/bringup-found" ]; then
	tar -C / -cpf "$state/bringup.tar" -T "$state/bringup-found" ||
		bail "cannot save the bring-up files found: $(tr '\n' ' ' <"$state/bringup-found")"
fi

# leave_as_found: idempotent; runs at the end and from the EXIT trap.
leave_as_found() {
	local k f d

	if [ -e "$dkmsdir" ]; then
		dkms remove "$name/$version" --all >/dev/null 2>&1 || true
		rm -rf "$dkmsdir"
	fi
	rm -rf "$srcdir"
	for k in "${kernels[@]}"; do
		rm -f "/lib/modules/$k/updates/dkms/$name.ko"*
		for f in "$state/$k"/modules.*; do
			cmp -s "$f" "/lib/modules/$k/${f##*/}" || cp -p "$f" "/lib/modules/$k/"
		done
	done
	# deepest first
	sort -r "$state/absent-dirs" | while IFS= read -r d; do
		rmdir "$d" 2>/dev/null || true
	done
	while IFS= read -r f; do rm -f "$f"; done <"$state/absent-keys"
	rm -f "${bringup[@]}"
	rm -rf "$etcdir"
	if [ -f "$state/bringup.tar" ]; then tar -C / -xpf "$state/bringup.tar"; fi
}

cleanup() {
	local rc=$?

	trap - EXIT INT TERM
	if [ -d "$state" ]; then
		[ "$rc" -eq 0 ] || tap_diag "exit status $rc: leaving the machine as found"
		leave_as_found
	fi
	rm -rf "$tmp"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -s "$state/bringup-found" ]; then
	tap_diag "moved aside for the run (put back at the end):" \
		"$(sed 's|^|/|' "$state/bringup-found" | tr '\n' ' ')"
	rm -f "${bringup[@]}"
	rm -rf "$etcdir"
fi

# make_log_diag <kver>: the DKMS build log of <kver>, as diagnostics.
make_log_diag() {
	local log

	for log in "$dkmsdir/$version/$1/$arch/log/make.log" "$dkmsdir/$version/build/make.log"; do
		if [ -r "$log" ]; then
			tap_diag "tail of $log:"
			tap_diag "$(tail -n 40 "$log")"
			return
		fi
	done
	tap_diag "no make.log under $dkmsdir/$version"
}

# installed_ko <kver>: the one installed module file.
installed_ko() {
	local f found=()

	for f in "/lib/modules/$1/updates/dkms/$name.ko"*; do
		if [ -f "$f" ]; then found+=("$f"); fi
	done
	[ ${#found[@]} -eq 1 ] || return 1
	printf '%s\n' "${found[0]}"
}

# has_btf <module file>: the (possibly compressed) module has a .BTF section.
has_btf() {
	local elf=$tmp/btf.ko

	case $1 in
	*.xz) xz -dc "$1" >"$elf" ;;
	*.gz) gzip -dc "$1" >"$elf" ;;
	*.zst) zstd -qdc "$1" >"$elf" ;;
	*) elf=$1 ;;
	esac || return 1
	readelf -SW "$elf" | grep ' \.BTF ' >/dev/null || {
		echo "no .BTF section in $1"
		return 1
	}
}

# bringup_present: every bring-up file DKMS's POST_INSTALL installs is
# there, the /etc ones as shipped.
bringup_present() {
	local f bad=0

	for f in "${bringup[@]}"; do
		[ -f "$f" ] || { echo "missing: $f"; bad=1; }
	done
	for f in "${packs[@]}"; do
		cmp "$top/tools/descriptors/${f#descriptors.d/}" "$etcdir/$f" || bad=1
	done
	for f in "${rulefiles[@]}"; do
		cmp "$top/tools/policy/$f" "$etcdir/$f" || bad=1
	done
	return "$bad"
}

# bringup_absent: none of them is left, nor /etc/tcp_kernel.
bringup_absent() {
	local f there=()

	for f in "${bringup[@]}" "$etcdir"; do
		if [ -e "$f" ]; then there+=("$f"); fi
	done
	[ ${#there[@]} -eq 0 ] && return
	echo "still there: ${there[*]}"
	find "$etcdir" 2>/dev/null | head -n 20
	return 1
}

# unit_execs <unit file> <sbindir>: ExecStart, ExecReload and ExecStop run
# tcp-kernel-up from <sbindir>, and no @VAR@ is left.
unit_execs() {
	local u=$1 d=$2 key

	if grep -n '@[A-Z]*@' "$u"; then
		echo "unsubstituted variables in $u"
		return 1
	fi
	for key in "ExecStart=$d/tcp-kernel-up" "ExecReload=$d/tcp-kernel-up" \
		"ExecStop=$d/tcp-kernel-up --stop" "RemainAfterExit=yes"; do
		grep -qxF "$key" "$u" || { echo "no line '$key' in $u"; return 1; }
	done
}

# rule_matches <rules file> <unit name>: a static check of the udev rule
# (udevadm verify is newer than Debian 12's udev, and udevadm test needs
# the module loaded): every line is comma-separated KEY OP "VALUE" pairs;
# one matches the module's "add" exactly and runs systemctl
# reload-or-restart of the unit (a start would do nothing on an active
# unit), one its "remove" and stops it; and that systemctl exists.
rule_matches() {
	local r=$1 u=$2 line pair bad=0 add=0 remove=0 cmd
	local pair_re='^[A-Z_]+(\{[^}]*\})?(==|!=|\+=|-=|:=|=)"[^"]*"$'
	local match='ACTION=="%s", SUBSYSTEM=="module", KERNEL=="tcp_kernel", RUN+="%s"'

	while IFS= read -r line; do
		case $line in '' | '#'*) continue ;; esac
		while IFS= read -r pair; do
			[[ $pair =~ $pair_re ]] || { echo "not KEY OP \"VALUE\": '$pair' in: $line"; bad=1; }
		done <<<"${line//'", '/$'"\n'}"
		# shellcheck disable=SC2059 # the format is $match
		if [ "$line" = "$(printf "$match" add "/bin/systemctl --no-block reload-or-restart $u")" ]; then
			add=$((add + 1))
		elif [ "$line" = "$(printf "$match" remove "/bin/systemctl --no-block stop $u")" ]; then
			remove=$((remove + 1))
		else
			echo "unexpected rule: $line"
			bad=1
		fi
	done <"$r"
	[ "$add" -eq 1 ] || { echo "$add rules for ACTION==\"add\" of tcp_kernel running reload-or-restart $u, not 1"; bad=1; }
	[ "$remove" -eq 1 ] || { echo "$remove rules for ACTION==\"remove\" stopping $u, not 1"; bad=1; }
	cmd=/bin/systemctl
	[ -x "$cmd" ] || { echo "$cmd (the rule's RUN) is not on this host"; bad=1; }
	return "$bad"
}

# tree_is <root> <file>...: the files and links under <root> are exactly
# these (paths relative to <root>).
tree_is() {
	local root=$1 have want

	shift
	have=$(cd "$root" && find . ! -type d | sed 's|^\./||' | LC_ALL=C sort)
	want=$(printf '%s\n' "$@" | LC_ALL=C sort)
	[ "$have" = "$want" ] && return
	diff <(echo "$want") <(echo "$have") | sed -n 's/^</missing: /p; s/^>/unexpected: /p'
	return 1
}

# modes_are <mode> <file>...: each file has that mode (octal).
modes_are() {
	local mode=$1 f m bad=0

	shift
	for f in "$@"; do
		m=$(stat -c %a "$f") || { bad=1; continue; }
		[ "$m" = "$mode" ] || { echo "$f: mode $m, not $mode"; bad=1; }
	done
	return "$bad"
}

# unit_verifies <root> <unit file>: systemd-analyze verify, its commands
# and man pages looked up in <root> (where make install DESTDIR= put
# them), finds nothing to say.
unit_verifies() {
	local root=$1 u=$2 d=$tmp/verify out

	mkdir -p "$d"
	sed "s|=$sbindir/|=$root$sbindir/|" "$u" >"$d/${u##*/}"
	out=$(MANPATH=$root/usr/local/share/man systemd-analyze verify "$d/${u##*/}" 2>&1) &&
		[ -z "$out" ] && return
	echo "${out:-systemd-analyze verify failed}"
	return 1
}

# host_snapshot: what the host has at the documented install paths.
host_snapshot() {
	local f

	for f in "$sbindir"/tcp-policy "$sbindir"/tcp-bpf "${bringup[@]}" \
		/usr/local/bin/tcp-replay /usr/local/share/man/man1/tcp-replay.1 \
		/usr/local/share/man/man8/tcp-policy.8 /usr/local/share/man/man8/tcp-bpf.8 "$etcdir"; do
		if [ -e "$f" ]; then
			find "$f" -printf '%p %m %s %T@\n'
		else
			echo "$f absent"
		fi
	done
}

# --- The lifecycle ----------------------------------------------------------
tap_diag "$name $version, kernels: ${kernels[*]}"

tap_check "source staged in $srcdir (dkms-install.sh --stage-only)" \
	"$top/tools/build/dkms-install.sh" --stage-only

tap_check "dkms add $name/$version" dkms add "$name/$version"

declare -A built=()
for k in "${kernels[@]}"; do
	if out=$(dkms build "$name/$version" -k "$k" 2>&1); then
		tap_ok "dkms build -k $k"
		built[$k]=1
	else
		tap_not_ok "dkms build -k $k" "$(grep -E 'Error|error' <<<"$out" || tail -n 5 <<<"$out")"
		make_log_diag "$k"
	fi
done

for k in "${kernels[@]}"; do
	if [ -z "${built[$k]:-}" ]; then
		tap_not_ok "dkms install -k $k" "not built"
	elif out=$(dkms install "$name/$version" -k "$k" 2>&1); then
		tap_ok "dkms install -k $k"
	else
		tap_not_ok "dkms install -k $k" "$(tail -n 20 <<<"$out")"
	fi
done

for k in "${kernels[@]}"; do
	st=$(dkms status "$name/$version" -k "$k" 2>&1 || true)
	if grep -qxF "$name/$version, $k, $arch: installed" <<<"$st"; then
		tap_ok "$k: dkms status says installed"
	else
		tap_not_ok "$k: dkms status says installed" "dkms status: ${st:-(nothing)}"
	fi

	if ko=$(installed_ko "$k"); then
		tap_ok "$k: module installed as $ko"
	else
		tap_not_ok "$k: module installed under /lib/modules/$k/updates/dkms/" \
			"$(ls -la "/lib/modules/$k/updates/dkms/" 2>&1)"
		ko=
	fi

	if [ -z "$ko" ]; then
		tap_not_ok "$k: installed module has .BTF" "no installed module"
	else
		tap_check "$k: installed module has .BTF" has_btf "$ko"
	fi

	# Headers without a BTF vmlinux (6.1): the .BTF must come from the
	# Makefile's post-link step, run by DKMS's own build.
	log=$dkmsdir/$version/$k/$arch/log/make.log
	if [ -e "/lib/modules/$k/build/vmlinux" ]; then
		want='^  BTF \[M\] .*\.ko$'
		what="Kbuild made the BTF inside the DKMS build"
	else
		want='^  BTF \[M\] .*\.ko \(post-link, base '
		what="BTF post-link ran inside the DKMS build"
	fi
	if grep -qE "$want" "$log" 2>/dev/null; then
		tap_ok "$k: $what"
	elif [ -z "${built[$k]:-}" ]; then
		tap_not_ok "$k: $what" "not built"
	else
		tap_not_ok "$k: $what" "no line matching '$want' in $log"
		make_log_diag "$k"
	fi

	if [ -n "$ko" ]; then
		v=$(modinfo -F version "$ko" 2>&1 || true)
		if [ "$v" = "$version" ]; then
			tap_ok "$k: modinfo version is $version"
		else
			tap_not_ok "$k: modinfo version is $version" "modinfo -F version: $v"
		fi
		vm=$(modinfo -F vermagic "$ko" 2>&1 || true)
		if [[ $vm == "$k "* ]]; then
			tap_ok "$k: modinfo vermagic is $k"
		else
			tap_not_ok "$k: modinfo vermagic is $k" "modinfo -F vermagic: $vm"
		fi
	else
		tap_not_ok "$k: modinfo version is $version" "no installed module"
		tap_not_ok "$k: modinfo vermagic is $k" "no installed module"
	fi
done

# The bring-up files of dkms.conf's POST_INSTALL (tools/bringup/dkms-hook).
tap_check "dkms install put tcp-kernel-up, the unit, the udev rule, the packs and rule files in place" \
	bringup_present
tap_check "the unit runs $sbindir/tcp-kernel-up" unit_execs "$unit" "$sbindir"
tap_check "the udev rule is the source's" cmp "$top/tools/bringup/90-tcp-kernel.rules" "$rule"

# POST_REMOVE of one kernel while another still has the module: they stay.
if [ ${#kernels[@]} -ge 2 ]; then
	k=${kernels[0]}
	tap_check "dkms uninstall -k $k (not the last kernel with the module)" \
		dkms uninstall "$name/$version" -k "$k"
	tap_check "the bring-up files stay while another kernel has the module (${kernels[*]:1})" \
		bringup_present
fi

tap_check "dkms remove $name/$version --all" dkms remove "$name/$version" --all
tap_check "dkms remove of the last kernel removed the bring-up files (POST_REMOVE)" bringup_absent

for k in "${kernels[@]}"; do
	left=$(find "/lib/modules/$k" -name "$name.ko*" 2>/dev/null)
	if [ -z "$left" ]; then
		tap_ok "$k: no $name module file left"
	else
		tap_not_ok "$k: no $name module file left" "$left"
	fi
	if grep -q "/$name\.ko" "/lib/modules/$k/modules.dep"; then
		tap_not_ok "$k: $name gone from modules.dep" \
			"$(grep "/$name\.ko" "/lib/modules/$k/modules.dep")"
	else
		tap_ok "$k: $name gone from modules.dep"
	fi
done

if [ -e "$dkmsdir" ]; then
	tap_not_ok "nothing left in $dkmsdir" "$(find "$dkmsdir" | head -n 20)"
else
	tap_ok "nothing left in $dkmsdir"
fi

# --- make install DESTDIR= ----------------------------------------------------
# The tools' install (tools/Makefile, what the README and the admin guide
# document), into a staging root: every documented file, where
# documented, and nothing else; the host untouched.  (The top Makefile's
# install adds the module, built in the tree, to INSTALL_MOD_PATH=DESTDIR.)
root=$tmp/root
before=$(host_snapshot)
if out=$(make -s -C "$top/tools" 2>&1); then
	tap_ok "the tools build (make -C tools)"
else
	tap_not_ok "the tools build (make -C tools)" "$(tail -n 20 <<<"$out")"
fi
tap_check "make -C tools install DESTDIR=$root" make -s -C "$top/tools" install DESTDIR="$root"
# tcp-replay is a user's tool (offline replay of traces): bin and man1.
want=(usr/local/sbin/tcp-policy usr/local/sbin/tcp-bpf usr/local/sbin/tcp-kernel-up
	usr/local/bin/tcp-replay
	usr/local/share/man/man8/tcp-policy.8 usr/local/share/man/man8/tcp-bpf.8
	usr/local/share/man/man1/tcp-replay.1
	"${unit#/}" "${rule#/}")
for f in "${packs[@]}" "${rulefiles[@]}"; do want+=("${etcdir#/}/$f"); done
tap_check "it installed the tools, tcp-kernel-up, the man pages, the unit, the udev rule, packs and rule files, and nothing else" \
	tree_is "$root" "${want[@]}"
progs=() others=()
for f in "${want[@]}"; do
	case $f in
	"${sbindir#/}"/* | usr/local/bin/*) progs+=("$root/$f") ;;
	*) others+=("$root/$f") ;;
	esac
done
install_modes() {
	local bad=0

	modes_are 755 "${progs[@]}" || bad=1
	modes_are 644 "${others[@]}" || bad=1
	return "$bad"
}
tap_check "programs are 0755, the other files 0644" install_modes
same=1
for f in tcp-policy/tcp-policy tcp-bpf/tcp-bpf bringup/tcp-kernel-up; do
	cmp -s "$top/tools/$f" "$root$sbindir/${f##*/}" || same=0
done
cmp -s "$top/tools/tcp-replay/tcp-replay" "$root/usr/local/bin/tcp-replay" || same=0
if ((same)); then
	tap_ok "the installed programs are the built ones"
else
	tap_not_ok "the installed programs are the built ones" "differs from $top/tools"
fi
tap_check "the installed unit runs $sbindir/tcp-kernel-up" unit_execs "$root$unit" "$sbindir"
if command -v systemd-analyze >/dev/null 2>&1; then
	tap_check "systemd-analyze verify of the unit (commands and man pages in DESTDIR) is silent" \
		unit_verifies "$root" "$root$unit"
else
	tap_skip "systemd-analyze verify of the unit" "no systemd-analyze"
fi
tap_check "the udev rule matches the module's add (reload-or-restart) and remove (stop), and nothing else" \
	rule_matches "$root$rule" "${unit##*/}"

# A rule file the administrator changed is kept, the default beside it.
changed=$root$etcdir/${rulefiles[0]}
echo "# changed by the administrator" >>"$changed"
cp "$changed" "$tmp/changed"
if out=$(make -s -C "$top/tools" install DESTDIR="$root" 2>&1) &&
	grep -qF "KEEP $changed (modified)" <<<"$out" && cmp -s "$tmp/changed" "$changed" &&
	cmp -s "$top/tools/policy/${rulefiles[0]}" "$changed.new"; then
	tap_ok "a second install keeps a changed rule file and puts the default beside it (.new)"
else
	tap_not_ok "a second install keeps a changed rule file and puts the default beside it (.new)" "$out"
fi
tap_check "make -C tools uninstall DESTDIR=$root" make -s -C "$top/tools" uninstall DESTDIR="$root"
tap_check "... leaves only the changed rule file" tree_is "$root" "${changed#"$root"/}"

after=$(host_snapshot)
if [ "$before" = "$after" ]; then
	tap_ok "make install and uninstall DESTDIR= did not touch the host's $sbindir, /lib, /etc"
else
	tap_not_ok "make install and uninstall DESTDIR= did not touch the host" \
		"$(diff <(echo "$before") <(echo "$after"))"
fi

rm -rf "$srcdir"
# depmod ran again on removal: its indexes should be what they were (they
# are put back regardless).
for k in "${kernels[@]}"; do
	for f in "$state/$k"/modules.*; do
		cmp -s "$f" "/lib/modules/$k/${f##*/}" ||
			tap_diag "/lib/modules/$k/${f##*/} differs after dkms remove; restored"
	done
done
leave_as_found
left=
for f in "$srcdir" "$dkmsdir" $(cat "$state/absent-dirs" "$state/absent-keys"); do
	if [ -e "$f" ]; then left+=" $f"; fi
done
for f in "${bringup[@]}" "$etcdir"; do
	if grep -qxF "${f#/}" "$state/bringup-found"; then
		[ -e "$f" ] || left+=" (missing: $f, which was there)"
	elif [ -e "$f" ]; then
		left+=" $f"
	fi
done
if [ -z "$left" ]; then
	tap_ok "machine left as found (no $srcdir, $dkmsdir, updates/dkms, new signing key; bring-up files as they were)"
else
	tap_not_ok "machine left as found" "still there:$left"
fi

tap_diag "wall time: $((SECONDS - start)) s"
tap_done
