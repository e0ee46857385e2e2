# SPDX-License-Identifier: ISC
# evbd - IEEE 802.1Qbg-2012 EVB daemon.  Plain GNU make; `make help` lists targets.
#
# Sources are found by wildcard: a new vdp/*.c joins libvdp.a, a new
# tests/unit/test_*.c becomes a cmocka test binary, a new tests/fuzz/fuzz_*.c
# a libFuzzer target.

CC        ?= cc
FUZZ_CC   ?= clang
# Installation directories, GNU style (PREFIX or prefix; DESTDIR for staging).
# sysconfdir and localstatedir stay /etc and /var whatever the prefix: evbd
# reads its configuration and keeps its state where evbd.conf(5) says.
PREFIX        ?= /usr/local
prefix        ?= $(PREFIX)
exec_prefix   ?= $(prefix)
bindir        ?= $(exec_prefix)/bin
sbindir       ?= $(exec_prefix)/sbin
libdir        ?= $(exec_prefix)/lib
datarootdir   ?= $(prefix)/share
datadir       ?= $(datarootdir)
mandir        ?= $(datarootdir)/man
sysconfdir    ?= /etc
localstatedir ?= /var
MIBDIR        ?= $(datadir)/snmp/mibs
# systemd's unit folder: /lib/systemd/system for prefix /usr (Debian 12),
# else under the prefix (systemd also reads /usr/local/lib/systemd/system).
systemdsystemunitdir ?= $(if $(filter /usr,$(prefix)),/lib/systemd/system,$(prefix)/lib/systemd/system)
bashcompletiondir    ?= $(datarootdir)/bash-completion/completions
DESTDIR       ?=
# The one version (scripts/version.sh: the git tag, else the VERSION file).
VERSION       := $(shell sh scripts/version.sh)
ifeq ($(VERSION),)
$(error scripts/version.sh printed no version: tag the release (vX.Y.Z) or write it in the VERSION file)
endif
# SAN=1: AddressSanitizer + UndefinedBehaviorSanitizer build of evbd, evbctl,
# the plugins, the tools and the unit tests, into build-san/ (see san-check).
SAN       ?= 0
SAN_FLAGS  = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
ifeq ($(SAN),1)
BUILD     ?= build-san
endif
BUILD     ?= build
CFLAGS    ?= -O2 -g
ifeq ($(SAN),1)
override CFLAGS += $(SAN_FLAGS)
endif
WERROR    ?= -Werror
FUZZ_SECS ?= 5
FUZZ_LONG ?= 600

STD_FLAGS  = -std=c11 -D_GNU_SOURCE -Wall -Wextra $(WERROR) -Wshadow -Wstrict-prototypes \
             -Wmissing-prototypes -Wno-missing-field-initializers -fno-strict-aliasing -MMD -MP
ALL_CFLAGS = $(STD_FLAGS) $(CPPFLAGS) $(CFLAGS) -I. $(EXTRA_CFLAGS)
# Links: the caller's CFLAGS and LDFLAGS (Debian's hardening flags) come along.
ALL_LDFLAGS = $(CFLAGS) $(LDFLAGS)

PKGS_CLI   = libpcap jansson libmnl
PKGS_EVBD  = libevent libpcap libmnl sqlite3 inih libcap-ng libseccomp libcurl jansson
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS_CLI) $(PKGS_EVBD) 2>/dev/null)
LIBS_CLI   = $(shell pkg-config --libs $(PKGS_CLI) 2>/dev/null || echo -lpcap -ljansson -lmnl)
LIBS_EVBD  = $(shell pkg-config --libs $(PKGS_EVBD) 2>/dev/null || echo -levent -lpcap -lmnl -lsqlite3 -linih -lcap-ng -lseccomp -lcurl -ljansson)
LIBS_TEST  = $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

VDP_SRC    = $(wildcard vdp/*.c)
VDP_OBJ    = $(VDP_SRC:%.c=$(BUILD)/obj/%.o)
LIBVDP     = $(BUILD)/libvdp.a

MIB_SRC    = $(wildcard mib/*.c)
MIB_OBJ    = $(MIB_SRC:%.c=$(BUILD)/obj/%.o)
LIBMIB     = $(BUILD)/libmib.a

# The control protocol's codec (ipc/), linked by evbd, evbctl, tests and fuzzers.
IPC_SRC    = $(wildcard ipc/*.c)
IPC_OBJ    = $(IPC_SRC:%.c=$(BUILD)/obj/%.o)
LIBIPC     = $(BUILD)/libipc.a

CLI_SRC    = $(wildcard cli/*.c)
CLI_OBJ    = $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
EVBCTL     = $(BUILD)/evbctl

EVBD_SRC   = $(filter-out evbd/main.c,$(wildcard evbd/*.c))
EVBD_OBJ   = $(EVBD_SRC:%.c=$(BUILD)/obj/%.o)
LIBEVBD    = $(BUILD)/libevbd.a
EVBD       = $(BUILD)/evbd

# tests/unit/test_evbd_*.c test daemon modules (libevbd.a); the others libvdp.a only.
UNIT_SRC   = $(wildcard tests/unit/test_*.c)
UNIT_BIN   = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

FUZZ_SRC   = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN   = $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)
FUZZ_FLAGS = -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
             -fno-sanitize-recover=undefined -I.

.PHONY: all deps check unit fuzz fuzz-smoke fuzz-build integration vm-check interop bench soak demo install clean help format
.PHONY: check-includes check-format san san-check

all: $(LIBVDP) $(LIBMIB) $(EVBCTL) $(EVBD)

help:
	@echo "make            build libvdp.a, evbd, evbctl and the plugins into $(BUILD)/"
	@echo "make check      install missing build dependencies, build, run unit tests, fuzz smoke, integration and interop tests"
	@echo "make fuzz       run every fuzz target for FUZZ_LONG=$(FUZZ_LONG) seconds"
	@echo "make interop    the lldpad interoperability suite (part of check)"
	@echo "make vm-check   test_linux_bridge.sh, test_enforce.sh in a VM booting Debian's kernel (VLAN filtering; part of check)"
	@echo "                and tests/vm/test_schan.sh there (the S-channels' 802.1ad devices)"
	@echo "make demo       two namespaces, a bridge and a station evbd, a few VSIs"
	@echo "make bench      benchmarks; print figures"
	@echo "make soak       SOAK_SECS=$(SOAK_SECS) s of VSI churn, restarts and link flaps; fails on a lost VSI or growth"
	@echo "make install    install binaries, plugins, man pages, MIB, unit, completion, example config"
	@echo "                under PREFIX=$(PREFIX) (DESTDIR, sbindir, libdir, ... as GNU); make uninstall"
	@echo "make version    print the version (scripts/version.sh: git tag v*, else VERSION)"
	@echo "make install-check   make install PREFIX=/usr into a DESTDIR, checked, and make uninstall (part of check)"
	@echo "make deb        Debian packages evbd and evbd-snmp into build/deb (lintian-checked)"
	@echo "make pkg-check  those packages installed, run and purged in a fresh Debian 12 root (root; CI)"
	@echo "make demo-check make demo in a fresh clone, its output checked (CI)"
	@echo "make format     clang-format every C file"
	@echo "make check-format    clang-format --dry-run -Werror on every tracked C file (part of check)"
	@echo "make check-includes  which folder may include which, no evbd/ import cycle (part of check);"
	@echo "                     scripts/check-includes.sh --graph prints the include matrix"
	@echo "make SAN=1 / san     build with ASan + UBSan into build-san/"
	@echo "make san-check  unit and integration tests (but SAN_SKIP) under the sanitizers (part of check)"

deps:
	@scripts/deps.sh

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

$(LIBVDP): $(VDP_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(LIBMIB): $(MIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(LIBIPC): $(IPC_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(EVBCTL): $(CLI_OBJ) $(LIBIPC) $(LIBMIB) $(LIBVDP)
	$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(LIBIPC) $(LIBMIB) $(LIBVDP) $(LIBS_CLI)

$(LIBEVBD): $(EVBD_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(EVBD): $(BUILD)/obj/evbd/main.o $(LIBEVBD) $(LIBIPC) $(LIBMIB) $(LIBVDP)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS_EVBD)

$(BUILD)/tests/test_evbd_%: tests/unit/test_evbd_%.c $(LIBEVBD) $(LIBIPC) $(LIBMIB) $(LIBVDP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) -Wno-missing-prototypes -o $@ $< $(LIBEVBD) $(LIBIPC) $(LIBMIB) \
		$(LIBVDP) $(LIBS_EVBD) $(LIBS_TEST)

# tests/unit/test_ipc_*.c and tests/fuzz/fuzz_ipc_*.c: the codec alone.
$(BUILD)/tests/test_ipc_%: tests/unit/test_ipc_%.c $(LIBIPC) $(LIBMIB) $(LIBVDP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -o $@ $< $(LIBIPC) $(LIBMIB) $(LIBVDP) -lmnl $(LIBS_TEST)

$(BUILD)/fuzz/fuzz_ipc_%: tests/fuzz/fuzz_ipc_%.c $(IPC_SRC) $(VDP_SRC) $(wildcard ipc/*.h vdp/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(IPC_SRC) $(VDP_SRC) -lmnl

$(BUILD)/tests/%: tests/unit/%.c $(LIBMIB) $(LIBVDP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -o $@ $< $(LIBMIB) $(LIBVDP) $(LIBS_TEST)

unit: $(UNIT_BIN)
	@fail=0; for t in $(UNIT_BIN); do \
		echo "== $$t"; $$t || fail=1; \
	done; exit $$fail

$(BUILD)/fuzz/%: tests/fuzz/%.c $(VDP_SRC) $(wildcard vdp/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(VDP_SRC)

# fuzz_cli_* targets also link evbctl's decoder modules.
CLI_FUZZ_SRC = cli/decode.c cli/writer.c cli/frame_input.c cli/mgrid.c
$(BUILD)/fuzz/fuzz_cli_%: tests/fuzz/fuzz_cli_%.c $(VDP_SRC) $(CLI_FUZZ_SRC) $(wildcard vdp/*.h cli/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(VDP_SRC) $(CLI_FUZZ_SRC) $(LIBS_CLI)

# fuzz_evbd_* targets link the daemon as libevbd.a holds it (with vdp/ and
# mib/ and ipc/), compiled with the fuzzing flags into $(BUILD)/fuzzobj/, and load the
# test plugin probe.so.
FUZZ_OBJ_FLAGS = $(subst -fsanitize=fuzzer,-fsanitize=fuzzer-no-link,$(FUZZ_FLAGS)) -MMD -MP
FUZZ_EVBD_OBJ  = $(patsubst %.c,$(BUILD)/fuzzobj/%.o,$(EVBD_SRC) $(VDP_SRC) $(MIB_SRC) $(IPC_SRC))
$(FUZZ_EVBD_OBJ): $(BUILD)/fuzzobj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_OBJ_FLAGS) $(PKG_CFLAGS) $(EXTRA_CFLAGS) -c -o $@ $<

$(BUILD)/fuzz/fuzz_evbd_%: tests/fuzz/fuzz_evbd_%.c $(FUZZ_EVBD_OBJ) $(BUILD)/tests/plugins/probe.so
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -MMD -MP $(PKG_CFLAGS) \
		-DFUZZ_PLUGIN_DIR='"$(abspath $(BUILD)/tests/plugins)"' -o $@ $< $(FUZZ_EVBD_OBJ) \
		$(LIBS_EVBD)

fuzz-build: $(FUZZ_BIN)

# Smoke: each target for FUZZ_SECS seconds from its seed corpus (tests/vectors).
fuzz-smoke: $(FUZZ_BIN)
	@tests/fuzz/run.sh $(FUZZ_SECS) $(FUZZ_BIN)

fuzz: $(FUZZ_BIN)
	@tests/fuzz/run.sh $(FUZZ_LONG) $(FUZZ_BIN)

TOOLS      = $(BUILD)/tools/impair $(BUILD)/tools/dumpflood $(BUILD)/tools/inject $(BUILD)/tools/flood

$(BUILD)/tools/%: tests/integration/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -o $@ $<

integration: all $(TOOLS)
	@tests/integration/run.sh

# test_linux_bridge.sh and test_enforce.sh again in a VM booting Debian's kernel, whose bridges
# filter VLANs (some host kernels cannot): tests/vm/.
vm-check: all $(TOOLS)
	@sh tests/vm/vlan-check.sh
	@sh tests/vm/schan-check.sh

# Interoperability with lldpad (Debian package, installed by scripts/deps.sh).
interop: all
	@EVBD_T_RETRY=1 tests/integration/run.sh tests/interop

check: deps
	@$(MAKE) --no-print-directory check-includes
	@$(MAKE) --no-print-directory check-format
	@$(MAKE) --no-print-directory check-refs
	@$(MAKE) --no-print-directory check-license
	@$(MAKE) --no-print-directory install-check
	@$(MAKE) --no-print-directory all $(UNIT_BIN) $(FUZZ_BIN)
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory fuzz-smoke
	@$(MAKE) --no-print-directory integration
	@$(MAKE) --no-print-directory vm-check
	@$(MAKE) --no-print-directory interop
	@$(MAKE) --no-print-directory san-check

# The include rules (scripts/check-includes.sh says them), after the script's
# own test on fake trees.
check-includes:
	@out=$$(sh tests/scripts/test_check_includes.sh 2>&1) || \
		{ echo "$$out"; echo "tests/scripts/test_check_includes.sh failed."; exit 1; }; \
		echo "test_check_includes: $$(echo "$$out" | tail -1)"
	@scripts/check-includes.sh

check-format:
	@command -v clang-format >/dev/null || \
		{ echo "check-format: clang-format is not installed; run make deps."; exit 1; }
	@files=$$(git ls-files '*.c' '*.h'); \
		clang-format --dry-run -Werror $$files || \
		{ echo "check-format: the files above are not formatted as .clang-format says; run make format."; exit 1; }; \
		echo "check-format: $$(echo $$files | wc -w) files formatted as .clang-format says."

bench: all
	@tests/bench/run.sh

SOAK_SECS ?= 180
soak: all
	@SOAK_SECS=$(SOAK_SECS) tests/bench/soak.sh

# On a bare Debian 12 machine as root: installs what it needs first.
demo:
	@scripts/deps.sh demo
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh

# make demo from a fresh clone of this repository's HEAD in a temporary
# folder, its output checked line by line (tests/scripts/test_demo_clone.sh).
demo-check:
	@scripts/deps.sh demo
	@sh tests/scripts/test_demo_clone.sh
.PHONY: demo-check

# ---------------- install ----------------
# GNU conventions: PREFIX (or prefix), exec_prefix, sbindir, libdir, datadir,
# mandir, sysconfdir, DESTDIR (see the top).  The man pages get the version
# in their .TH line (the sources say just "evbd"), the unit the sbindir evbd
# is in; an existing
# $(sysconfdir)/evbd.conf is never overwritten.
MAN8 = docs/evbd.8 docs/evbctl.8
MAN5 = docs/evbd.conf.5
install: all
	install -d $(DESTDIR)$(sbindir) $(DESTDIR)$(mandir)/man8 $(DESTDIR)$(mandir)/man5 \
		$(DESTDIR)$(MIBDIR) $(DESTDIR)$(systemdsystemunitdir) $(DESTDIR)$(bashcompletiondir) \
		$(DESTDIR)$(sysconfdir)
	install -m 0755 $(EVBD) $(DESTDIR)$(sbindir)/evbd
	install -m 0755 $(EVBCTL) $(DESTDIR)$(sbindir)/evbctl
	for m in $(MAN8) $(MAN5); do \
		s=$${m##*.}; \
		sed 's/^\(\.TH .*\)"evbd[^"]*"/\1"evbd $(VERSION)"/' $$m > $(DESTDIR)$(mandir)/man$$s/$${m##*/} && \
		chmod 0644 $(DESTDIR)$(mandir)/man$$s/$${m##*/} || exit 1; \
	done
	install -m 0644 mib/IEEE8021-EVB-MIB.txt $(DESTDIR)$(MIBDIR)/
	sed 's|/usr/sbin/|$(sbindir)/|g' dist/evbd.service > $(DESTDIR)$(systemdsystemunitdir)/evbd.service
	chmod 0644 $(DESTDIR)$(systemdsystemunitdir)/evbd.service
	install -m 0644 dist/evbctl.bash-completion $(DESTDIR)$(bashcompletiondir)/evbctl
	@if [ -e $(DESTDIR)$(sysconfdir)/evbd.conf ]; then \
		echo "install: $(DESTDIR)$(sysconfdir)/evbd.conf exists; kept it (the example is dist/evbd.conf)."; \
	else install -m 0644 dist/evbd.conf $(DESTDIR)$(sysconfdir)/evbd.conf; fi

# Removes what install put there; the configuration only if it is still the
# example, the state directory never.
uninstall:
	rm -f $(DESTDIR)$(sbindir)/evbd $(DESTDIR)$(sbindir)/evbctl
	rm -f $(PLUGIN_NAMES:%=$(DESTDIR)$(PLUGINDIR)/%.so)
	-rmdir $(DESTDIR)$(PLUGINDIR) $(DESTDIR)$(dir $(PLUGINDIR)) 2>/dev/null
	rm -f $(MAN8:docs/%=$(DESTDIR)$(mandir)/man8/%) $(MAN5:docs/%=$(DESTDIR)$(mandir)/man5/%)
	rm -f $(DESTDIR)$(MIBDIR)/IEEE8021-EVB-MIB.txt
	rm -f $(DESTDIR)$(systemdsystemunitdir)/evbd.service $(DESTDIR)$(bashcompletiondir)/evbctl
	@if cmp -s dist/evbd.conf $(DESTDIR)$(sysconfdir)/evbd.conf; then \
		rm -f $(DESTDIR)$(sysconfdir)/evbd.conf; \
	elif [ -e $(DESTDIR)$(sysconfdir)/evbd.conf ]; then \
		echo "uninstall: $(DESTDIR)$(sysconfdir)/evbd.conf differs from the example; kept it."; fi
.PHONY: uninstall
# make, then make install PREFIX=/usr into a temporary DESTDIR, checked,
# then make uninstall (tests/scripts/test_install.sh; part of check).
install-check:
	@sh tests/scripts/test_install.sh
.PHONY: install-check
# ---------------- end of install ----------------

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) build-san

# ---------------- plugins (issue 5) ----------------
# plugins/NAME/*.c (or plugins/NAME.c) -> $(BUILD)/plugins/NAME.so, built with
# -fPIC; evbd loads them with dlopen (glibc's libc has it: no -ldl) and gives
# them its operations by pointer (no -rdynamic).  tests/plugins/*.c are test
# plugins for the loader; the libvirt test client is a tool like impair.
PLUGINDIR    ?= $(libdir)/evbd/plugins
PLUGIN_NAMES  = $(patsubst plugins/%/,%,$(sort $(dir $(wildcard plugins/*/*.c)))) \
                $(patsubst plugins/%.c,%,$(wildcard plugins/*.c))
PLUGINS       = $(PLUGIN_NAMES:%=$(BUILD)/plugins/%.so)
TEST_PLUGINS  = $(patsubst tests/plugins/%.c,$(BUILD)/tests/plugins/%.so,$(wildcard tests/plugins/*.c))
LIBS_PLUGIN   = $(shell pkg-config --libs libmnl 2>/dev/null || echo -lmnl)
LNL_SRC       = plugins/lldpad-nl/lnl_msg.c

# config.c compiles in PLUGINDIR; a stamp holding it rebuilds config.o when
# it changes, so `make && make install PREFIX=/usr` installs an evbd that
# looks in /usr/lib/evbd/plugins (see "stamps" below).
$(BUILD)/obj/evbd/config.o: EXTRA_CFLAGS += -DEVBD_PLUGIN_DIR='"$(PLUGINDIR)"'
$(BUILD)/obj/evbd/config.o $(BUILD)/fuzzobj/evbd/config.o: $(BUILD)/stamp/plugindir
# The snmp plugin is an AgentX subagent on net-snmp's agent library.
# Plugins link nothing of evbd's: they include plugins/plugin_api.h only.
$(BUILD)/plugins/snmp.so: LIBS_PLUGIN += -lnetsnmpagent -lnetsnmp

$(BUILD)/pic/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) -fPIC -c -o $@ $<

plugin_objs = $(patsubst %.c,$(BUILD)/pic/%.o,$(wildcard plugins/$(1)/*.c plugins/$(1).c))
# Not intermediate files: make would delete them and re-link every plugin
# on the next run.
.SECONDARY: $(patsubst %.c,$(BUILD)/pic/%.o,$(wildcard plugins/*/*.c plugins/*.c))
.SECONDEXPANSION:
$(BUILD)/plugins/%.so: $$(call plugin_objs,$$*)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -shared -o $@ $^ $(LIBS_PLUGIN)

$(BUILD)/tests/plugins/%.so: tests/plugins/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fPIC -shared -o $@ $<

# lnl_msg.c alone (no libvdp: the plugin API is all it needs).
$(BUILD)/tests/test_lldpad_nl: tests/unit/test_lldpad_nl.c $(LNL_SRC)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -o $@ $< $(LNL_SRC) $(LIBS_PLUGIN) $(LIBS_TEST)

$(BUILD)/fuzz/fuzz_lldpad_nl: tests/fuzz/fuzz_lldpad_nl.c $(LNL_SRC) $(wildcard plugins/lldpad-nl/*.h) plugins/plugin_api.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(LNL_SRC) $(LIBS_PLUGIN)

# The loader's unit test loads the real probe plugin.
$(BUILD)/tests/test_evbd_plugin: $(BUILD)/tests/plugins/probe.so
$(BUILD)/tests/test_evbd_plugin: private EXTRA_CFLAGS += -DTEST_PLUGIN_DIR='"$(CURDIR)/$(BUILD)/tests/plugins"'

all: $(PLUGINS)
integration: $(PLUGINS) $(TEST_PLUGINS) $(BUILD)/tools/lvclient

install-plugins: $(PLUGINS)
	install -d $(DESTDIR)$(PLUGINDIR)
	$(if $(PLUGINS),install -m 0755 $(PLUGINS) $(DESTDIR)$(PLUGINDIR)/)
install: install-plugins

# Real libvirt + QEMU against the lldpad-nl plugin (root; skips without the
# libvirt/qemu/faketime packages, which deps.sh does not install).
libvirt-real: all
	@tests/libvirt/real_libvirt.sh
.PHONY: install-plugins libvirt-real
# ---------------- end of plugins ----------------

# ---------------- sanitizers ----------------
# san-check: the unit tests, then the integration scripts but SAN_SKIP,
# against build-san/ (EVBD_BUILD), with waits three times as long
# (EVBD_T_SLOW).  test_policy.sh is left out: its restart case needs the
# bridge evbd to stop and start again between two keep-alives of the station
# (RKA 15: every 0.33 s; a station gives up after R 3 ECP retries of 2.56 ms),
# and an ASan evbd takes about 0.25 s to exit and start, so the station drops
# some of its VSIs, as the protocol says it must.  Plugins are built with the
# same flags, so dlopen needs no LD_PRELOAD.  The leak checker is on: evbd
# and evbctl free what they own before they exit; tests/san/lsan.supp is for
# leaks that are not ours.  Reports go to build-san/san-logs/ (UBSan writes
# to stderr, a daemon's log that the test deletes: lib.sh copies such logs
# there, EVBD_SAN_LOGS); any report fails the run.
# The volume tests are left out too: test_limits.sh (6,000 VSIs and a
# 20,000-VSI flood), test_durability.sh (15 kill -9 runs of 10,000-VSI bursts)
# and test_port_flood.sh (a million frames) measure time and memory an ASan
# build does not have; their code paths run under ASan in the unit tests
# (test_vdp_port, test_evbd_store) and in the other scripts.
# test_privileges.sh checks the seccomp filter, which a sanitizer build
# leaves out (evbd/sandbox.c); its other checks run in make integration.
SAN_SKIP  = test_policy.sh test_limits.sh test_durability.sh test_port_flood.sh test_privileges.sh
SAN_TESTS = $(filter-out $(SAN_SKIP),$(notdir $(wildcard tests/integration/test_*.sh)))
SAN_LOGS  = $(abspath $(BUILD))/san-logs
SAN_ENV   = ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0:log_path=$(SAN_LOGS)/asan \
            LSAN_OPTIONS=suppressions=$(abspath tests/san/lsan.supp):print_suppressions=0 \
            UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$(SAN_LOGS)/ubsan

ifeq ($(SAN),1)
# evbd holds net-snmp's libraries for its whole life, so that unloading
# snmp.so at exit does not unmap them and turn what their globals still
# point to into false leak reports; net-snmp's own leaks are suppressed.
$(EVBD): LIBS_EVBD += -Wl,--no-as-needed -lnetsnmpagent -lnetsnmp -Wl,--as-needed

san: all $(UNIT_BIN) $(TOOLS) $(PLUGINS) $(TEST_PLUGINS) $(BUILD)/tools/lvclient

san-check: san
	@rm -rf $(SAN_LOGS) && mkdir -p $(SAN_LOGS)
	@fail=0; for t in $(UNIT_BIN); do \
		echo "== $$t"; $(SAN_ENV) $$t || fail=1; \
	done; \
	$(SAN_ENV) EVBD_BUILD=$(BUILD) EVBD_SAN_LOGS=$(SAN_LOGS) EVBD_T_SLOW=3 tests/integration/run.sh $(SAN_TESTS:%=tests/integration/%) || fail=1; \
	if [ -n "$$(ls $(SAN_LOGS))" ]; then \
		for f in $(SAN_LOGS)/*; do echo "== sanitizer report $$f"; cat "$$f"; done; \
		echo "san-check: the sanitizers reported $$(ls $(SAN_LOGS) | wc -l) error(s), kept in $(SAN_LOGS)."; \
		fail=1; \
	else echo "san-check: no sanitizer report."; fi; \
	exit $$fail
else
san san-check:
	@$(MAKE) --no-print-directory SAN=1 $@
endif
# ---------------- end of sanitizers ----------------

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# ---------------- stamps ----------------
# A value compiled in (the version, PLUGINDIR) is written to a stamp file
# only when it differs from the one there; the objects that compile it in
# depend on the stamp, so they are rebuilt exactly when the value changes.
stamp_write = @mkdir -p $(dir $@); echo '$(1)' | cmp -s - $@ 2>/dev/null || echo '$(1)' > $@
$(BUILD)/stamp/version: FORCE
	$(call stamp_write,$(VERSION))
$(BUILD)/stamp/plugindir: FORCE
	$(call stamp_write,$(PLUGINDIR))
FORCE:
.PHONY: FORCE
# Every object that uses EVBD_VERSION (ipc/schema.h does not define it).
VERSION_OBJS = $(BUILD)/obj/evbd/main.o $(BUILD)/obj/evbd/ipc_admin.o $(BUILD)/obj/cli/evbctl.o \
               $(BUILD)/fuzzobj/evbd/ipc_admin.o $(BUILD)/tests/test_evbd_ipc
$(VERSION_OBJS): private EXTRA_CFLAGS += -DEVBD_VERSION='"$(VERSION)"'
$(VERSION_OBJS): $(BUILD)/stamp/version
$(BUILD)/fuzzobj/evbd/config.o: private EXTRA_CFLAGS += -DEVBD_PLUGIN_DIR='"$(PLUGINDIR)"'
version:
	@echo $(VERSION)
.PHONY: version
# ---------------- end of stamps ----------------

# ---------------- references ----------------
# Every reference resolves inside a clone: no citation of documents the clone
# lacks outside docs/, no README/docs link to a missing file or heading.
check-refs:
	@sh scripts/check-refs.sh
.PHONY: check-refs
# Every tracked source file carries SPDX-License-Identifier: ISC (LICENSE).
check-license:
	@sh scripts/check-license.sh
.PHONY: check-license
# ---------------- end of references ----------------

# ---------------- service (issue 13) ----------------
# evbd tells systemd when it is ready, reloading or stopping (evbd/notify.c).
LIBS_EVBD += $(shell pkg-config --libs libsystemd 2>/dev/null || echo -lsystemd)
# tests/integration/test_service.sh's notify listener.
integration san: $(BUILD)/tools/udgram
# dist/evbd.service: systemd-analyze verify and security, and its agreement
# with evbd (tests/service/test_unit.sh).
service-check: $(EVBD)
	@sh tests/service/test_unit.sh
check: service-check
.PHONY: service-check

# evbctl's output writer alone; its JSON is checked against jansson's dump.
$(BUILD)/tests/test_writer: tests/unit/test_writer.c cli/writer.c cli/writer.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -o $@ $< cli/writer.c -ljansson $(LIBS_TEST)

# evbctl config from-lldpad: the reader of lldpad's file and the translation,
# alone (no evbd, no socket), tested and fuzzed on the real lldpad's files.
LLDPAD_CONF_SRC = cli/lldpad_conf.c cli/from_lldpad.c
$(BUILD)/tests/test_lldpad_conf: tests/unit/test_lldpad_conf.c $(LLDPAD_CONF_SRC) cli/lldpad_conf.h cli/from_lldpad.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -DVECTOR_DIR='"$(CURDIR)/tests/vectors/lldpad-conf"' \
		-o $@ $< $(LLDPAD_CONF_SRC) $(LIBS_TEST)
$(BUILD)/fuzz/fuzz_lldpad_conf: tests/fuzz/fuzz_lldpad_conf.c $(LLDPAD_CONF_SRC) cli/lldpad_conf.h cli/from_lldpad.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(LLDPAD_CONF_SRC)
# ---------------- end of service ----------------

# ---------------- packaging ----------------
# make deb: evbd_VERSION_ARCH.deb and evbd-snmp_VERSION_ARCH.deb (debian/)
# built in DEB_DIR from a copy of the tracked files, then lintian;
# make pkg-check: those packages installed, run and purged in a fresh
# Debian 12 root (debootstrap; tests/pkg/pkg_check.sh; long, not in check).
DEB_DIR ?= build/deb
deb:
	@scripts/deps.sh pkg
	@sh scripts/mkdeb.sh $(DEB_DIR)
pkg-check: deb
	@sh tests/pkg/pkg_check.sh $(DEB_DIR)
.PHONY: deb pkg-check
# ---------------- end of packaging ----------------

# ---------------- lldpad-clif plugin (issue 17) ----------------
# clif_msg.c alone for the fuzz target; the test client links Debian's
# liblldp_clif (lldpad-dev) as lldpad's own clients do.
CLIF_SRC = plugins/lldpad-clif/clif_msg.c plugins/lldpad-clif/clif_evb.c
$(BUILD)/fuzz/fuzz_lldpad_clif: tests/fuzz/fuzz_lldpad_clif.c $(CLIF_SRC) $(wildcard plugins/lldpad-clif/*.h) plugins/plugin_api.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(CLIF_SRC)

$(BUILD)/tools/clifclient: tests/integration/clifclient.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -o $@ $< -llldp_clif

integration san: $(BUILD)/tools/clifclient
interop: $(BUILD)/tools/clifclient
