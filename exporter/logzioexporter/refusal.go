// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package logzioexporter // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/exporter/logzioexporter"

import (
	"sync"
	"sync/atomic"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componentstatus"
	"go.opentelemetry.io/collector/consumer/consumererror"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/pipelineerr"
)

// refusal handles the listener refusing everything (401, 403, 404, 3xx: configuration errors).
//
// What the error becomes depends on who waits for the result. When the caller does (no sending queue, or one with
// wait_for_result: true), the error is returned permanent: the exporter helpers do not retry it, and a receiver that
// can replay (cloudtrails3: the object stays unread, the SQS message becomes visible again) keeps the data and tries
// again with backoff until the configuration is fixed. When nobody waits (a queue that acknowledged the data on
// enqueue), a permanent error would make the queue drop the batch: the error stays retryable instead, and
// retry_on_failure keeps the batch for as long as its max_elapsed_time allows.
//
// It also reports the exporter's component status: RecoverableError while the listener refuses, OK again after the
// first delivery, so that a health check following component status shows a wrong token.
type refusal struct {
	sourceWaits bool
	refusing    atomic.Bool

	mu   sync.Mutex
	host component.Host
}

// sourceWaits reports whether the caller of the exporter waits for each send's result.
func sourceWaits(cfg *Config) bool {
	return !cfg.QueueConfig.HasValue() || cfg.QueueConfig.Get().WaitForResult
}

func (r *refusal) start(host component.Host) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.host = host
}

// classify returns err as the exporter helper must see it; for a configuration error it also reports the status.
func (r *refusal) classify(err error) error {
	if !pipelineerr.IsConfiguration(err) {
		return err
	}
	r.refusing.Store(true)
	r.report(componentstatus.NewRecoverableErrorEvent(err))
	if r.sourceWaits {
		return consumererror.NewPermanent(err)
	}
	return err
}

// delivered is called after the listener accepted a request: the status is OK again.
func (r *refusal) delivered() {
	if r.refusing.CompareAndSwap(true, false) {
		r.report(componentstatus.NewEvent(componentstatus.StatusOK))
	}
}

func (r *refusal) report(ev *componentstatus.Event) {
	r.mu.Lock()
	host := r.host
	r.mu.Unlock()
	if host != nil {
		componentstatus.ReportStatus(host, ev)
	}
}
