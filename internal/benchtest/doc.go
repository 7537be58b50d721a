// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Package benchtest is support for tests and benchmarks that measure a path to Logz.io inside one process: the real
// logzio exporter without queue and retries, a listener that discards what it receives, and the process's CPU time.
package benchtest // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/benchtest"
