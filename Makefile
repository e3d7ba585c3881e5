# A thin wrapper over CMake for the two commands of the README.
#   make demo   installs what is missing, builds, narrates the sample into sample.wav, plays it
#   make test   installs what is missing, builds (also with ASan+UBSan), runs the whole suite,
#               then again under valgrind memcheck, then every fuzz target for FUZZ_SECONDS
#   make bench  builds and runs the benchmarks
JOBS  ?= $(shell nproc 2>/dev/null || echo 2)
BUILD ?= build
ASAN  ?= build-asan
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 60

.PHONY: all deps build demo test test-asan test-plain test-valgrind test-fuzz bench format clean

all: build

deps:
	@./scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD) -DNARRATE_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	./$(BUILD)/narrate -o sample.wav
	@soxi sample.wav 2>/dev/null | grep -E 'Duration|Sample Rate' || true
	@if [ -n "$$(./$(BUILD)/narrate --list-devices 2>/dev/null)" ]; then \
	  echo "Playing sample.wav"; play -q sample.wav 2>/dev/null || echo "(could not play sample.wav)"; \
	else echo "No audio output device: sample.wav is ready to copy or play elsewhere."; fi

test-plain: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-asan: deps
	cmake -S . -B $(ASAN) -DNARRATE_WERROR=ON -DNARRATE_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
	cmake --build $(ASAN) -j $(JOBS)
	cd $(ASAN) && ctest --output-on-failure -j $(JOBS)

# Unit and end-to-end tests under valgrind memcheck: any error or byte
# definitely lost fails (tests/valgrind.sh; big inputs scaled down, signals
# sent once the export is under way, a fixed sample of the segmentation
# cases). Every unit test and every end-to-end script runs, but e2e_live:
# its pseudo-terminal session checks real-time behaviour (latency of keys,
# no underrun at 800 wpm), which a program slowed 20-50 times by valgrind
# cannot show; it runs in the plain build, and its live paths (player,
# device, keys) run under valgrind through test_player and e2e_cli.
VALGRIND_UNITS ?=
VALGRIND_E2E   ?= e2e_cli e2e_hostile e2e_ingest e2e_install e2e_jobs e2e_podcast \
                  e2e_segmentation e2e_speakers
test-valgrind: build
	VALGRIND_UNITS="$(VALGRIND_UNITS)" VALGRIND_E2E="$(VALGRIND_E2E)" ./tests/valgrind.sh $(BUILD)

# Every libFuzzer target (clang, ASan+UBSan) for FUZZ_SECONDS each.
test-fuzz: deps
	FUZZ_BUILD=$(FUZZ_BUILD) FUZZ_JOBS=$(JOBS) ./fuzz/run.sh $(FUZZ_SECONDS)

test: test-plain test-asan test-valgrind test-fuzz

bench: build
	cmake --build $(BUILD) --target bench

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN) $(FUZZ_BUILD) sample.wav
