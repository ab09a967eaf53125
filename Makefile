# SPDX-License-Identifier: LGPL-2.1-or-later
# cpuscope — build, test, bench and install.
# Targets: all deps run test check bench maps install screenshots fuzz analyze format clean

BUILD   ?= build
PREFIX  ?= /usr/local
CC      ?= cc
CFLAGS  ?= -O2 -g
LDFLAGS ?=

# pkg-config packages per layer: the core library, the explorer, the
# unit tests.  Adding a package to a layer is one word here (and its
# Debian package in scripts/deps.sh).
CORE_PKGS := libxml-2.0 yaml-0.1 json-c libvirt
# Linked at build time: all but libvirt, whose client library is loaded
# when a connection is first opened (src/core/libvirt_lib.c).
CORE_LINK_PKGS := libxml-2.0 yaml-0.1 json-c
TUI_PKGS  := ncursesw
TEST_PKGS := cmocka

CSTD := -std=c11 -D_GNU_SOURCE
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
        -Wwrite-strings -Wpointer-arith -Wvla -Wundef -Wimplicit-fallthrough

# Package flags are deferred: pkg-config runs when a recipe first needs a
# flag (then the value is kept), never while this file is read, so that
# the deps target can install the packages before a sub-make compiles.
pkgconfig = $(shell pkg-config $(1) $(2))
CORE_CFLAGS = $(eval CORE_CFLAGS := $(call pkgconfig,--cflags,$(CORE_PKGS)))$(CORE_CFLAGS)
CORE_LIBS   = $(eval CORE_LIBS := $(call pkgconfig,--libs,$(CORE_LINK_PKGS)) -ldl)$(CORE_LIBS)
TUI_CFLAGS  = $(eval TUI_CFLAGS := $(call pkgconfig,--cflags,$(TUI_PKGS)))$(TUI_CFLAGS)
TUI_LIBS    = $(eval TUI_LIBS := $(call pkgconfig,--libs,$(TUI_PKGS)))$(TUI_LIBS)
TEST_CFLAGS = $(eval TEST_CFLAGS := $(call pkgconfig,--cflags,$(TEST_PKGS)))$(TEST_CFLAGS)
TEST_LIBS   = $(eval TEST_LIBS := $(call pkgconfig,--libs,$(TEST_PKGS)))$(TEST_LIBS)

# Each layer compiles with its own packages' flags only (LAYER_CFLAGS, set
# per object below): the core sees libxml2 and libyaml, the explorer
# ncursesw, the tests cmocka; the command line needs none.
BASE_CFLAGS = $(CSTD) $(WARN) -Iinclude -Isrc
ALL_CFLAGS  = $(BASE_CFLAGS) $(LAYER_CFLAGS) $(CFLAGS)

CORE_SRC  := $(sort $(wildcard src/core/*.c))
TUI_SRC   := $(sort $(wildcard src/tui/*.c))
CLI_SRC   := $(sort $(wildcard src/cli/*.c))
TEST_SRC  := $(sort $(wildcard tests/unit/test_*.c))
BENCH_SRC := $(sort $(wildcard bench/*.c))

CORE_OBJ  := $(CORE_SRC:%.c=$(BUILD)/%.o)
TUI_OBJ   := $(TUI_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ   := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_OBJ  := $(TEST_SRC:%.c=$(BUILD)/%.o)
TEST_BIN  := $(TEST_SRC:tests/unit/%.c=$(BUILD)/t/%)
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/benchbin/%)

LIB     := $(BUILD)/libcpuscope.a
TUILIB  := $(BUILD)/libcpuscope-tui.a
BIN     := $(BUILD)/cpuscope
# The CPU generator of the differential tests (tests/cli/lib.sh finds it
# next to the binary under test).
GEN     := $(BUILD)/gen_cpus
# The bench scripts' clock: a command's wall time, with no shell counted.
WALLTIME := $(BUILD)/walltime
GEN_OBJ := $(BUILD)/tests/data/guest/gen_cpus.o

.PHONY: all build deps run test test-run check check-run unit scripts-test bench maps install screenshots \
        analyze format format-check clean
.DEFAULT_GOAL := all
.SECONDARY:

$(CORE_OBJ) $(GEN_OBJ): LAYER_CFLAGS = $(CORE_CFLAGS)
# The command line formats JSON with json-c, like the core.
$(CLI_OBJ): LAYER_CFLAGS = $(call pkgconfig,--cflags,json-c)
$(TUI_OBJ) $(BUILD)/bench/bench_tui.o: LAYER_CFLAGS = $(TUI_CFLAGS) -pthread
$(filter-out $(BUILD)/tests/unit/test_tui_%,$(TEST_OBJ)): LAYER_CFLAGS = $(TEST_CFLAGS)
$(filter $(BUILD)/tests/unit/test_tui_%,$(TEST_OBJ)): LAYER_CFLAGS = $(TEST_CFLAGS) $(TUI_CFLAGS)
# a core module tested against libxml2 itself
$(BUILD)/tests/unit/test_saxtree.o: LAYER_CFLAGS = $(TEST_CFLAGS) $(CORE_CFLAGS)

# The build dependencies (scripts/deps.sh installs what pkg-config or tmux
# lacks).  all, run, test, check and analyze run it first, then build in a
# sub-make, whose package flags are read once the packages are there.
deps:
	@pkg-config --exists $(CORE_PKGS) $(TUI_PKGS) $(TEST_PKGS) 2>/dev/null && \
		command -v tmux >/dev/null || scripts/deps.sh

all: deps
	@$(MAKE) --no-print-directory build

build: $(BIN)

V ?= 0
ifeq ($(V),0)
Q := @
endif

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(CORE_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(TUILIB): $(TUI_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(TUILIB) $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(TUILIB) $(LIB) $(TUI_LIBS) $(CORE_LIBS) -pthread -lm

# Core tests link without ncurses: the core must not need it.  Tests named
# test_tui_* exercise the TUI layer and link it.
$(BUILD)/t/test_tui_%: $(BUILD)/tests/unit/test_tui_%.o $(TUILIB) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(TUILIB) $(LIB) $(TUI_LIBS) $(CORE_LIBS) -pthread $(TEST_LIBS) -lm

$(BUILD)/t/%: $(BUILD)/tests/unit/%.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(CORE_LIBS) $(TEST_LIBS) -lm

$(BUILD)/benchbin/bench_tui: $(BUILD)/bench/bench_tui.o $(TUILIB) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(TUILIB) $(LIB) $(TUI_LIBS) $(CORE_LIBS) -pthread -lm

$(BUILD)/benchbin/%: $(BUILD)/bench/%.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(CORE_LIBS) -lm

$(WALLTIME): bench/tools/walltime.c bench/bench_util.h
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $<

$(GEN): $(GEN_OBJ) $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(CORE_LIBS) -lm

run: deps
	@$(MAKE) --no-print-directory build
	$(BIN)

unit: $(TEST_BIN)
	@fail=0; for t in $(TEST_BIN); do \
		echo "== $$t"; CPUSCOPE_BIN=$(BIN) $$t || fail=1; \
	done; exit $$fail

scripts-test: $(BIN) $(GEN)
	@fail=0; for t in $(sort $(filter-out tests/cli/lib.sh,$(wildcard tests/cli/*.sh tests/e2e/*.sh))); do \
		echo "== $$t"; CPUSCOPE_BIN=$(BIN) sh $$t || fail=1; \
	done; exit $$fail

test: deps
	@$(MAKE) --no-print-directory test-run

test-run: $(BIN) $(TEST_BIN) $(GEN)
	@$(MAKE) --no-print-directory unit scripts-test

# check: the unit tests and the shell tests that need no libvirt reference,
# built with AddressSanitizer and UndefinedBehaviorSanitizer.  The
# differential tests (tests/cli/*_virsh.sh, host-libvirt.sh, tests/e2e)
# drive virsh, libvirtd and QEMU for most of their time and run the same
# cpuscope code as the others: under the sanitizers they would take hours,
# so they run in `make test` only.
SAN_SCRIPTS := $(sort $(filter-out tests/cli/lib.sh tests/cli/%_virsh.sh tests/cli/host-libvirt.sh, \
                 $(wildcard tests/cli/*.sh)))

# libvirt is loaded with dlopen (src/core/libvirt_lib.c), after ASan has
# resolved its interceptors: its XDR library must already be mapped at start,
# or ASan's xdrmem_create interceptor calls a null pointer inside libvirt.
SAN_LDFLAGS := -fsanitize=address,undefined -Wl,--no-as-needed -l:libtirpc.so.3 -Wl,--as-needed

check: deps
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
	$(MAKE) --no-print-directory BUILD=build-san \
		CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		LDFLAGS="$(SAN_LDFLAGS)" check-run

# The scripts that talk to libvirtd (conn*) run without LeakSanitizer: its
# check at exit stops every thread, and with the libvirt client's threads
# alive it sometimes dies ("Tracer caught signal 11"), taking the command's
# output with it.  The connection code's leaks are checked by test_conn.
check-run: $(BIN) $(TEST_BIN) $(GEN)
	@$(MAKE) --no-print-directory unit
	@fail=0; for t in $(SAN_SCRIPTS); do \
		echo "== $$t"; \
		case $$t in \
		*/conn*|*/pool_conn*) ASAN_OPTIONS=detect_leaks=0 CPUSCOPE_BIN=$(BIN) sh $$t || fail=1 ;; \
		*) CPUSCOPE_BIN=$(BIN) sh $$t || fail=1 ;; \
		esac; \
	done; exit $$fail

bench: $(BENCH_BIN) $(BIN) $(WALLTIME)
	@for b in $(BENCH_BIN); do $$b || exit 1; done
	@for s in $(sort $(wildcard bench/*.sh)); do \
		CPUSCOPE_BIN=$(BIN) WALLTIME=$(WALLTIME) sh $$s || exit 1; done

# Regenerate the bundled YAML from the system's libvirt map.
maps: $(BIN)
	$(BIN) convert /usr/share/libvirt/cpu_map maps/libvirt-9.0.0.yaml

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/cpuscope/maps
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/cpuscope
	install -m 644 maps/*.yaml maps/*.xml maps/README.md $(DESTDIR)$(PREFIX)/share/cpuscope/maps/
	if [ -f doc/cpuscope.1 ]; then install -d $(DESTDIR)$(PREFIX)/share/man/man1 && \
		install -m 644 doc/cpuscope.1 $(DESTDIR)$(PREFIX)/share/man/man1/; fi

screenshots: $(BIN)
	sh scripts/screenshots.sh

# gcc's static analyzer over every layer, warnings as errors.
analyze: deps
	$(MAKE) --no-print-directory BUILD=build-analyze CFLAGS="-O1 -fanalyzer" ANALYZE=1 build

ifdef ANALYZE
# False positive: term_dump() closes the file it opened (f != stdout), but
# the analyzer does not know fopen() never returns stdout, so it reports the
# FILE as leaked on the stdout branch.
$(BUILD)/src/tui/term.o: LAYER_CFLAGS += -Wno-analyzer-file-leak -Wno-analyzer-malloc-leak
endif

format:
	clang-format -i $(CORE_SRC) $(TUI_SRC) $(CLI_SRC) $(TEST_SRC) $(BENCH_SRC) bench/tools/*.c include/cpuscope/*.h src/*/*.h tests/unit/*.h bench/*.h

format-check:
	clang-format --dry-run --Werror $(CORE_SRC) $(TUI_SRC) $(CLI_SRC) $(TEST_SRC) $(BENCH_SRC) bench/tools/*.c include/cpuscope/*.h src/*/*.h tests/unit/*.h bench/*.h

clean:
	rm -rf build build-san build-analyze

-include $(CORE_OBJ:.o=.d) $(TUI_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_OBJ:.o=.d) $(GEN_OBJ:.o=.d) \
         $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%.d)

# Coverage-guided fuzzing of the parsers with clang's libFuzzer (not part of
# all, test or check): builds tests/fuzz/fuzz_*.c into $(BUILD)/fuzz/ and runs
# each for FUZZ_SECONDS, FUZZ_JOBS at a time.  Crash inputs go to
# $(BUILD)/fuzz/artifacts/, the growing corpora stay in $(BUILD)/fuzz/corpus/.
FUZZ_SECONDS ?= 60
FUZZ_JOBS    ?= 2
FUZZ_CC      ?= clang
FUZZ_DIR     := $(BUILD)/fuzz
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS   = $(CSTD) $(WARN) -Iinclude -Isrc $(CORE_CFLAGS) -O1 -g -fno-omit-frame-pointer \
                $(FUZZ_SAN) -DCS_FUZZ_DATA='"$(CURDIR)/tests/data"'
FUZZ_SRC     := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN     := $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_DIR)/%)
FUZZ_OBJ     := $(CORE_SRC:%.c=$(FUZZ_DIR)/obj/%.o)

$(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(FUZZ_DIR)/libcpuscope.a: $(FUZZ_OBJ)
	rm -f $@ && ar rcs $@ $^

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_DIR)/libcpuscope.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_DIR)/libcpuscope.a $(CORE_LIBS) -lm

.PHONY: fuzz fuzz-build
fuzz-build: $(FUZZ_BIN)

fuzz: $(FUZZ_BIN)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	sh tests/fuzz/run.sh $(FUZZ_DIR) $(FUZZ_SECONDS) $(FUZZ_JOBS) $(FUZZ_BIN)

-include $(FUZZ_OBJ:.o=.d)
