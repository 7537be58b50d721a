// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package metricstream

import (
	"errors"
	"fmt"
	"strings"
)

// Format is the CloudWatch metric stream output format of the records.
type Format string

const (
	// FormatAuto detects the format of every record: JSON when it starts with "{", OpenTelemetry otherwise, and
	// OpenTelemetry 0.7 or 1.0 per message from how the data points carry their attributes.
	FormatAuto Format = "auto"
	// FormatJSON is the "json" stream output format: newline-delimited JSON objects, one per data point.
	FormatJSON Format = "json"
	// FormatOTel07 is the "opentelemetry0.7" stream output format (data-point labels in field 1).
	FormatOTel07 Format = "opentelemetry0.7"
	// FormatOTel10 is the "opentelemetry1.0" stream output format (data-point attributes in field 7).
	FormatOTel10 Format = "opentelemetry1.0"
)

// Naming selects the shape of the produced metrics.
type Naming string

const (
	// NamingLogzio produces the series of Logz.io's hosted metric-stream endpoint: one gauge per statistic named
	// aws_<namespace>_<metric>_{sum,count,min,max} plus percentile gauges with a quantile label.
	NamingLogzio Naming = "logzio"
	// NamingOTel keeps the OpenTelemetry shape of the stream: one summary named amazonaws.com/<Namespace>/<MetricName>.
	NamingOTel Naming = "otel"
)

// AllNamespaces in Options.Namespaces accepts every namespace.
const AllNamespaces = "all-namespaces"

// DefaultLogzioName is the p8s_logzio_name label value used when neither the request's common attributes nor
// Options.LogzioName provide one (the hosted endpoint's default).
const DefaultLogzioName = "logzio-otlp-metrics-stream"

// Options configures a Decoder. The zero value is valid: auto-detected format, Logz.io naming, all namespaces.
type Options struct {
	// Format of the records; empty means FormatAuto.
	Format Format
	// Naming of the produced metrics; empty means NamingLogzio.
	Naming Naming
	// Namespaces to keep: empty, or containing "all-namespaces", keeps all; otherwise exact, case-sensitive AWS
	// namespaces such as "AWS/EC2". Data points of other namespaces are dropped and counted.
	Namespaces []string
	// LogzioName is the p8s_logzio_name label used when the request's common attributes have no P8S_LOGZIO_NAME key
	// (looked up case-insensitively). Empty means DefaultLogzioName. Only used with NamingLogzio.
	LogzioName string
}

// Validate checks the options and says which value to fix.
func (o Options) Validate() error {
	var errs []error
	switch o.Format {
	case "", FormatAuto, FormatJSON, FormatOTel07, FormatOTel10:
	default:
		errs = append(errs, fmt.Errorf("format %q is not supported: use one of %q, %q, %q, %q",
			o.Format, FormatAuto, FormatJSON, FormatOTel07, FormatOTel10))
	}
	switch o.Naming {
	case "", NamingLogzio, NamingOTel:
	default:
		errs = append(errs, fmt.Errorf("naming %q is not supported: use %q or %q", o.Naming, NamingLogzio, NamingOTel))
	}
	for i, ns := range o.Namespaces {
		if ns == "" {
			errs = append(errs, fmt.Errorf("namespaces[%d] is empty: give an AWS namespace such as \"AWS/EC2\" or %q", i, AllNamespaces))
		} else if strings.TrimSpace(ns) != ns {
			errs = append(errs, fmt.Errorf("namespaces[%d] %q has leading or trailing spaces: namespaces match exactly", i, ns))
		}
	}
	return errors.Join(errs...)
}

func (o Options) format() Format {
	if o.Format == "" {
		return FormatAuto
	}
	return o.Format
}

func (o Options) naming() Naming {
	if o.Naming == "" {
		return NamingLogzio
	}
	return o.Naming
}

// namespaceSet returns nil when every namespace is accepted.
func (o Options) namespaceSet() map[string]struct{} {
	if len(o.Namespaces) == 0 {
		return nil
	}
	set := make(map[string]struct{}, len(o.Namespaces))
	for _, ns := range o.Namespaces {
		if ns == AllNamespaces {
			return nil
		}
		set[ns] = struct{}{}
	}
	return set
}
