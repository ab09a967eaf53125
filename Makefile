# cpuscope — build, test, bench and install.
# Targets: all run test check bench maps install screenshots fuzz analyze format clean

BUILD   ?= build
PREFIX  ?= /usr/local
CC      ?= cc
CFLAGS  ?= -O2 -g
LDFLAGS ?=

PKGS      := ncursesw libxml-2.0 yaml-0.1 json-c libvirt
TEST_PKGS := cmocka

# Install missing build dependencies once, before the flags are read.
ifeq ($(filter clean format format-check,$(MAKECMDGOALS)),)
DEPS_OK := $(shell pkg-config --exists $(PKGS) $(TEST_PKGS) 2>/dev/null && command -v tmux >/dev/null && echo yes)
ifneq ($(DEPS_OK),yes)
DEPS_RUN := $(shell scripts/deps.sh >&2 && echo ok)
ifneq ($(DEPS_RUN),ok)
$(error missing build dependencies; see the message from scripts/deps.sh above)
endif
endif
endif

CSTD := -std=c11 -D_GNU_SOURCE
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
        -Wwrite-strings -Wpointer-arith -Wvla -Wundef -Wimplicit-fallthrough
CORE_CFLAGS := $(shell pkg-config --cflags libxml-2.0 yaml-0.1 json-c libvirt)
CORE_LIBS   := $(shell pkg-config --libs libxml-2.0 yaml-0.1 json-c libvirt)
TUI_CFLAGS  := $(shell pkg-config --cflags ncursesw)
TUI_LIBS    := $(shell pkg-config --libs ncursesw)
TEST_CFLAGS := $(shell pkg-config --cflags cmocka)
TEST_LIBS   := $(shell pkg-config --libs cmocka)

ALL_CFLAGS = $(CSTD) $(WARN) -Iinclude -Isrc $(CORE_CFLAGS) $(TUI_CFLAGS) $(TEST_CFLAGS) $(CFLAGS)

CORE_SRC  := $(sort $(wildcard src/core/*.c))
TUI_SRC   := $(sort $(wildcard src/tui/*.c))
CLI_SRC   := $(sort $(wildcard src/cli/*.c))
TEST_SRC  := $(sort $(wildcard tests/unit/test_*.c))
BENCH_SRC := $(sort $(wildcard bench/*.c))

CORE_OBJ  := $(CORE_SRC:%.c=$(BUILD)/%.o)
TUI_OBJ   := $(TUI_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ   := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_BIN  := $(TEST_SRC:tests/unit/%.c=$(BUILD)/t/%)
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/benchbin/%)

LIB     := $(BUILD)/libcpuscope.a
TUILIB  := $(BUILD)/libcpuscope-tui.a
BIN     := $(BUILD)/cpuscope

.PHONY: all run test check unit scripts-test bench maps install screenshots analyze format format-check clean
.DEFAULT_GOAL := all
.SECONDARY:

all: $(BIN)

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
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(TUILIB) $(LIB) $(TUI_LIBS) $(CORE_LIBS) -lm

# Core tests link without ncurses: the core must not need it.  Tests named
# test_tui_* exercise the TUI layer and link it.
$(BUILD)/t/test_tui_%: $(BUILD)/tests/unit/test_tui_%.o $(TUILIB) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(TUILIB) $(LIB) $(TUI_LIBS) $(CORE_LIBS) $(TEST_LIBS) -lm

$(BUILD)/t/%: $(BUILD)/tests/unit/%.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(CORE_LIBS) $(TEST_LIBS) -lm

$(BUILD)/benchbin/bench_tui: $(BUILD)/bench/bench_tui.o $(TUILIB) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(TUILIB) $(LIB) $(TUI_LIBS) $(CORE_LIBS) -lm

$(BUILD)/benchbin/%: $(BUILD)/bench/%.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(CORE_LIBS) -lm

run: $(BIN)
	$(BIN)

unit: $(TEST_BIN)
	@fail=0; for t in $(TEST_BIN); do \
		echo "== $$t"; CPUSCOPE_BIN=$(BIN) $$t || fail=1; \
	done; exit $$fail

scripts-test: $(BIN)
	@fail=0; for t in $(sort $(filter-out tests/cli/lib.sh,$(wildcard tests/cli/*.sh tests/e2e/*.sh))); do \
		echo "== $$t"; CPUSCOPE_BIN=$(BIN) sh $$t || fail=1; \
	done; exit $$fail

test: $(BIN) $(TEST_BIN)
	@$(MAKE) --no-print-directory unit scripts-test

check:
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
	$(MAKE) --no-print-directory BUILD=build-san \
		CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		LDFLAGS="-fsanitize=address,undefined" test

bench: $(BENCH_BIN) $(BIN)
	@for b in $(BENCH_BIN); do $$b || exit 1; done
	@for s in $(sort $(wildcard bench/*.sh)); do CPUSCOPE_BIN=$(BIN) sh $$s || exit 1; done

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

analyze:
	$(MAKE) --no-print-directory BUILD=build-analyze CFLAGS="-O1 -fanalyzer" all

format:
	clang-format -i $(CORE_SRC) $(TUI_SRC) $(CLI_SRC) $(TEST_SRC) $(BENCH_SRC) include/cpuscope/*.h src/*/*.h tests/unit/*.h bench/*.h

format-check:
	clang-format --dry-run --Werror $(CORE_SRC) $(TUI_SRC) $(CLI_SRC) $(TEST_SRC) $(BENCH_SRC) include/cpuscope/*.h src/*/*.h tests/unit/*.h bench/*.h

clean:
	rm -rf build build-san build-analyze

-include $(CORE_OBJ:.o=.d) $(TUI_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%.d) $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%.d)

# Coverage-guided fuzzing of the parsers with clang's libFuzzer (not part of
# all, test or check): builds tests/fuzz/fuzz_*.c into $(BUILD)/fuzz/ and runs
# each for FUZZ_SECONDS, FUZZ_JOBS at a time.  Crash inputs go to
# $(BUILD)/fuzz/artifacts/, the growing corpora stay in $(BUILD)/fuzz/corpus/.
FUZZ_SECONDS ?= 60
FUZZ_JOBS    ?= 2
FUZZ_CC      ?= clang
FUZZ_DIR     := $(BUILD)/fuzz
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS  := $(CSTD) $(WARN) -Iinclude -Isrc $(CORE_CFLAGS) -O1 -g -fno-omit-frame-pointer \
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
