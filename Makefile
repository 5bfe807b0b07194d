# The README's two commands: `make run` and `make test`. Both install what is missing first.
SWIFT       ?= swift
PEERSCOPE   := .build/debug/peerscope
SAMPLE      ?= captures/lab/frr-bird-failover.pcap
IS_ROOT     := $(shell [ "$$(id -u)" = 0 ] && echo yes)

.PHONY: all setup setup-lab setup-report report-screenshot build release run test unit-test lab-verify lab-regen bench fuzz-smoke clean

all: build

setup:
	@tools/setup

setup-lab:
	@tools/setup --lab

setup-report:
	@tools/setup --report || { [ "$$(id -u)" != 0 ] && echo "setup-report: without Chromium and html5lib the report's browser tests are skipped"; }

## report-screenshot: regenerate docs/report.png (the README's picture) from a lab capture.
report-screenshot: build
	PEERSCOPE=$(PEERSCOPE) tools/report/screenshot

build: setup
	$(SWIFT) build --product peerscope

release: setup
	$(SWIFT) build -c release --product peerscope

## run: build, then check a bundled capture: real FRR and BIRD, a link cut, the failover chain.
## (check exits 1 when it finds a MUST-level violation, as it does here: that is its answer, not an error.)
run: build
	$(PEERSCOPE) check $(SAMPLE) || [ $$? -eq 1 ]

## test: unit, differential (tshark) and CLI tests, then the lab's manifest facts on the committed
## captures; as root with the lab daemons present, two lab scenarios are also regenerated and checked.
## The report's browser tests (ReportBrowserTests) run in headless Chromium, which setup-report
## installs as root; without it they are skipped.
test: setup setup-report
	$(SWIFT) build --product peerscope
	$(SWIFT) test
	@$(MAKE) --no-print-directory lab-verify
ifeq ($(IS_ROOT),yes)
	@$(MAKE) --no-print-directory lab-regen
endif

unit-test: setup
	$(SWIFT) test

lab-verify:
	@if [ -x tools/lab/verify ] && ls captures/lab/*.json >/dev/null 2>&1; then \
	  PEERSCOPE=$(PEERSCOPE) tools/lab/verify captures/lab/*.json; \
	else echo "lab-verify: no lab manifests yet"; fi

## lab-regen: run the CI scenarios fresh (root) and check their facts; certify FRR and BIRD with
## peerscope probe against conformance/probes/expected; flood peerscope respond with hostile BFD and BGP
## (tools/lab/hostile); watch a link cut with peerscope live (tools/lab/live); check that nothing is
## left behind.
lab-regen: setup-lab
	@if [ -x tools/lab/run ]; then \
	  out=$$(mktemp -d /tmp/peerscope-lab.XXXXXX); \
	  tools/lab/run frr-bird-v4 frr-bird-failover frr-bird-failover-3 gobgp-gobgp-families gobgp-frr-families --out $$out && \
	  PEERSCOPE=$(PEERSCOPE) tools/lab/verify $$out/frr-bird-v4.json $$out/frr-bird-failover.json $$out/frr-bird-failover-3.json \
	    $$out/gobgp-gobgp-families.json $$out/gobgp-frr-families.json; \
	  status=$$?; \
	  for dut in frr frr-multihop bird bird-auth self-v6 self-multihop; do \
	    PEERSCOPE=$(PEERSCOPE) tools/lab/probe $$dut --out $$out --check || status=1; \
	  done; \
	  rm -rf $$out; \
	  PEERSCOPE=$(PEERSCOPE) tools/lab/hostile || status=1; \
	  PEERSCOPE=$(PEERSCOPE) tools/lab/live || status=1; \
	  if [ -x tools/lab/test-cleanup ]; then tools/lab/test-cleanup || status=1; fi; \
	  exit $$status; \
	else echo "lab-regen: tools/lab/run not present yet"; fi

bench: setup
	tools/bench/run

## fuzz-smoke: every libFuzzer target (Fuzz/) for FUZZ_SECONDS each on its corpus; a crash fails.
FUZZ_SECONDS ?= 10
fuzz-smoke: setup
	tools/fuzz/run --all $(FUZZ_SECONDS)

clean:
	rm -rf .build
