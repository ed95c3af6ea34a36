# Loopbook: two commands for a newcomer.
#   make site   build the tool in release and build the book into Site/
#   make test   run every test
SWIFT       ?= swift
APT_PACKAGES = libcmark-gfm-dev libcmark-gfm-extensions-dev zlib1g-dev chromium nodejs libjs-katex fonts-katex poppler-utils
RELEASE_BIN  = .build/release

.PHONY: site test check-site deps tool bench bench-server clean a11y-venv install uninstall check-install dist check-dist

# Install missing system packages (needs root; otherwise says what to install).
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then echo "Installing$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "error: missing system packages:$$missing. Install them with: sudo apt-get install -y$$missing" >&2; exit 1; fi; \
	fi

# The tool and the library chapter programs link against, both in release.
tool: deps
	$(SWIFT) build -c release --product loopbook
	$(SWIFT) build -c release --product LoopbookKit

site: tool
	$(RELEASE_BIN)/loopbook build

# Every test, then a check that the committed Site/ is exactly what a clean build of Content/ produces.
# Suites that bound elapsed time (time limits, kill deadlines, a listener closing) run in a second pass of
# their own, so the compile-heavy rest of the suite cannot starve them on a 2-core machine.
TIMED_SUITES = FaultTests|InterruptionTests|HardenedServeTests|ResourceLimitTests|ExecutionTests|SafetyTests

test: deps a11y-venv
	$(SWIFT) build --product LoopbookKit
	$(SWIFT) test --skip '$(TIMED_SUITES)'
	$(SWIFT) test --skip-build --filter '$(TIMED_SUITES)'
	$(MAKE) check-site
	$(MAKE) check-install
	$(MAKE) check-dist

# The accessibility audit's tools (Tests/Accessibility/audit.py, run by AccessibilityTests): axe-core as the
# axe-playwright-python package bundles it, and Playwright, which drives Debian's Chromium (it never downloads
# a browser). Without PyPI the audit is skipped (in CI, where CI is set, the test fails instead).
A11Y_VENV     = .build/a11y-venv
A11Y_PACKAGES = axe-playwright-python==0.1.8 playwright==1.65.2

a11y-venv:
	@if ! $(A11Y_VENV)/bin/python -c "import axe_playwright_python, playwright" 2>/dev/null; then \
	  echo "Installing the accessibility audit (axe-core, Playwright) into $(A11Y_VENV)"; \
	  rm -rf $(A11Y_VENV); \
	  { $(PYTHON) -m venv $(A11Y_VENV) && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(A11Y_VENV)/bin/pip install $(PIP_QUIET) $(A11Y_PACKAGES); } \
	    || { rm -rf $(A11Y_VENV); echo "note: could not install the accessibility audit (no PyPI?); AccessibilityTests are skipped"; }; fi

check-site: tool
	$(RELEASE_BIN)/loopbook check
	$(RELEASE_BIN)/loopbook validate

# make bench: the book (cold, no-op, one-step edit, prose edit; memory), the generated 8-chapter book
# against Jupyter Book 1, a generated prose book of BENCH_SCALE chapters (cold, no-op, one-chapter edits,
# site size against prose size), Markdown against cmark-gfm, the forest against scikit-learn (fits, predictions,
# and 5-fold cross-validation on digits against cross_val_score: same scores, both times, the ratio), the dev server
# under load beside 1,000 idle connections (also alone: make bench-server). Prints tables;
# see Benchmarks/RESULTS.md. Python packages go into .build/bench-venv when PyPI is reachable (else the
# Python comparisons are skipped). BENCH_RUNS=5 runs per scenario; BENCH_PEERS=0 skips Jupyter Book.
BENCH_RUNS  ?= 5
BENCH_PEERS ?= 1
BENCH_SCALE ?= 1000
BENCH_VENV   = .build/bench-venv
PYTHON      ?= python3
PIP_QUIET    = --quiet --disable-pip-version-check --retries 1 --timeout 20

bench: tool
	$(SWIFT) build -c release --product learning-bench
	$(SWIFT) build -c release --product markdown-bench
	$(SWIFT) build -c release --product book-bench
	@[ -x /usr/bin/time ] || { [ "$$(id -u)" = "0" ] && apt-get install -y -qq time >/dev/null; } || echo "note: /usr/bin/time missing (apt-get install time)"
	@if ! $(BENCH_VENV)/bin/python -c "import sklearn" 2>/dev/null; then \
	  echo "Installing scikit-learn into $(BENCH_VENV)"; \
	  $(PYTHON) -m venv $(BENCH_VENV) && $(BENCH_VENV)/bin/pip install $(PIP_QUIET) scikit-learn numpy \
	    || echo "note: could not install scikit-learn (no PyPI?); the forest table shows Swift numbers only"; fi
	@if [ "$(BENCH_PEERS)" = "1" ] && [ -x $(BENCH_VENV)/bin/python ] && [ ! -x $(BENCH_VENV)/bin/jupyter-book ]; then \
	  echo "Installing jupyter-book 1.x into $(BENCH_VENV)"; \
	  $(BENCH_VENV)/bin/pip install $(PIP_QUIET) "jupyter-book>=1,<2" ipykernel \
	    || echo "note: could not install jupyter-book; the peer table shows Loopbook only"; fi
	@echo "== machine: $$(nproc) cores, $$(free -g | awk '/Mem:/ {print $$2}') GiB, $$(. /etc/os-release && echo $$PRETTY_NAME), $$($(SWIFT) --version 2>&1 | head -1)"
	@echo "== load before: $$(uptime)"
	$(RELEASE_BIN)/book-bench --runs $(BENCH_RUNS) --peer-runs $(BENCH_RUNS) --scale-chapters $(BENCH_SCALE) \
	  $$( [ "$(BENCH_PEERS)" = "1" ] && [ -x $(BENCH_VENV)/bin/jupyter-book ] && echo --jupyter-book $(BENCH_VENV)/bin/jupyter-book )
	@tmp=$$(mktemp -d) && cp -R Content $$tmp/ && echo "== /usr/bin/time -v loopbook build (cold copy of the book):" && \
	  /usr/bin/time -v $(RELEASE_BIN)/loopbook build --root $$tmp 2>&1 >/dev/null | grep -E "Elapsed|Maximum resident"; rm -rf $$tmp
	$(RELEASE_BIN)/markdown-bench
	$(RELEASE_BIN)/learning-bench --python $(BENCH_VENV)/bin/python
	$(MAKE) bench-server
	@echo "== load after: $$(uptime)"

# The dev server (issue #12): `loopbook serve` on a generated book, SERVER_CLIENTS clients at once making
# SERVER_REQUESTS requests (a new connection each, like `ab -c 200 -n 10000`), alone and beside SERVER_IDLE
# idle connections; BENCH_RUNS runs each; median, p99 and max latency, requests/s, processor use.
SERVER_CLIENTS  ?= 200
SERVER_REQUESTS ?= 10000
SERVER_IDLE     ?= 1000

bench-server: tool
	$(SWIFT) build -c release --product server-bench
	@echo "== load before: $$(uptime)"
	$(RELEASE_BIN)/server-bench --runs $(BENCH_RUNS) --clients $(SERVER_CLIENTS) --requests $(SERVER_REQUESTS) --idle $(SERVER_IDLE)
	@echo "== load after: $$(uptime)"

# make install PREFIX=/usr/local: the tool in PREFIX/bin, and what chapter programs compile and link against
# (libLoopbookKit.so and the swiftmodules of BookModel, Learning and LoopbookRuntime) in PREFIX/lib/loopbook,
# where the tool looks for them (<its folder>/../lib/loopbook). DESTDIR is prepended, for packaging.
# BUILD_CONFIG=debug installs the debug build instead (quicker to build; slower chapters and tool).
PREFIX       ?= /usr/local
BUILD_CONFIG ?= release
INSTALL_LIB   = $(DESTDIR)$(PREFIX)/lib/loopbook
KIT_MODULES   = BookModel ChartSVG Learning LoopbookRuntime

install:
	@if [ "$(BUILD_CONFIG)" = "release" ]; then $(MAKE) tool; else $(SWIFT) build -c $(BUILD_CONFIG) --product loopbook && $(SWIFT) build -c $(BUILD_CONFIG) --product LoopbookKit; fi
	@bin=$$($(SWIFT) build -c $(BUILD_CONFIG) --show-bin-path) && \
	  install -d $(DESTDIR)$(PREFIX)/bin $(INSTALL_LIB)/Modules && \
	  install -m 755 $$bin/loopbook $(DESTDIR)$(PREFIX)/bin/loopbook && \
	  install -m 755 $$bin/libLoopbookKit.so $(INSTALL_LIB)/libLoopbookKit.so && \
	  for m in $(KIT_MODULES); do \
	    for f in $$bin/Modules/$$m.swiftmodule $$bin/Modules/$$m.swiftdoc $$bin/Modules/$$m.swiftsourceinfo; do \
	      [ -e $$f ] && install -m 644 $$f $(INSTALL_LIB)/Modules/; done; \
	    [ -e $(INSTALL_LIB)/Modules/$$m.swiftmodule ] || { echo "error: $$bin/Modules/$$m.swiftmodule is missing" >&2; exit 1; }; \
	  done && \
	  echo "Installed $(DESTDIR)$(PREFIX)/bin/loopbook and $(INSTALL_LIB)/ (libLoopbookKit.so, Modules/)"

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/loopbook
	rm -rf $(INSTALL_LIB)

# Installs into a temporary prefix, then, from a temporary folder outside the repository and without
# LOOPBOOK_LIBRARY_DIR, runs the installed `loopbook init book` and `loopbook build --root book` and checks the
# page shows the first chapter's published value. Run by nothing else (it builds the tool in BUILD_CONFIG).
check-install:
	@prefix=$$(mktemp -d) && work=$$(mktemp -d) && trap 'rm -rf "$$prefix" "$$work"' EXIT && \
	  $(MAKE) --no-print-directory install PREFIX=$$prefix DESTDIR= BUILD_CONFIG=$(BUILD_CONFIG) && \
	  cd $$work && env -u LOOPBOOK_LIBRARY_DIR $$prefix/bin/loopbook init book && \
	  env -u LOOPBOOK_LIBRARY_DIR $$prefix/bin/loopbook build --root book && \
	  grep -q 'The mean score is <strong>78.2</strong>' book/Site/01-first-chapter.html && \
	  echo "check-install: an installed loopbook ($$prefix) started and built a book in $$work"

# make dist: a relocatable bundle, .build/dist/loopbook-<version>-linux-<arch>.tar.gz, byte-reproducible (sorted
# entries, mtime 0, owner 0, gzip without a timestamp). Unpack it anywhere on a machine with the same Swift
# toolchain (chapters are compiled with its swiftc) and run <folder>/bin/loopbook; the tool finds its library
# beside it (bin/../lib/loopbook). check-dist unpacks it in a temporary folder, moves that folder (so nothing
# depends on where it was unpacked), and builds a new book there without the repository.
VERSION   = $(shell sed -n 's/.*static let version = "\(.*\)"/\1/p' Sources/LoopbookCommands/Loopbook.swift)
DIST_NAME = loopbook-$(VERSION)-linux-$(shell uname -m)
DIST_DIR  = .build/dist

dist:
	@rm -rf $(DIST_DIR)/$(DIST_NAME) $(DIST_DIR)/$(DIST_NAME).tar.gz
	@$(MAKE) --no-print-directory install PREFIX=$(abspath $(DIST_DIR))/$(DIST_NAME) DESTDIR= BUILD_CONFIG=release
	@cp README.md $(DIST_DIR)/$(DIST_NAME)/README.md
	@cd $(DIST_DIR) && tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf - $(DIST_NAME) | gzip -n -9 > $(DIST_NAME).tar.gz
	@rm -rf $(DIST_DIR)/$(DIST_NAME)
	@echo "Wrote $(DIST_DIR)/$(DIST_NAME).tar.gz ($$(du -h $(DIST_DIR)/$(DIST_NAME).tar.gz | cut -f1)); sha256 $$(sha256sum $(DIST_DIR)/$(DIST_NAME).tar.gz | cut -c1-16)…"

check-dist: dist
	@work=$$(mktemp -d) && trap 'rm -rf "$$work"' EXIT && \
	  tar -xzf $(DIST_DIR)/$(DIST_NAME).tar.gz -C $$work && mv $$work/$(DIST_NAME) $$work/moved && \
	  cd $$work && env -u LOOPBOOK_LIBRARY_DIR $$work/moved/bin/loopbook init book && \
	  env -u LOOPBOOK_LIBRARY_DIR $$work/moved/bin/loopbook build --root book && \
	  grep -q 'The mean score is <strong>78.2</strong>' book/Site/01-first-chapter.html && \
	  echo "check-dist: the unpacked, moved bundle built a new book in $$work"

clean:
	rm -rf .build
