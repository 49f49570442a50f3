# Muster — see README.md. `make run` starts the whole platform; `make test` runs every test.
SHELL := /bin/bash

.PHONY: run test test-deploy build release deps clean bench image

run:
	@deploy/dev/run.sh

test:
	@deploy/dev/test.sh $(ARGS)

# The manifests, Containerfile and their checks only (seconds; also part of `make test`).
test-deploy:
	@deploy/dev/test-deploy.sh

# The container image (Containerfile), with whichever builder is installed.
# IMAGE=… names it; BUILD_ARGS='--build-arg SWIFT_IMAGE=…' picks other base images.
image:
	@builder=$$(command -v podman || command -v buildah || command -v docker) \
	  || { echo "make image: needs podman, buildah or docker" >&2; exit 1; }; \
	$$builder build $(BUILD_ARGS) -f Containerfile -t $${IMAGE:-localhost/muster:dev} .

deps:
	@deploy/dev/install-deps.sh

build: deps
	swift build

release: deps
	swift build -c release

clean:
	rm -rf .build
