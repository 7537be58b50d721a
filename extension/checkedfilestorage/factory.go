// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Package checkedfilestorage provides the file_storage extension of this distribution: contrib's file_storage with
// each bbolt file checked (internal/bboltcheck) before contrib opens it. Its configuration is contrib's, unchanged.
package checkedfilestorage // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/extension/checkedfilestorage"

import (
	"context"
	"fmt"

	"github.com/open-telemetry/opentelemetry-collector-contrib/extension/storage/filestorage"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/extension"
	"go.opentelemetry.io/collector/extension/xextension/storage"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/extension/checkedfilestorage/internal/metadata"
)

// NewFactory returns the factory of the file_storage extension.
func NewFactory() extension.Factory {
	contrib := filestorage.NewFactory()
	return extension.NewFactory(
		metadata.Type,
		contrib.CreateDefaultConfig,
		func(ctx context.Context, set extension.Settings, cfg component.Config) (extension.Extension, error) {
			return createExtension(ctx, set, cfg, contrib)
		},
		metadata.ExtensionStability,
	)
}

func createExtension(ctx context.Context, set extension.Settings, cfg component.Config, contrib extension.Factory) (extension.Extension, error) {
	ext, err := contrib.Create(ctx, set, cfg)
	if err != nil {
		return nil, err
	}
	inner, ok := ext.(storage.Extension)
	if !ok {
		return nil, fmt.Errorf("contrib's file_storage extension is not a storage extension (%T)", ext)
	}
	c := cfg.(*filestorage.Config)
	return &checkedStorage{Extension: inner, directory: c.Directory, recreate: c.Recreate, logger: set.Logger}, nil
}
