# Muster — see README.md. `make run` starts the whole platform; `make test` runs every test.
SHELL := /bin/bash

.PHONY: run test build release deps clean bench

run:
	@deploy/dev/run.sh

test:
	@deploy/dev/test.sh $(ARGS)

deps:
	@deploy/dev/install-deps.sh

build: deps
	swift build

release: deps
	swift build -c release

clean:
	rm -rf .build
