# Loopbook: two commands for a newcomer.
#   make site   build the tool in release and build the book into Site/
#   make test   run every test
SWIFT       ?= swift
APT_PACKAGES = libcmark-gfm-dev libcmark-gfm-extensions-dev chromium
RELEASE_BIN  = .build/release

.PHONY: site test check-site deps tool bench clean

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
test: deps
	$(SWIFT) build --product LoopbookKit
	$(SWIFT) test
	$(MAKE) check-site

check-site: tool
	$(RELEASE_BIN)/loopbook check

bench: tool
	$(SWIFT) build -c release --product learning-bench
	$(RELEASE_BIN)/learning-bench

clean:
	rm -rf .build
