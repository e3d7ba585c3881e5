# A thin wrapper over CMake for the two commands of the README.
#   make demo   installs what is missing, builds, narrates the sample into sample.wav, plays it
#   make test   installs what is missing, builds (also with ASan+UBSan), runs the whole suite
#   make bench  builds and runs the benchmarks
JOBS  ?= $(shell nproc 2>/dev/null || echo 2)
BUILD ?= build
ASAN  ?= build-asan

.PHONY: all deps build demo test test-asan test-plain bench format clean

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

test: test-plain test-asan

bench: build
	cmake --build $(BUILD) --target bench

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN) sample.wav
