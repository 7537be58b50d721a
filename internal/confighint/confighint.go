// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Package confighint answers option names that users bring from other components (contrib's awss3receiver,
// awsfirehosereceiver) with this component's names, where confmap alone would only report "invalid keys".
package confighint // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/confighint"

import (
	"errors"

	"go.opentelemetry.io/collector/confmap"
)

// Hint is an option name from another component and what to write instead.
type Hint struct {
	Name, Message string
}

// Check returns one error per hint whose option is set in conf, joined; nil when none is.
func Check(conf *confmap.Conf, hints []Hint) error {
	var errs []error
	for _, h := range hints {
		if conf.IsSet(h.Name) {
			errs = append(errs, errors.New(h.Message))
		}
	}
	return errors.Join(errs...)
}
