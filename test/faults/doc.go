// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Package faults is the fault suite: it runs the real distribution binary (bin/otelcol-logzio-aws, built by
// `make build`) against real peers (moto_server for S3, an in-process Logz.io listener that counts documents by
// eventID) and injects faults — kill -9 during ingestion, listener outages, S3 errors through a fault-injecting proxy,
// bad objects, Firehose abuse — then reports, per scenario, how many records were sent, received, lost and duplicated
// and the collector's peak RSS. Every scenario runs with tokens and keys set to unique marker strings and asserts
// that no marker appears in the collector's logs or in its own telemetry.
//
// Two sizes, chosen with FAULTS_SCALE: "short" (the default, what `go test ./...` and `make test` run, about two
// minutes) and "full" (`make faults`: 2,000 files and 100,000 records, 5 kills, 2-minute outages). The table is
// printed and written to build/faults/faults-<scale>.md.
package faults // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/test/faults"
