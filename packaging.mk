# Packages and container image of otelcol-logzio-aws (included by the Makefile).
#   make package        dist/: .deb and .rpm (nfpm), Windows .exe, .msi (wixl) and .zip
#   make test-package   builds them, installs the .deb, checks every package's contents (scripts/package-test.sh)
#   make image          docker build of distributions/otelcol-logzio-aws/Dockerfile (needs a Docker daemon)
# Layout, service management and where config, secrets and state live: distributions/otelcol-logzio-aws/packaging/README.md

# nfpm v2.46.0 and later import go.digitalxero.dev modules that the Go module proxy does not serve: v2.45.2 is the newest
# release that installs here (and builds with Go 1.26.8).
NFPM_VERSION := v2.45.2
IMAGE        ?= $(DIST_NAME):$(shell awk '/^dist:/ { d = 1; next } /^[^ #]/ { d = 0 } d && $$1 == "version:" { print $$2; exit }' builder-config.yaml)
DOCKER       ?= docker

.PHONY: package package-linux package-windows image test-package

$(BIN)/nfpm:
	$(GO) install github.com/goreleaser/nfpm/v2/cmd/nfpm@$(NFPM_VERSION)

## package: every package into dist/ (.deb, .rpm, Windows .exe, .msi and .zip)
package: package-linux package-windows

## package-linux: dist/*.deb and dist/*.rpm
package-linux: build $(BIN)/nfpm
	scripts/package-linux.sh

## package-windows: dist/windows_amd64/otelcol-logzio-aws.exe, dist/*.msi (wixl, from apt's wixl) and dist/*.zip
package-windows: build
	DIST_GOTOOLCHAIN=$(DIST_GOTOOLCHAIN) scripts/package-windows.sh

## test-package: build the packages, install/validate/purge the .deb, inspect the .rpm, .msi, .zip and the image's files
test-package: package
	scripts/package-test.sh --no-build

## image: the container image (distroless, non-root) from bin/otelcol-logzio-aws; needs a running Docker daemon with
## BuildKit (buildx), which reads distributions/otelcol-logzio-aws/Dockerfile.dockerignore (the legacy builder would not)
image: build
	DOCKER_BUILDKIT=1 $(DOCKER) build -f distributions/$(DIST_NAME)/Dockerfile -t $(IMAGE) .
	@echo "built image $(IMAGE)"
