# mmulab — top-level Makefile.  Plain GNU make, no autotools.
#
#   make            build ./build/mmulab
#   make demo       run the demo scenario (each step and page walk), then
#                   compare it across the backends side by side
#   make check      every test: freestanding check, unit tests (Check),
#                   scenarios, bad scenarios, the backend comparison over
#                   every scenario and GEN_SEEDS random ones (1000), CLI, a bench
#                   smoke run, the kernel module build, then check-kmod
#   make gen-long   the random comparison over GEN_LONG_SEEDS seeds
#   make bench      `mmulab bench` (figures, not a test)
#   make check SAN=1   the same under AddressSanitizer + UBSan (build-san/),
#                   without the emulator boots
#   make kmod       hw/kmod/mmulab.ko against installed kernel headers
#   make check-kmod load the module in Debian's kernel under QEMU and Bochs
#                   and run the comparison suite there (minutes)
#   make fuzz       run the scenario-loader fuzzer for FUZZ_SECONDS
#
# Sources are found by wildcard: a new .c file under core/, backends/, hw/,
# viz/ or cli/ is built without touching this file.

SAN ?= 0
ifeq ($(SAN),1)
BUILD ?= build-san
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
else
BUILD ?= build
SANFLAGS :=
endif

CC ?= cc
PKG_CONFIG ?= pkg-config
XML_CFLAGS := $(shell $(PKG_CONFIG) --cflags libxml-2.0 2>/dev/null)
XML_LIBS := $(shell $(PKG_CONFIG) --libs libxml-2.0 2>/dev/null)
CHECK_CFLAGS := $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
CHECK_LIBS := $(shell $(PKG_CONFIG) --libs check 2>/dev/null)

WARN := -Wall -Wextra -Werror -Wvla -Wframe-larger-than=2048 -Wstrict-prototypes
OPT ?= -O2 -g
BASE_CFLAGS := -std=c11 $(WARN) $(OPT) -I. $(SANFLAGS) -MMD -MP
# core/ and backends/ are kernel code too: no floating point, no libc.
CORE_CFLAGS := $(BASE_CFLAGS) -mgeneral-regs-only
USER_CFLAGS := $(BASE_CFLAGS) -D_DEFAULT_SOURCE $(XML_CFLAGS) -pthread
LDLIBS := $(XML_LIBS) -pthread $(SANFLAGS)

CORE_SRC := $(wildcard core/*.c core/*/*.c backends/*/*.c)
USER_SRC := $(wildcard platform/user/*.c hw/*.c hw/ref/*.c hw/sim/*.c viz/*.c \
		cli/scenario/*.c cli/*.c)
USER_SRC := $(filter-out cli/main.c,$(USER_SRC))
CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)
USER_OBJ := $(USER_SRC:%.c=$(BUILD)/%.o)
LIB := $(BUILD)/libmmulab.a
MMULAB := $(BUILD)/mmulab

TEST_SRC := $(wildcard tests/*/*_test.c)
TEST_BIN := $(TEST_SRC:%.c=$(BUILD)/%)
TEST_UTIL_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(wildcard tests/util/*.c))

all: $(MMULAB)

$(BUILD)/core/%.o: core/%.c
	@mkdir -p $(@D)
	$(CC) $(CORE_CFLAGS) -c $< -o $@
$(BUILD)/backends/%.o: backends/%.c
	@mkdir -p $(@D)
	$(CC) $(CORE_CFLAGS) -c $< -o $@
$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -c $< -o $@

# The XSD is compiled into the binary: validation never reads the file system.
$(BUILD)/gen/schema.c: scenarios/mmulab.xsd tools/embed.sh
	@mkdir -p $(@D)
	sh tools/embed.sh mmulab_xsd $< > $@
$(BUILD)/gen/schema.o: $(BUILD)/gen/schema.c
	$(CC) $(USER_CFLAGS) -c $< -o $@

$(LIB): $(CORE_OBJ) $(USER_OBJ) $(BUILD)/gen/schema.o
	@rm -f $@
	ar rcs $@ $^

$(MMULAB): $(BUILD)/cli/main.o $(LIB)
	$(CC) $(OPT) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/%.c $(TEST_UTIL_OBJ) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) $(CHECK_CFLAGS) -o $@ $< $(TEST_UTIL_OBJ) $(LIB) $(CHECK_LIBS) $(LDLIBS)

# ---- tests -----------------------------------------------------------------

# The emulator boots come last, alone: they take minutes and both cores.
check: check-freestanding check-unit check-scenarios check-compare check-gen check-cli \
	check-bench check-kmod-build check-kmod-judge
ifeq ($(SAN),1)
	@echo "make check: no emulator boots under SAN=1 (the module and the guest's build/mmulab are not sanitizer builds)"
else
	@$(MAKE) --no-print-directory check-kmod
endif
	@echo "make check: all test stages passed"

check-unit: $(TEST_BIN)
	@sh tools/run-unit-tests.sh $(TEST_BIN)

check-scenarios: $(MMULAB)
	@sh tools/run-scenarios.sh $(MMULAB)

# Every shipped scenario on ref and on every backend target: identical results.
check-compare: $(MMULAB)
	@$(MMULAB) compare scenarios/*.xml

GEN_SEEDS ?= 1000
GEN_LONG_SEEDS ?= 2000
check-gen: $(MMULAB)
	@sh tools/run-gen.sh $(MMULAB) 1 $(GEN_SEEDS)

gen-long: $(MMULAB)
	@sh tools/run-gen.sh $(MMULAB) 1 $(GEN_LONG_SEEDS)

# The bench runs and prints every figure (its numbers are not judged here).
check-bench: $(MMULAB)
	@$(MMULAB) bench --size 16M > $(BUILD)/bench.txt
	@grep -q "ns per fault" $(BUILD)/bench.txt && grep -q "2 threads vs 1" $(BUILD)/bench.txt
	@echo "bench: smoke run printed every figure ($(BUILD)/bench.txt)"

bench: $(MMULAB)
	$(MMULAB) bench

check-cli: $(MMULAB)
	@sh tests/cli/cli_test.sh $(MMULAB)

check-freestanding:
	@sh tools/check-freestanding.sh $(CC)

check-kmod-build: kmod

# The judge of the boots' comparison suites, on made-up serial logs.
check-kmod-judge:
	@sh tests/kmod-boot/judge_test.sh

# ---- the kernel module -------------------------------------------------------

KDIR ?= $(shell sh tools/find-kdir.sh)
# kbuild writes objects and .cmd files next to the sources, so the module is
# built in build/kmod from symlinks to hw/kmod/ and to every CORE_SRC file.
KMOD_BUILD := $(CURDIR)/build/kmod
# The compiler the kernel was built with (gcc-12 on Debian 12), if installed:
# kbuild warns when a module is built with another.
KMOD_CC ?= $(shell cc=$$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\([^ ]*\).*/\1/p' \
	$(KDIR)/.config 2>/dev/null); command -v "$$cc" >/dev/null 2>&1 && echo "$$cc")
kmod:
	@test -n "$(KDIR)" || { echo "make kmod: no kernel headers found; run: sh tools/setup.sh check (or apt-get install linux-headers-amd64)"; exit 2; }
	@mkdir -p $(KMOD_BUILD) && find $(KMOD_BUILD) -type l -exec rm -f {} +
	@for f in hw/kmod/Kbuild hw/kmod/*.c hw/kmod/*.S; do ln -s $(CURDIR)/$$f $(KMOD_BUILD)/$${f##*/}; done
	@for f in $(CORE_SRC); do mkdir -p $(KMOD_BUILD)/$${f%/*} && ln -s $(CURDIR)/$$f $(KMOD_BUILD)/$$f; done
	$(MAKE) -C $(KDIR) M=$(KMOD_BUILD) MMULAB_ROOT=$(CURDIR) $(if $(KMOD_CC),CC=$(KMOD_CC)) modules

kmod-clean:
	rm -rf $(KMOD_BUILD)

# Load the module in Debian's kernel booted under emulators (no VT-x/AMD-V
# needed) and run the comparison suite there: QEMU TCG with SVM+NPT, 5- and
# 4-level paging, and Bochs with VMX+EPT; and QEMU without SVM, where the
# module must refuse to load.  Products and logs in build/kmod-boot/; see
# hw/kmod/README.md.  `sh tools/setup.sh check-kmod` installs the packages.
check-kmod:
	@sh tools/kmod-boot/run.sh all
kmod-boot-qemu:
	@sh tools/kmod-boot/run.sh qemu
kmod-boot-bochs:
	@sh tools/kmod-boot/run.sh bochs

# ---- fuzzing -----------------------------------------------------------------

FUZZ_SECONDS ?= 60
fuzz:
	@sh fuzz/run.sh $(FUZZ_SECONDS)

# ---- demo --------------------------------------------------------------------

demo: $(MMULAB)
	$(MMULAB) run --trace scenarios/demo.xml
	@echo
	$(MMULAB) compare scenarios/demo.xml

clean: kmod-clean
	rm -rf build build-san

.PHONY: all check check-unit check-scenarios check-compare check-gen gen-long check-bench \
	bench check-cli check-freestanding check-kmod-build check-kmod-judge kmod kmod-clean check-kmod \
	kmod-boot-qemu kmod-boot-bochs fuzz demo clean

-include $(shell find $(BUILD) -name '*.d' -type f 2>/dev/null)
