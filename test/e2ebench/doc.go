// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Package e2ebench measures the CloudTrail path as users meet it: the real binary with the shipped configuration
// (distributions/otelcol-logzio-aws/config.yaml, only its connection settings pointed at local servers), reading a
// local S3 server (versitygw) and sending to a Logz.io stand-in, beside the receiver alone (debug exporter), in one
// run; with the receiver's pass_through on (as shipped) and off, a listener far away, and gzip level 1. It reports
// records per CPU-second of the collector process and its peak RSS for two data shapes, the CPU time of the test
// process itself (mostly the stand-in, which shares the collector's cores), and the bytes sent to the stand-in per
// record (gzip: what the level costs on the wire). It is a measurement, not a timed test: run it with
// `make bench-e2e`; plain `go test` skips it.
//
// E2E_ONLY (a regular expression on "<shape> <variant>") picks runs; E2E_REPEAT=N runs the selected variants N times,
// in rounds, and reports the median run with the range of records per CPU-second (on a shared or noisy machine one
// run can be 10-20 % off).
package e2ebench // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/test/e2ebench"
