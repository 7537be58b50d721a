// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Hand-written in mdatagen's shape: cmd/mdatagen cannot be built from the Go module proxy at v0.161.0 (it needs
// go.opentelemetry.io/collector/internal/schemagen, refused). internal/metadatacheck checks it against metadata.yaml.

// Package metadata contains the build information for the checked file_storage extension.
package metadata // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/extension/checkedfilestorage/internal/metadata"

import (
	"go.opentelemetry.io/collector/component"
)

var (
	Type      = component.MustNewType("file_storage")
	ScopeName = "github.com/otelcol-logzio-aws/otelcol-logzio-aws/extension/checkedfilestorage"
)

const (
	ExtensionStability = component.StabilityLevelBeta
)
