# zanith: build, test and install.  Works with GNU make and bmake.
# Every variable may be overridden on the command line.

VERSION != cat VERSION

PREFIX = /usr/local
BINDIR = $(PREFIX)/bin
MANDIR = $(PREFIX)/share/man
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR = $(PREFIX)/share/zsh/site-functions
DESTDIR =

CC = cc
AR = ar
CFLAGS = -O2 -g
LDFLAGS =
PKG_CONFIG = pkg-config
BATS = bats
SANITIZE =
# What `make deps` runs.
DEPS_CMD = sh build-aux/deps
# The test files `make check` runs; all of tests/ when empty.
TESTS =

DEPS = libpq yaml-0.1 jansson libcrypto
DEP_CFLAGS != $(PKG_CONFIG) --cflags $(DEPS) 2>/dev/null || true
DEP_LIBS != $(PKG_CONFIG) --libs $(DEPS) 2>/dev/null || true

# Warnings are ours and always on; the user's CFLAGS still apply.
ZN_CFLAGS = -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2 -Wno-unused-parameter \
	-DZN_VERSION='"$(VERSION)"' -Ilib
SAN_1 = -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined -DZN_FREE_AT_EXIT
SAN_FLAGS = $(SAN_$(SANITIZE))
OUT_ = build
OUT_1 = build-san
# The fuzz build (make fuzz, tests/fuzz/README): clang, libFuzzer's
# coverage, ASan and UBSan, and -DZN_FUZZ (exits return to the fuzzer,
# checksums are not checked).  Never installed.
FUZZ_CC = clang
SAN_fuzz = -fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=undefined -fno-omit-frame-pointer -DZN_FUZZ
OUT_fuzz = build-fuzz
O = $(OUT_$(SANITIZE))

LIBSRC = lib/arena.c lib/artifact.c lib/buf.c lib/config.c lib/declared.c lib/deparse.c lib/diff.c lib/err.c lib/fixpoint.c lib/graph.c \
	lib/introspect.c lib/jscan.c lib/json.c lib/jw.c lib/ledger.c lib/offline.c lib/out.c lib/path.c lib/pg.c \
	lib/ops.c lib/plan.c lib/pull.c lib/reasons.c lib/risk.c lib/apply.c lib/lock.c \
	lib/schema.c lib/sqltok.c \
	lib/scratch.c lib/sha.c lib/term.c lib/yaml.c
CMDS = zn-snapshot zn-diff zn-classify zn-shadow zn-apply zn-ledger zn-artifact
SCRIPTS = zn
MAN1 = man/zn-snapshot.1 man/zn-diff.1 man/zn-classify.1 man/zn-apply.1 \
	man/zn-ledger.1 man/zn-shadow.1 man/zn-artifact.1
MAN5 = man/zn-records.5 man/zn-schema.5
MAN7 = man/zn.7 man/zn-ledger.7

CMDSRC = $(CMDS:%=cmd/%.c)
BINS = $(O)/bin/zn-snapshot $(O)/bin/zn-diff $(O)/bin/zn-classify $(O)/bin/zn-shadow \
	$(O)/bin/zn-apply $(O)/bin/zn-ledger $(O)/bin/zn-artifact $(O)/bin/zn

# The audit questions: plain SQL in contrib, compiled into zn-ledger.
AUDIT = contrib/audit/who.sql contrib/audit/slowest.sql \
	contrib/audit/failures.sql contrib/audit/risk.sql \
	contrib/audit/recoverable.sql contrib/audit/releases.sql

all: $(BINS)

# Every source has its own object, $(O)/obj/NAME.o, and its own rule,
# written by build-aux/objrules: a new lib/*.c is one word in LIBSRC.  An
# object depends on its source, the one header and the files that set the
# flags; PREP stops early with a plain message when pkg-config found
# nothing, and makes the target's directory.
OBJDEPS = lib/zn.h Makefile VERSION
PREP = @if [ -z "$(DEP_LIBS)" ]; then \
	echo "make: libraries missing ($(DEPS)); run 'make deps'" >&2; \
	exit 1; fi; mkdir -p $(@D)
COMPILE = $(CC) $(ZN_CFLAGS) -I$(O)/gen $(SAN_FLAGS) $(DEP_CFLAGS) $(CFLAGS) \
	-c -o $@
LINK = $(CC) $(SAN_FLAGS) $(CFLAGS) $(LDFLAGS) -o $@
LIBOBJ = $(LIBSRC:lib/%.c=$(O)/obj/%.o)
FUZZERS = fuzz-yaml fuzz-migration fuzz-config fuzz-graph fuzz-ops \
	fuzz-stats fuzz-sqltok
FUZZSRC = tests/fuzz/fuzzmain.c tests/fuzz/fuzz-yaml.c \
	tests/fuzz/fuzz-migration.c tests/fuzz/fuzz-config.c \
	tests/fuzz/fuzz-graph.c tests/fuzz/fuzz-ops.c tests/fuzz/fuzz-stats.c \
	tests/fuzz/fuzz-sqltok.c
OBJRULES != sh build-aux/objrules $(O) $(LIBSRC) $(CMDSRC) \
	tests/helpers/libcheck.c $(FUZZSRC)
include $(OBJRULES)

$(O)/libzn.a: $(LIBOBJ)
	rm -f $@ && $(AR) rcs $@ $(LIBOBJ)

$(O)/bin/zn-snapshot: $(O)/obj/zn-snapshot.o $(O)/libzn.a
	$(PREP)
	$(LINK) $(O)/obj/zn-snapshot.o $(O)/libzn.a $(DEP_LIBS)

$(O)/bin/zn-diff: $(O)/obj/zn-diff.o $(O)/libzn.a
	$(PREP)
	$(LINK) $(O)/obj/zn-diff.o $(O)/libzn.a $(DEP_LIBS)

$(O)/bin/zn-classify: $(O)/obj/zn-classify.o $(O)/libzn.a
	$(PREP)
	$(LINK) $(O)/obj/zn-classify.o $(O)/libzn.a $(DEP_LIBS)

$(O)/bin/zn-shadow: $(O)/obj/zn-shadow.o $(O)/libzn.a
	$(PREP)
	$(LINK) $(O)/obj/zn-shadow.o $(O)/libzn.a $(DEP_LIBS)

$(O)/bin/zn-apply: $(O)/obj/zn-apply.o $(O)/libzn.a
	$(PREP)
	$(LINK) $(O)/obj/zn-apply.o $(O)/libzn.a $(DEP_LIBS)

$(O)/gen/audit.h: $(AUDIT) build-aux/embed-sql
	@mkdir -p $(O)/gen
	sh build-aux/embed-sql $(AUDIT) >$@.tmp && mv $@.tmp $@

$(O)/obj/zn-ledger.o: $(O)/gen/audit.h

$(O)/bin/zn-ledger: $(O)/obj/zn-ledger.o $(O)/libzn.a
	$(PREP)
	$(LINK) $(O)/obj/zn-ledger.o $(O)/libzn.a $(DEP_LIBS)

$(O)/bin/zn-artifact: $(O)/obj/zn-artifact.o $(O)/libzn.a
	$(PREP)
	$(LINK) $(O)/obj/zn-artifact.o $(O)/libzn.a $(DEP_LIBS)

# zn-apply with fault injection (ZN_FAULT), for the tests only.
$(O)/obj/zn-apply-faults.o: cmd/zn-apply.c $(OBJDEPS)
	$(PREP)
	$(COMPILE) -DZN_FAULTS cmd/zn-apply.c

$(O)/test/zn-apply: $(O)/obj/zn-apply-faults.o $(O)/libzn.a
	$(PREP)
	$(LINK) $(O)/obj/zn-apply-faults.o $(O)/libzn.a $(DEP_LIBS)

$(O)/bin/zn: cmd/zn VERSION
	@mkdir -p $(O)/bin
	sed 's/@VERSION@/$(VERSION)/' cmd/zn >$@ && chmod 0755 $@

# A driver for library functions, used only by the tests.
$(O)/test/libcheck: $(O)/obj/libcheck.o $(O)/libzn.a
	$(PREP)
	$(LINK) $(O)/obj/libcheck.o $(O)/libzn.a $(DEP_LIBS)

# The fuzz harnesses (tests/fuzz): each links the library's fuzz build
# with libyaml and jansson statically, so that the wrapped allocator
# (fuzzmain.c) sees their allocations too.
FUZZ_WRAP = -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free \
	-Wl,--wrap=strdup,--wrap=strndup,--wrap=getline,--wrap=getdelim \
	-Wl,--wrap=fopen,--wrap=fdopen,--wrap=fmemopen,--wrap=fclose \
	-Wl,--wrap=open_memstream,--wrap=opendir,--wrap=closedir
FUZZ_LIBS = -Wl,-Bstatic -lyaml -ljansson -Wl,-Bdynamic -lpq -lcrypto
FUZZ_LINK = $(CC) -fsanitize=fuzzer,address,undefined $(FUZZ_WRAP) \
	$(CFLAGS) $(LDFLAGS) -o $@ $(O)/obj/fuzzmain.o
FUZZ_TIME = 60
FUZZ_BINS = $(FUZZERS:%=$(O)/fuzz/%)

fuzz-build: $(FUZZ_BINS)

$(O)/fuzz/fuzz-yaml: $(O)/obj/fuzz-yaml.o $(O)/obj/fuzzmain.o $(O)/libzn.a
	$(PREP)
	$(FUZZ_LINK) $(O)/obj/fuzz-yaml.o $(O)/libzn.a $(FUZZ_LIBS)

$(O)/fuzz/fuzz-migration: $(O)/obj/fuzz-migration.o $(O)/obj/fuzzmain.o \
    $(O)/libzn.a
	$(PREP)
	$(FUZZ_LINK) $(O)/obj/fuzz-migration.o $(O)/libzn.a $(FUZZ_LIBS)

$(O)/fuzz/fuzz-config: $(O)/obj/fuzz-config.o $(O)/obj/fuzzmain.o $(O)/libzn.a
	$(PREP)
	$(FUZZ_LINK) $(O)/obj/fuzz-config.o $(O)/libzn.a $(FUZZ_LIBS)

$(O)/fuzz/fuzz-graph: $(O)/obj/fuzz-graph.o $(O)/obj/fuzzmain.o $(O)/libzn.a
	$(PREP)
	$(FUZZ_LINK) $(O)/obj/fuzz-graph.o $(O)/libzn.a $(FUZZ_LIBS)

$(O)/fuzz/fuzz-ops: $(O)/obj/fuzz-ops.o $(O)/obj/fuzzmain.o $(O)/libzn.a
	$(PREP)
	$(FUZZ_LINK) $(O)/obj/fuzz-ops.o $(O)/libzn.a $(FUZZ_LIBS)

$(O)/gen/stats-plan.inc: tests/fuzz/stats-plan.jsonl
	@mkdir -p $(O)/gen
	sed 's/[\\"]/\\&/g; s/^/"/; s/$$/\\n"/' tests/fuzz/stats-plan.jsonl \
	    >$@.tmp && mv $@.tmp $@

$(O)/obj/fuzz-stats.o: $(O)/gen/stats-plan.inc

$(O)/fuzz/fuzz-stats: $(O)/obj/fuzz-stats.o $(O)/obj/fuzzmain.o $(O)/libzn.a
	$(PREP)
	$(FUZZ_LINK) $(O)/obj/fuzz-stats.o $(O)/libzn.a $(FUZZ_LIBS)

$(O)/fuzz/fuzz-sqltok: $(O)/obj/fuzz-sqltok.o $(O)/obj/fuzzmain.o $(O)/libzn.a
	$(PREP)
	$(FUZZ_LINK) $(O)/obj/fuzz-sqltok.o $(O)/libzn.a $(FUZZ_LIBS)

# Builds the harnesses and runs each for FUZZ_TIME seconds, after the
# inputs of tests/fuzz/regress (tests/fuzz/README).  fuzz-smoke is a
# short run of every harness.
FUZZ_NEEDS = @command -v $(FUZZ_CC) >/dev/null 2>&1 || { echo "make: the \
	fuzz harnesses need $(FUZZ_CC) with libFuzzer (Debian: apt-get \
	install clang)" >&2; exit 1; }
FUZZ_JOBS != getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1

fuzz: deps
	$(FUZZ_NEEDS)
	@$(MAKE) all
	@$(MAKE) SANITIZE=fuzz CC="$(FUZZ_CC)" fuzz-build
	@sh tests/fuzz/run -t $(FUZZ_TIME) -j $(FUZZ_JOBS) build build-fuzz

fuzz-smoke: deps
	$(FUZZ_NEEDS)
	@$(MAKE) all
	@$(MAKE) SANITIZE=fuzz CC="$(FUZZ_CC)" fuzz-build
	@sh tests/fuzz/run -t 10 -j $(FUZZ_JOBS) build build-fuzz

# Installs the Debian or Ubuntu packages the build and tests need, when
# they are missing; elsewhere prints what to install and stops.
deps:
	@$(DEPS_CMD)

# check, check-valgrind and demo run deps and then build in a make of their
# own: this make read the pkg-config flags when it started, before deps
# could install the libraries they name.
check: deps
	@$(MAKE) all $(O)/test/libcheck $(O)/test/zn-apply
	@PATH="$$(pwd)/$(O)/bin:$$PATH" ZN_TEST_BUILD="$$(pwd)/$(O)" \
	    BATS="$(BATS)" sh tests/run $(TESTS)

# The suites again, with every zn-* command under valgrind's memcheck: a
# directory of wrappers of the same names comes first on PATH, so that
# commands in pipelines are checked too, and zn itself is copied there,
# so that the commands it starts from its own directory are.  Each process writes its report to $(O)/valgrind/log/PID.log,
# empty when clean, and exits 99 on any error or definite or indirect
# leak, which fails a test that checks its status; after the run, any
# report left fails the target, whatever the test checked.  All of
# tests/ unless TESTS names files.
VALGRIND = valgrind -q --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite,indirect \
	--show-leak-kinds=definite,indirect
check-valgrind: deps
	@$(MAKE) all $(O)/test/libcheck $(O)/test/zn-apply
	@rm -rf $(O)/valgrind && mkdir -p $(O)/valgrind/log && \
	for c in $(CMDS); do \
		printf '#!/bin/sh\nexec %s --log-file="%s" "%s" "$$@"\n' \
		    "$(VALGRIND)" "$$(pwd)/$(O)/valgrind/log/%p.log" \
		    "$$(pwd)/$(O)/bin/$$c" >$(O)/valgrind/$$c && \
		chmod 0755 $(O)/valgrind/$$c || exit 1; \
	done; \
	cp $(O)/bin/zn $(O)/valgrind/zn
	@PATH="$$(pwd)/$(O)/valgrind:$$(pwd)/$(O)/bin:$$PATH" \
	    ZN_TEST_BUILD="$$(pwd)/$(O)" ZN_TEST_VALGRIND=1 BATS="$(BATS)" \
	    sh tests/run $(TESTS); rc=$$?; \
	n=$$(find $(O)/valgrind/log -type f -size +0 | wc -l); \
	echo "check-valgrind: $$(ls $(O)/valgrind/log | wc -l) processes," \
	    "$$n reports"; \
	find $(O)/valgrind/log -type f -size +0 -exec cat {} +; \
	[ "$$rc" -eq 0 ] && [ "$$n" -eq 0 ]

demo: deps
	@$(MAKE) all
	@PATH="$$(pwd)/$(O)/bin:$$PATH" sh examples/demo.sh

lint: all
	mandoc -Tlint -Wwarning $(MAN1) $(MAN5) $(MAN7)
	shellcheck -x -s sh cmd/zn tests/run tests/helpers/pgtmp.sh \
	    examples/demo.sh build-aux/deps bench/snapshot.sh bench/gen-schema \
	    bench/diff.sh bench/common.sh bench/classify.sh bench/gen-ops bench/apply.sh \
	    bench/offline-drift.sh bench/realworld.sh bench/shadow.sh bench/artifact.sh bench/pull.sh bench/generate.sh bench/plansize.sh bench/apply-schema.sh \
	    tests/gen-roundtrip .ci/run tests/fuzz/run build-aux/embed-sql \
	    build-aux/objrules
	shellcheck -x -s bash completions/zn.bash tests/helpers/common.bash \
	    tests/helpers/roundtrip.bash tests/helpers/ledger.bash

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 \
	    $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	for f in $(CMDS) $(SCRIPTS); do \
		install -m 0755 $(O)/bin/$$f $(DESTDIR)$(BINDIR)/$$f; done
	install -m 0644 $(MAN1) $(DESTDIR)$(MANDIR)/man1
	install -m 0644 $(MAN5) $(DESTDIR)$(MANDIR)/man5
	install -m 0644 $(MAN7) $(DESTDIR)$(MANDIR)/man7
	install -m 0644 completions/zn.bash $(DESTDIR)$(BASHCOMPDIR)/zn
	install -m 0644 completions/_zn $(DESTDIR)$(ZSHCOMPDIR)/_zn

uninstall:
	for f in $(CMDS) $(SCRIPTS); do rm -f $(DESTDIR)$(BINDIR)/$$f; done
	for f in $(MAN1); do rm -f $(DESTDIR)$(MANDIR)/man1/$${f#man/}; done
	for f in $(MAN5); do rm -f $(DESTDIR)$(MANDIR)/man5/$${f#man/}; done
	for f in $(MAN7); do rm -f $(DESTDIR)$(MANDIR)/man7/$${f#man/}; done
	rm -f $(DESTDIR)$(BASHCOMPDIR)/zn $(DESTDIR)$(ZSHCOMPDIR)/_zn

clean:
	rm -rf build build-san build-fuzz

.PHONY: all check check-valgrind demo deps install uninstall clean lint \
	fuzz fuzz-build fuzz-smoke
