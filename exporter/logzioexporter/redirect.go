// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package logzioexporter // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/exporter/logzioexporter"

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"go.uber.org/zap"
)

// Redirects are never followed. Following one would send the records to another host, and with them the token:
// the log listener's URL carries it as a query parameter (Go's client also sends that URL as Referer) and remote
// write carries it in the Authorization header. A Logz.io listener does not redirect, so a 3xx answer means that
// region or an endpoint setting points somewhere else: it is a configuration error.

// refuseRedirects is the CheckRedirect of every HTTP client the exporter builds: the 3xx answer itself is returned
// to the exporter, and no request is made to its Location.
func refuseRedirects(*http.Request, []*http.Request) error {
	return http.ErrUseLastResponse
}

func isRedirectStatus(status int) bool {
	return status >= 300 && status < 400
}

// redirectError is the permanent error for a 3xx answer. It names the host of the Location only: never its path or
// query, which could carry the token back.
func redirectError(listener, setting string, status int, header http.Header) error {
	return configurationError(fmt.Errorf(
		"the Logz.io %s listener answered HTTP %d, a redirect to %s, which is not followed so that the token and the data never go elsewhere: check region and %s (it must be the listener's own URL, e.g. https://listener-eu.logz.io:%s); nothing was delivered",
		listener, status, locationHost(header), setting, portOf(setting)))
}

func portOf(setting string) string {
	if strings.HasPrefix(setting, "metrics") {
		return metricsPort
	}
	return logsPort
}

// locationHost describes where a redirect points: the host (and port) of its Location, quoted.
func locationHost(header http.Header) string {
	location := header.Get("Location")
	if location == "" {
		return "nowhere (no Location header)"
	}
	u, err := url.Parse(location)
	if err != nil {
		return "an unparsable Location"
	}
	if u.Host == "" {
		return "another path on the same host"
	}
	return fmt.Sprintf("host %q", u.Host)
}

// redirectReport logs the redirect configuration error once per exporter: every batch fails with the same error
// (exporterhelper reports each one), the explanation is only worth reading once.
type redirectReport struct {
	once sync.Once
}

func (r *redirectReport) log(logger *zap.Logger, err error) {
	r.once.Do(func() {
		logger.Error("A Logz.io listener answered with a redirect; redirects are never followed and nothing is delivered until the configuration is fixed",
			zap.Error(err))
	})
}
