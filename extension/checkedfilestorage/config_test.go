// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package checkedfilestorage

import (
	"path/filepath"
	"testing"

	"github.com/open-telemetry/opentelemetry-collector-contrib/extension/storage/filestorage"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"
)

// TestConfigIsContribs: testdata/config.yaml decodes into contrib's Config and validates, defaults included.
func TestConfigIsContribs(t *testing.T) {
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []component.ID{component.MustNewID("file_storage"), component.MustNewIDWithName("file_storage", "checkpoints")} {
		sub, err := cm.Sub(id.String())
		if err != nil {
			t.Fatal(err)
		}
		cfg := NewFactory().CreateDefaultConfig()
		if err := sub.Unmarshal(cfg); err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		if err := confmap.Validate(cfg); err != nil && id.Name() == "checkpoints" {
			t.Fatalf("%s: %v", id, err)
		}
		if id.Name() == "checkpoints" {
			c := cfg.(*filestorage.Config)
			if c.Directory != "/var/lib/otelcol-logzio-aws" || !c.Recreate || !c.CreateDirectory {
				t.Fatalf("decoded %+v", c)
			}
		}
	}
}
