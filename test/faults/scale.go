// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package faults // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/test/faults"

import (
	"fmt"
	"os"
	"time"
)

// Scale holds the sizes of every scenario: how much data, how many faults, how long, and each scenario's deadline.
type Scale struct {
	Name string

	// Crash: kill -9 while ingesting CrashFiles files of RecordsPerFile records.
	CrashFiles int
	CrashKills int
	// RecordsPerFile is the number of records in each generated CloudTrail file.
	RecordsPerFile int

	// Listener outage: each outage phase lasts Outage; the 50% random 503 phase lasts RandomFailures; 429 bursts
	// are sent during Bursts. OutageFiles files are uploaded at the start of every phase.
	Outage         time.Duration
	RandomFailures time.Duration
	Bursts         time.Duration
	OutageFiles    int

	// S3 faults: S3FaultFiles files read through the fault proxy; a stalled read lasts Stall.
	S3FaultFiles int
	Stall        time.Duration
	// S3FileSpacing is the file-name time between two files of one account/region. When the files of a folder span
	// more than the receiver's look_back (15m), a transient failure meets the receiver's give-up rule.
	S3FileSpacing time.Duration

	// Bad objects: GoodFilesAround good files before and after the bad ones; the gzip bomb inflates to BombBytes.
	GoodFilesAround int
	BombBytes       int64

	// Event selection: SelectionFiles files of RecordsPerFile records, about 40% of them read-only.
	SelectionFiles int

	// Firehose: EmptyRecords empty records in one request; a slow-loris body is dripped for at most SlowLoris.
	EmptyRecords int
	SlowLoris    time.Duration

	// Disk full: DiskFullFiles files of RecordsPerFile records are read into a DiskFullSize tmpfs (file_storage:
	// position and persistent queue), grown to 64m once writes failed with ENOSPC.
	DiskFullFiles int
	DiskFullSize  string

	// Wrong token: the collector runs with a wrong Logz.io token for WrongToken, then restarts with the right one.
	WrongToken time.Duration

	// Deadline bounds every scenario; on timeout it fails with the partial table.
	Deadline time.Duration
}

var scales = map[string]Scale{
	"short": {
		Name:            "short",
		CrashFiles:      200,
		CrashKills:      2,
		RecordsPerFile:  50,
		Outage:          10 * time.Second,
		RandomFailures:  10 * time.Second,
		Bursts:          10 * time.Second,
		OutageFiles:     20,
		S3FaultFiles:    40,
		Stall:           2 * time.Second,
		S3FileSpacing:   5 * time.Minute, // 10 files per folder: 45 minutes, a backlog wider than look_back
		GoodFilesAround: 10,
		BombBytes:       2 << 30,
		SelectionFiles:  60,
		EmptyRecords:    10_000,
		SlowLoris:       15 * time.Second,
		DiskFullFiles:   300,
		DiskFullSize:    "3m",
		WrongToken:      30 * time.Second,
		Deadline:        3 * time.Minute,
	},
	"full": {
		Name:            "full",
		CrashFiles:      2000,
		CrashKills:      5,
		RecordsPerFile:  50,
		Outage:          2 * time.Minute,
		RandomFailures:  time.Minute,
		Bursts:          time.Minute,
		OutageFiles:     100,
		S3FaultFiles:    400,
		Stall:           10 * time.Second,
		S3FileSpacing:   time.Minute, // 100 files per folder: 99 minutes, a backlog wider than look_back
		GoodFilesAround: 50,
		BombBytes:       2 << 30,
		SelectionFiles:  400,
		EmptyRecords:    10_000,
		SlowLoris:       70 * time.Second,
		DiskFullFiles:   1000,
		DiskFullSize:    "3m",
		WrongToken:      2 * time.Minute,
		Deadline:        15 * time.Minute,
	},
}

// CurrentScale is the scale named by FAULTS_SCALE (short when unset).
func CurrentScale() (Scale, error) {
	name := os.Getenv("FAULTS_SCALE")
	if name == "" {
		name = "short"
	}
	s, ok := scales[name]
	if !ok {
		return Scale{}, fmt.Errorf("FAULTS_SCALE=%q: use short (default, for make test) or full (make faults)", name)
	}
	return s, nil
}
