// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package checkedfilestorage

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/open-telemetry/opentelemetry-collector-contrib/extension/storage/filestorage"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/extension"
	"go.opentelemetry.io/collector/extension/extensiontest"
	"go.opentelemetry.io/collector/extension/xextension/storage"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"
)

var (
	receiverID = component.MustNewIDWithName("cloudtrails3", "org")
	exporterID = component.MustNewID("logzio")
)

// start creates and starts the extension on dir, with its log recorded.
func start(t *testing.T, dir string, recreate bool) (storage.Extension, *observer.ObservedLogs) {
	t.Helper()
	factory := NewFactory()
	cfg := factory.CreateDefaultConfig().(*filestorage.Config)
	cfg.Directory, cfg.Recreate = dir, recreate
	cfg.Compaction.Directory = dir
	core, logs := observer.New(zap.InfoLevel)
	set := extensiontest.NewNopSettings(factory.Type())
	set.Logger = zap.New(core)
	ext, err := factory.Create(context.Background(), set, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := ext.Start(context.Background(), componenttest.NewNopHost()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ext.Shutdown(context.Background()) })
	return ext.(storage.Extension), logs
}

// writeState stores a value through a client and closes it, leaving a file like the receiver's.
func writeState(t *testing.T, ext storage.Extension) {
	t.Helper()
	client, err := ext.GetClient(context.Background(), component.KindReceiver, receiverID, "")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 200; i++ {
		if err := client.Set(context.Background(), "position/"+strings.Repeat("x", i), []byte(strings.Repeat("v", 500))); err != nil {
			t.Fatal(err)
		}
	}
	if err := client.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func receiverFile(dir string) string {
	plain, _ := fileNames(component.KindReceiver, receiverID, "")
	return filepath.Join(dir, plain)
}

// zeroAfterMeta zeroes every page after the two meta pages: the tree's pages then identify as page 0, on which
// bbolt panics in a goroutine of its own.
func zeroAfterMeta(t *testing.T, path string) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	ps := int64(os.Getpagesize())
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(make([]byte, info.Size()-2*ps), 2*ps); err != nil {
		t.Fatal(err)
	}
}

func TestFileNamesMatchContrib(t *testing.T) {
	dir := t.TempDir()
	ext, _ := start(t, dir, false)
	cases := []struct {
		kind component.Kind
		id   component.ID
		name string
	}{
		{component.KindReceiver, receiverID, ""},
		{component.KindExporter, exporterID, "logs"},
		{component.KindReceiver, component.MustNewIDWithName("cloudtrails3", "a/b~c"), ""},
		{component.KindExporter, exporterID, strings.Repeat("long", 80)}, // too long for a file name: hashed
	}
	for _, c := range cases {
		client, err := ext.GetClient(context.Background(), c.kind, c.id, c.name)
		if err != nil {
			t.Fatal(err)
		}
		plain, hashed := fileNames(c.kind, c.id, c.name)
		_, errPlain := os.Stat(filepath.Join(dir, plain))
		_, errHashed := os.Stat(filepath.Join(dir, hashed))
		if errPlain != nil && errHashed != nil {
			t.Errorf("contrib's file for %v %v %q is neither %s nor %s", c.kind, c.id, c.name, plain, hashed)
		}
		_ = client.Close(context.Background())
	}
}

func TestDamagedFileWithoutRecreateIsAnErrorNamingIt(t *testing.T) {
	for name, damage := range map[string]func(t *testing.T, path string){
		"zeroed pages": zeroAfterMeta,
		"truncated": func(t *testing.T, path string) {
			if err := os.Truncate(path, 3*int64(os.Getpagesize())); err != nil {
				t.Fatal(err)
			}
		},
		"garbage": func(t *testing.T, path string) {
			if err := os.WriteFile(path, []byte(strings.Repeat("garbage ", 2000)), 0o600); err != nil {
				t.Fatal(err)
			}
		},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			ext, _ := start(t, dir, false)
			writeState(t, ext)
			path := receiverFile(dir)
			damage(t, path)
			before, _ := os.ReadFile(path)
			_, err := ext.GetClient(context.Background(), component.KindReceiver, receiverID, "")
			if err == nil {
				t.Fatal("GetClient opened a damaged file")
			}
			for _, want := range []string{path, "move the file aside", "recreate: true", "start_time"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
			after, _ := os.ReadFile(path)
			if string(before) != string(after) {
				t.Error("the damaged file was changed; without recreate it must be left for the operator")
			}
		})
	}
}

func TestDamagedFileWithRecreateIsMovedAside(t *testing.T) {
	dir := t.TempDir()
	ext, logs := start(t, dir, true)
	writeState(t, ext)
	path := receiverFile(dir)
	zeroAfterMeta(t, path)
	client, err := ext.GetClient(context.Background(), component.KindReceiver, receiverID, "")
	if err != nil {
		t.Fatalf("recreate: true, yet GetClient failed: %v", err)
	}
	defer client.Close(context.Background())
	if v, err := client.Get(context.Background(), "position/"); err != nil || v != nil {
		t.Fatalf("the new file holds %q (%v), want nothing", v, err)
	}
	backups, _ := filepath.Glob(path + ".*.backup")
	if len(backups) != 1 {
		t.Fatalf("backups %v, want one", backups)
	}
	entries := logs.FilterMessageSnippet("moved aside").All()
	if len(entries) != 1 || entries[0].ContextMap()["file"] != path || entries[0].ContextMap()["moved_to"] != backups[0] {
		t.Fatalf("log %v does not name the file and where it went", entries)
	}
}

func TestEmptyFileIsLoggedLoudly(t *testing.T) {
	dir := t.TempDir()
	ext, logs := start(t, dir, false)
	path := receiverFile(dir)
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	client, err := ext.GetClient(context.Background(), component.KindReceiver, receiverID, "")
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close(context.Background())
	entries := logs.FilterMessageSnippet("empty (0 bytes)").All()
	if len(entries) != 1 || entries[0].Level != zap.ErrorLevel || entries[0].ContextMap()["file"] != path {
		t.Fatalf("want one ERROR naming %s, got %v", path, entries)
	}
}

// TestFileInUseIsNotTouched: a second collector pointed at the same directory must not move aside (nor judge) a
// file the first one has open; contrib's own lock timeout reports the conflict.
func TestFileInUseIsNotTouched(t *testing.T) {
	dir := t.TempDir()
	first, _ := start(t, dir, false)
	writeState(t, first)
	held, err := first.GetClient(context.Background(), component.KindReceiver, receiverID, "")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close(context.Background())
	second, _ := start(t, dir, true)
	if _, err := second.GetClient(context.Background(), component.KindReceiver, receiverID, ""); err == nil {
		t.Fatal("a second process opened a file the first holds")
	}
	if backups, _ := filepath.Glob(receiverFile(dir) + ".*.backup"); len(backups) != 0 {
		t.Fatalf("a file in use was moved aside: %v", backups)
	}
}

func TestFactory(t *testing.T) {
	f := NewFactory()
	if f.Type().String() != "file_storage" {
		t.Fatalf("type %q", f.Type())
	}
	var _ extension.Factory = f
	if err := componenttest.CheckConfigStruct(f.CreateDefaultConfig()); err != nil {
		t.Fatal(err)
	}
}
