// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver"

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/extension/xextension/storage"
)

// checkpointVersion is the version of the JSON documents kept in the storage extension. A document of another
// version is refused at start with instructions, never misread.
const checkpointVersion = 1

// startCheckpoint records when the receiver first ran against a bucket and prefix: by default only files delivered
// after this moment are read, also in regions that appear later and after restarts.
type startCheckpoint struct {
	Version    int       `json:"version"`
	FirstStart time.Time `json:"first_start"`
}

// subtreeCheckpoint is the persisted position in one account/region subtree. It stays small: one watermark, plus the
// keys already done that a later listing can still return (the look-back window, and keys done ahead of the
// watermark while an older key was still in flight).
type subtreeCheckpoint struct {
	Version int `json:"version"`
	// Watermark is the newest key such that it and every older listed key are done.
	Watermark string `json:"watermark,omitempty"`
	// WatermarkTime is the file-name time of the newest done trail file up to the watermark; listing restarts
	// look_back before it.
	WatermarkTime time.Time `json:"watermark_time,omitzero"`
	// NewestTime is the file-name time of the newest done trail file (for the delivery lag).
	NewestTime time.Time `json:"newest_time,omitzero"`
	// Done are keys already read (or skipped) that the next listing may return again.
	Done []string `json:"done,omitempty"`
}

// inFuture says whether the checkpoint was moved past now plus maxClockSkew by a future-named file.
func (c *subtreeCheckpoint) inFuture(now time.Time) bool {
	limit := now.Add(maxClockSkew)
	return c.WatermarkTime.After(limit) || c.NewestTime.After(limit)
}

// checkpointStore reads and writes the receiver's position through a storage client.
type checkpointStore struct {
	client storage.Client
	bucket string
	prefix string
}

func (c *checkpointStore) startKey() string { return "first_start/" + c.bucket + "/" + c.prefix }

func (c *checkpointStore) subtreeKey(s subtree) string {
	return "subtree/" + c.bucket + "/" + s.keyPrefix()
}

// loadFirstStart returns the persisted first start, if any.
func (c *checkpointStore) loadFirstStart(ctx context.Context) (time.Time, bool, error) {
	var cp startCheckpoint
	found, err := c.load(ctx, c.startKey(), &cp, func() int { return cp.Version })
	return cp.FirstStart, found, err
}

func (c *checkpointStore) saveFirstStart(ctx context.Context, t time.Time) error {
	return c.save(ctx, c.startKey(), startCheckpoint{Version: checkpointVersion, FirstStart: t.UTC()})
}

// baseKey names the stored base set of done keys of a subtree (see position.checkpointParts).
func (c *checkpointStore) baseKey(s subtree) string {
	return "subtree-done/" + c.bucket + "/" + s.keyPrefix()
}

// doneBase is the stored base set of a subtree's done keys; the subtree document holds the keys done since.
type doneBase struct {
	Version int      `json:"version"`
	Done    []string `json:"done,omitempty"`
}

// loadSubtree returns the persisted position of a subtree, if any, with its done keys from both parts.
func (c *checkpointStore) loadSubtree(ctx context.Context, s subtree) (subtreeCheckpoint, bool, error) {
	var cp subtreeCheckpoint
	found, err := c.load(ctx, c.subtreeKey(s), &cp, func() int { return cp.Version })
	if err != nil || !found {
		return cp, found, err
	}
	var base doneBase
	if _, err := c.load(ctx, c.baseKey(s), &base, func() int { return base.Version }); err != nil {
		return cp, false, err
	}
	cp.Done = append(base.Done, cp.Done...)
	return cp, true, nil
}

// saveSubtree stores a subtree's position; with base (withBase), the base set of done keys too, in one write.
func (c *checkpointStore) saveSubtree(ctx context.Context, s subtree, cp subtreeCheckpoint, base []string, withBase bool) error {
	cp.Version = checkpointVersion
	if !withBase {
		return c.save(ctx, c.subtreeKey(s), cp)
	}
	doc, err := json.Marshal(cp)
	if err != nil {
		return err
	}
	set, err := json.Marshal(doneBase{Version: checkpointVersion, Done: base})
	if err != nil {
		return err
	}
	if err := c.client.Batch(ctx, storage.SetOperation(c.baseKey(s), set), storage.SetOperation(c.subtreeKey(s), doc)); err != nil {
		return fmt.Errorf("writing the position %q to the storage extension: %w", c.subtreeKey(s), err)
	}
	return nil
}

func (c *checkpointStore) load(ctx context.Context, key string, into any, version func() int) (bool, error) {
	data, err := c.client.Get(ctx, key)
	if err != nil {
		return false, fmt.Errorf("reading the position %q from the storage extension: %w", key, err)
	}
	if data == nil {
		return false, nil
	}
	if err := json.Unmarshal(data, into); err != nil {
		return false, fmt.Errorf("the stored position %q is not valid JSON (delete the storage extension's file to start again from start_time): %w", key, err)
	}
	if v := version(); v != checkpointVersion {
		return false, fmt.Errorf("the stored position %q has version %d, this receiver understands version %d: run the matching collector version, or delete the storage extension's file to start again from start_time", key, v, checkpointVersion)
	}
	return true, nil
}

func (c *checkpointStore) save(ctx context.Context, key string, value any) error {
	data, err := json.Marshal(value)
	if err != nil {
		return err
	}
	if err := c.client.Set(ctx, key, data); err != nil {
		return fmt.Errorf("writing the position %q to the storage extension: %w", key, err)
	}
	return nil
}

// storageClient returns a client of the configured storage extension, or an in-memory one when none is configured.
func storageClient(ctx context.Context, host component.Host, storageID *component.ID, receiverID component.ID) (storage.Client, error) {
	if storageID == nil {
		return newMemoryStorage(), nil
	}
	ext, found := host.GetExtensions()[*storageID]
	if !found {
		return nil, fmt.Errorf("storage extension %q is not configured: add it under extensions: and service.extensions", storageID)
	}
	storageExt, ok := ext.(storage.Extension)
	if !ok {
		return nil, fmt.Errorf("extension %q is not a storage extension (use e.g. file_storage)", storageID)
	}
	client, err := storageExt.GetClient(ctx, component.KindReceiver, receiverID, "")
	if err != nil {
		// file_storage's own error names a damaged file and the remedy (extension/checkedfilestorage).
		return nil, fmt.Errorf("opening storage extension %q: %w", storageID, err)
	}
	return client, nil
}

// memoryStorage is the storage client used without a storage extension: the position lives as long as the process.
type memoryStorage struct {
	mu   sync.Mutex
	data map[string][]byte
}

func newMemoryStorage() *memoryStorage { return &memoryStorage{data: map[string][]byte{}} }

func (m *memoryStorage) Get(_ context.Context, key string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.data[key], nil
}

func (m *memoryStorage) Set(_ context.Context, key string, value []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.data[key] = append([]byte(nil), value...)
	return nil
}

func (m *memoryStorage) Delete(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.data, key)
	return nil
}

func (m *memoryStorage) Batch(ctx context.Context, ops ...*storage.Operation) error {
	for _, op := range ops {
		var err error
		switch op.Type {
		case storage.Get:
			op.Value, err = m.Get(ctx, op.Key)
		case storage.Set:
			err = m.Set(ctx, op.Key, op.Value)
		case storage.Delete:
			err = m.Delete(ctx, op.Key)
		default:
			err = errors.New("unknown storage operation")
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (*memoryStorage) Close(context.Context) error { return nil }
