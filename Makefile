# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - the targets people expect.  Kbuild (the file) describes the
# module; this file drives it and the rest of the product.
#
#   make                      module and tools, against the running kernel
#   make KVER=<release>       module against /lib/modules/<release>/build
#   make KDIR=<build tree>    module against any configured kernel tree
#   make demo                 boot stock 6.12 in QEMU and show the module
#   make bench                the module's cost per system call and its
#                             memory, in stock 6.12 under QEMU: writes
#                             build/bench/bench.md and bench.png
#   make check                the whole test suite (installs what it needs)
#   make install [DESTDIR=]   module (modules_install, depmod), tools and
#                             bring-up files (tools/Makefile install)

include tools/testing/kernels.conf

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
BTF_POSTLINK := tools/build/btf-postlink.sh

.PHONY: all module tools clean clean-module check demo bench style coccicheck \
	dkms-install install

all: module tools

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules
	$(BTF_POSTLINK) $(CURDIR)/tcp_kernel.ko $(KDIR) $(KVER)

tools:
	$(MAKE) -C tools

clean-module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean

clean: clean-module
	$(MAKE) -C tools clean
	rm -rf build

check:
	tools/testing/check.sh

demo:
	tools/testing/demo.sh

bench:
	tools/testing/bench.sh

style:
	tools/testing/static-checks.sh

dkms-install:
	tools/build/dkms-install.sh

# DESTDIR stages everything under it (the module as INSTALL_MOD_PATH);
# depmod then is the package's business, not this host's.
install: module tools
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install INSTALL_MOD_PATH=$(DESTDIR)
	$(if $(DESTDIR),,depmod -a $(KVER))
	$(MAKE) -C tools install
