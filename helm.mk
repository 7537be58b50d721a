# Helm chart of otelcol-logzio-aws (distributions/helm; included by the Makefile, which defines GO, BIN and ROOT).
#   make test-helm   helm lint --strict with each mode's sample values, then the chart's Go test (helm template of
#                    every mode, strict decoding, cross-checks, `otelcol-logzio-aws validate` of each rendered config)
#
# helm is installed into bin/ through the Go module proxy like the other tools: v4.3.2, or v3.21.4 where v4 does not
# install. The Go test finds it through HELM (default bin/helm) and the collector through OTELCOL_BIN (default
# bin/otelcol-logzio-aws, from `make build`); without them it skips, unless CI is set.

HELM_VERSION          := v4.3.2
HELM_FALLBACK_VERSION := v3.21.4
HELM_CHART            := distributions/helm/otelcol-logzio-aws
HELM_TESTDATA         := distributions/helm/testdata

.PHONY: test-helm

$(BIN)/helm:
	GOBIN=$(BIN) $(GO) install helm.sh/helm/v4/cmd/helm@$(HELM_VERSION) || \
	  GOBIN=$(BIN) $(GO) install helm.sh/helm/v3/cmd/helm@$(HELM_FALLBACK_VERSION)

# `go test ./...` includes the chart's test, which needs helm (and fails without it under CI).
test-go: $(BIN)/helm

## test-helm: helm lint --strict for every mode's sample values, then go test ./distributions/helm/...
test-helm: $(BIN)/helm
	@for values in $(HELM_TESTDATA)/*.yaml; do \
	  echo "helm lint --strict $(HELM_CHART) --values $$values"; \
	  $(BIN)/helm lint --strict $(HELM_CHART) --values "$$values" --namespace logging; \
	done
	HELM=$(BIN)/helm OTELCOL_BIN=$(DIST_BIN) $(GO) test -count=1 $(GOTESTFLAGS) ./distributions/helm/...
