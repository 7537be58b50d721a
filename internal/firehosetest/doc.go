// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Package firehosetest is test support shared by the Firehose receivers' tests (firehoselogs and firehosemetrics):
// building Firehose request bodies, posting them, checking the Firehose answer contract, reading the receivers' own
// metrics and loading their test configurations. It is imported only by tests.
package firehosetest // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosetest"
