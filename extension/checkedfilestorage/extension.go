// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package checkedfilestorage // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/extension/checkedfilestorage"

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/extension/xextension/storage"
	"go.uber.org/zap"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/bboltcheck"
)

// checkedStorage is contrib's file_storage with each file checked before contrib opens it. contrib's own recovery
// (recreate: true) catches errors and panics of bbolt.Open, but not the panic bbolt raises in a goroutine of its own
// for a page that is not what the tree says, nor the SIGBUS of a file shorter than its pages: both end the process at
// every start. The check turns them into an error that names the file, or with recreate into the same move aside.
type checkedStorage struct {
	storage.Extension
	directory string
	recreate  bool
	logger    *zap.Logger
}

// GetClient checks the component's file, then lets contrib open it.
func (s *checkedStorage) GetClient(ctx context.Context, kind component.Kind, id component.ID, name string) (storage.Client, error) {
	plain, hashed := fileNames(kind, id, name)
	for _, file := range []string{plain, hashed} {
		if err := s.checkFile(filepath.Join(s.directory, file), kind); err != nil {
			return nil, err
		}
	}
	return s.Extension.GetClient(ctx, kind, id, name)
}

// checkFile returns an error only for a damaged file when recreate is off. A file that does not exist yet, or that
// another process holds open (bbolt then waits for its lock and reports the timeout), is left to contrib.
func (s *checkedStorage) checkFile(path string, kind component.Kind) error {
	release, inUse := lockShared(path)
	if inUse {
		return nil
	}
	err := bboltcheck.Check(path)
	release()
	var damaged *bboltcheck.DamagedError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, bboltcheck.ErrEmpty):
		s.logger.Error("A storage file is empty (0 bytes), as a crash or a full disk can leave it while the file is created: the component starts without stored state. "+lostState(kind),
			zap.String("file", path))
		return nil
	case errors.As(err, &damaged):
		if !s.recreate {
			return fmt.Errorf("%w. Opening it would crash the collector. Stop the collector, move the file aside (mv %q %q) and start again, or set recreate: true on file_storage to have that done at start. %s",
				err, path, path+".damaged", lostState(kind))
		}
		backup := path + "." + time.Now().UTC().Format("20060102T150405.000Z0700") + ".backup"
		if rerr := os.Rename(path, backup); rerr != nil {
			return fmt.Errorf("%w; moving it aside (recreate: true) failed: %v. Stop the collector and move or delete the file by hand", err, rerr)
		}
		s.logger.Error("A storage file was damaged; it was moved aside (recreate: true) and a new one started. "+lostState(kind),
			zap.String("file", path), zap.String("moved_to", backup), zap.String("damage", damaged.Reason))
		return nil
	default:
		return nil // unreadable or absent: contrib's own open reports what is wrong
	}
}

// lostState says what a component loses with its file.
func lostState(kind component.Kind) string {
	switch kind {
	case component.KindReceiver:
		return "The receiver's stored state is lost: cloudtrails3 forgets its positions and starts again at start_time, or at the time of this start when start_time is not set (files written in between are then not read: set start_time to before the damage to read them)."
	case component.KindExporter:
		return "What the exporter's persistent queue held in this file is not sent."
	default:
		return "The component's stored state is lost."
	}
}
