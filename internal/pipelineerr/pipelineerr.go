// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Package pipelineerr tells a configuration error apart from a data error between the exporter and the receivers.
//
// Both are permanent for the collector's helpers (resending the same request cannot succeed), but they ask for
// opposite handling by a source that can replay: a data error (a record the listener can never accept) is dropped
// and counted, so the rest flows; a configuration error (a wrong or revoked token, a wrong endpoint, a redirect) means
// that nothing can be delivered until an operator changes the configuration, so dropping would silently lose
// everything read meanwhile. The source keeps such data unacknowledged (the S3 object unread, the SQS message
// visible again, Firehose answered with a retryable status) and tries again with backoff.
package pipelineerr // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/pipelineerr"

import "errors"

// configurationError marks an error that only a configuration change can cure.
type configurationError struct{ err error }

func (e configurationError) Error() string { return e.err.Error() }
func (e configurationError) Unwrap() error { return e.err }

// Configuration marks err as a configuration error. Wrap the result in consumererror.NewPermanent so that the
// exporter helpers do not retry it themselves: the source, which can keep the data, does.
func Configuration(err error) error {
	if err == nil {
		return nil
	}
	return configurationError{err: err}
}

// IsConfiguration reports whether err, or an error it wraps, was marked by Configuration.
func IsConfiguration(err error) bool {
	var c configurationError
	return errors.As(err, &c)
}
