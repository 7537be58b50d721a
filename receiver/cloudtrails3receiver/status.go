// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver"

import (
	"fmt"
	"sync"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componentstatus"
)

// transientFailuresBeforeError is how many times in a row one source (a listing, ReceiveMessage, setting up the
// clients) must fail with a transient error — throttling, 5xx, connection errors, each already retried by the SDK —
// before the receiver reports a RecoverableError: three polls (or receives) ride out a short S3 or SQS incident.
const transientFailuresBeforeError = 3

// Sources of the receiver's status besides the account/region folders, which are keyed by their key prefix.
const (
	sourceDiscovery = "discovery"      // the delimiter listings under <prefix>AWSLogs/
	sourceConnect   = "client set-up"  // building the S3 client (GetBucketLocation), or the SQS and S3 clients
	sourceReceive   = "ReceiveMessage" // SQS mode
)

// statusTracker turns the successes and failures the receiver meets into component status (componentstatus, read by
// the health_check extension with the extension.healthcheck.useComponentStatus feature gate):
//
//   - a source failing for a reason only a person can fix — access denied (403: a missing permission, wrong or
//     expired credentials), the bucket or the queue missing — makes the receiver RecoverableError at once, with an
//     error that says what to fix. Recoverable, not permanent: the receiver keeps trying and a fix takes effect
//     without a restart;
//   - a source failing transiently makes it RecoverableError once it failed transientFailuresBeforeError times in a
//     row;
//   - StatusOK again once every failing source succeeded.
//
// Only changes are reported: the health_check extension counts recovery_duration from the first RecoverableError, so
// repeating it on every poll would keep an unhealthy receiver looking healthy.
type statusTracker struct {
	report func(*componentstatus.Event) // nil until the receiver starts: nothing is reported

	mu       sync.Mutex
	failing  map[string]*sourceFailure
	order    []string // failing sources, oldest first: the error reported is the oldest one's
	reported componentstatus.Status
	stopped  bool
}

type sourceFailure struct {
	err      error
	streak   int  // failures in a row
	needsFix bool // access denied, bucket or queue missing
}

func newStatusTracker() *statusTracker {
	// The collector reports StatusOK once Start returned; the tracker starts from there.
	return &statusTracker{failing: map[string]*sourceFailure{}, reported: componentstatus.StatusOK}
}

// start makes the tracker report to host (a host without component status, as in unit tests, ignores the events).
func (s *statusTracker) start(host component.Host) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.report = func(ev *componentstatus.Event) { componentstatus.ReportStatus(host, ev) }
}

// stop reports nothing more: the collector reports Stopping and Stopped itself, and a late event would replace them.
func (s *statusTracker) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopped = true
}

// failed records a failure of source; err says what failed and what to do.
func (s *statusTracker) failed(source string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.failing[source]
	if !ok {
		f = &sourceFailure{}
		s.failing[source] = f
		s.order = append(s.order, source)
	}
	f.err, f.needsFix = err, needsFix(err)
	f.streak++
	s.update()
}

// succeeded records that source works (again).
func (s *statusTracker) succeeded(source string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.failing[source]; !ok {
		return
	}
	delete(s.failing, source)
	for i, o := range s.order {
		if o == source {
			s.order = append(s.order[:i], s.order[i+1:]...)
			break
		}
	}
	s.update()
}

// update reports the status when it changed. Called with s.mu held.
func (s *statusTracker) update() {
	cause := s.cause()
	switch {
	case s.stopped || s.report == nil:
		return
	case cause != nil && s.reported != componentstatus.StatusRecoverableError:
		s.reported = componentstatus.StatusRecoverableError
		s.report(componentstatus.NewRecoverableErrorEvent(cause))
	case cause == nil && s.reported != componentstatus.StatusOK:
		s.reported = componentstatus.StatusOK
		s.report(componentstatus.NewEvent(componentstatus.StatusOK))
	}
}

// cause is the error of the oldest failing source that counts (nil when none does). Called with s.mu held.
func (s *statusTracker) cause() error {
	for _, source := range s.order {
		f := s.failing[source]
		switch {
		case f.needsFix:
			return f.err
		case f.streak >= transientFailuresBeforeError:
			return fmt.Errorf("%w (failed %d times in a row after the AWS SDK's retries; still retrying)", f.err, f.streak)
		}
	}
	return nil
}

// needsFix tells the failures that retrying alone does not cure: the credentials or the policies must change, or the
// bucket or queue must be created (or the configuration corrected).
func needsFix(err error) bool {
	return isAccessDenied(err) || isNoSuchBucket(err) || isQueueMissing(err)
}
