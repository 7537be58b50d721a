// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Hand-written in mdatagen's shape: cmd/mdatagen cannot be built from the Go module proxy at v0.161.0 (it needs
// go.opentelemetry.io/collector/internal/schemagen, refused). internal/metadatacheck checks it against metadata.yaml.

// Package metadata contains the telemetry and build information for the firehoselogs receiver.
package metadata // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehoselogsreceiver/internal/metadata"

import (
	"go.opentelemetry.io/collector/component"
)

var (
	Type      = component.MustNewType("firehoselogs")
	ScopeName = "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehoselogsreceiver"
)

const (
	LogsStability = component.StabilityLevelAlpha
)
