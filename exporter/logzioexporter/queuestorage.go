// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package logzioexporter // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/exporter/logzioexporter"

import (
	"context"
	"sync"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/exporter"
	"go.opentelemetry.io/collector/extension/xextension/storage"
	"go.uber.org/zap"
)

// The exporterhelper's persistent queue (v0.161.0, internal/queue/persistent_queue.go) writes its metadata in the
// same storage transaction that reads an item for dispatch (getNextItem: Set(metadata) + Get(item)) or deletes a
// sent one (itemDispatchingFinish: Set(metadata) + Delete(item)). When that write fails — the disk is full — it drops
// the item it was about to send: the item was accepted earlier (ConsumeLogs returned nil, the receiver moved on), so
// it is lost, and a restart does not bring it back because the read index moves past it with the next write that
// succeeds. A failed enqueue (Set(metadata) + Set(item)) is reported to the caller, which retries; that part is fine.
//
// safeQueueStorage sits between the exporterhelper and the storage extension and keeps a write failure from costing
// an accepted item:
//   - dispatch (Set(metadata) + Gets): when the write fails, the items are read without it and dispatched. The stored
//     metadata stays behind the one in memory until the next write succeeds (every metadata write is a full
//     snapshot); a crash before then sends those items again after the restart: duplicates, never loss.
//   - finish (Set(metadata) + Deletes, or Deletes alone): when the write fails, the deletes are kept and added to the
//     next write that succeeds, so sent items do not stay in the storage (and on the full disk) for ever.
//   - everything else (enqueue above all) fails as before, so the caller learns that its data was not accepted.

// queueMetadataKey is the key of the persistent queue's metadata (persistent_queue.go, metadataKey).
const queueMetadataKey = "qmv0"

// safeQueueLogs and safeQueueMetrics wrap an exporter whose sending queue is persistent (storageID set): it is
// started with a host whose storage extension hands out safeQueueClients. Without a persistent queue the exporter is
// returned unchanged.
func safeQueueLogs(exp exporter.Logs, storageID *component.ID, logger *zap.Logger) exporter.Logs {
	if storageID == nil {
		return exp
	}
	return safeLogs{Logs: exp, host: func(h component.Host) component.Host { return safeStorageHost{Host: h, id: *storageID, logger: logger} }}
}

func safeQueueMetrics(exp exporter.Metrics, storageID *component.ID, logger *zap.Logger) exporter.Metrics {
	if storageID == nil {
		return exp
	}
	return safeMetrics{Metrics: exp, host: func(h component.Host) component.Host { return safeStorageHost{Host: h, id: *storageID, logger: logger} }}
}

type safeLogs struct {
	exporter.Logs
	host func(component.Host) component.Host
}

func (e safeLogs) Start(ctx context.Context, host component.Host) error {
	return e.Logs.Start(ctx, e.host(host))
}

type safeMetrics struct {
	exporter.Metrics
	host func(component.Host) component.Host
}

func (e safeMetrics) Start(ctx context.Context, host component.Host) error {
	return e.Metrics.Start(ctx, e.host(host))
}

// safeStorageHost replaces the storage extension id by a safeStorageExtension; the other extensions are unchanged.
type safeStorageHost struct {
	component.Host
	id     component.ID
	logger *zap.Logger
}

func (h safeStorageHost) GetExtensions() map[component.ID]component.Component {
	exts := h.Host.GetExtensions()
	ext, ok := exts[h.id].(storage.Extension)
	if !ok {
		return exts // missing or not a storage extension: the exporterhelper reports it
	}
	out := make(map[component.ID]component.Component, len(exts))
	for id, e := range exts {
		out[id] = e
	}
	out[h.id] = safeStorageExtension{Extension: ext, logger: h.logger}
	return out
}

type safeStorageExtension struct {
	storage.Extension
	logger *zap.Logger
}

func (e safeStorageExtension) GetClient(ctx context.Context, kind component.Kind, id component.ID, name string) (storage.Client, error) {
	client, err := e.Extension.GetClient(ctx, kind, id, name)
	if err != nil {
		return nil, err
	}
	return &safeQueueClient{Client: client, logger: e.logger}, nil
}

// safeQueueClient is the persistent queue's storage client; see the comment at the top of the file.
type safeQueueClient struct {
	storage.Client
	logger *zap.Logger

	mu sync.Mutex
	// pendingDeletes are the keys of sent items whose deletion could not be written yet.
	pendingDeletes []string
	// failing is set from the first tolerated write failure until a write succeeds again (for logging).
	failing bool
}

type batchKind int

const (
	batchOther    batchKind = iota
	batchDispatch           // Set(metadata) + Get(items)
	batchFinish             // Set(metadata) + Delete(items), or Delete(items)
)

func classify(ops []*storage.Operation) batchKind {
	gets, deletes, others := 0, 0, 0
	for _, op := range ops {
		switch {
		case op.Type == storage.Set && op.Key == queueMetadataKey:
		case op.Type == storage.Get:
			gets++
		case op.Type == storage.Delete:
			deletes++
		default:
			others++
		}
	}
	switch {
	case others > 0 || (gets > 0 && deletes > 0):
		return batchOther
	case gets > 0 && len(ops) > gets:
		return batchDispatch // only reads need no tolerance: they do not write
	case deletes > 0:
		return batchFinish
	}
	return batchOther
}

func (c *safeQueueClient) Batch(ctx context.Context, ops ...*storage.Operation) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	kind := classify(ops)
	all := ops
	if len(c.pendingDeletes) > 0 && hasWrite(ops) {
		all = make([]*storage.Operation, 0, len(ops)+len(c.pendingDeletes))
		all = append(all, ops...)
		for _, key := range c.pendingDeletes {
			all = append(all, storage.DeleteOperation(key))
		}
	}
	err := c.Client.Batch(ctx, all...)
	if err == nil {
		if len(all) > len(ops) {
			c.pendingDeletes = nil
		}
		if c.failing && hasWrite(ops) {
			c.failing = false
			c.logger.Info("The exporter's persistent queue can write to its storage again")
		}
		return nil
	}
	if ctx.Err() != nil {
		return err
	}
	switch kind {
	case batchDispatch:
		for _, op := range ops {
			if op.Type != storage.Get {
				continue
			}
			value, getErr := c.Client.Get(ctx, op.Key)
			if getErr != nil {
				return err // the storage cannot even be read: the exporterhelper handles it as before
			}
			op.Value = value
		}
	case batchFinish:
		for _, op := range ops {
			if op.Type == storage.Delete {
				c.pendingDeletes = append(c.pendingDeletes, op.Key)
			}
		}
	default:
		return err
	}
	if !c.failing {
		c.failing = true
		c.logger.Warn("The exporter's persistent queue cannot write to its storage (disk full?): queued data is still sent, new data is refused until writes succeed (receivers retry it). Free space or grow the file system of the storage extension's directory.",
			zap.Error(err))
	}
	return nil
}

func hasWrite(ops []*storage.Operation) bool {
	for _, op := range ops {
		if op.Type != storage.Get {
			return true
		}
	}
	return false
}
