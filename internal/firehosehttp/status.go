// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosehttp // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosehttp"

import (
	"sync"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componentstatus"
)

// statusReporter tells the collector's component status (read by the health_check extension with the
// extension.healthcheck.useComponentStatus feature gate) how the endpoint is doing:
//
//   - it cannot listen: Start returns the error (the collector does not start);
//   - listening: StatusOK;
//   - the server stops serving on its own (not through Shutdown): FatalError, the collector shuts down.
//
// It remembers the last status and reports only changes; after stop it reports nothing (the collector reports
// Stopping and Stopped itself).
type statusReporter struct {
	mu      sync.Mutex
	host    component.Host
	last    componentstatus.Status
	stopped bool
}

func (s *statusReporter) start(host component.Host) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.host = host
}

func (s *statusReporter) report(ev *componentstatus.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.host == nil || s.stopped || ev.Status() == s.last {
		return
	}
	s.last = ev.Status()
	componentstatus.ReportStatus(s.host, ev)
}

func (s *statusReporter) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopped = true
}
