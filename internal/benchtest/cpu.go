// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package benchtest // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/benchtest"

import (
	"syscall"
	"time"
)

// ProcessCPUTime is the user+system CPU time consumed by this process so far (all threads, GC included): on a shared
// machine wall time includes waiting for a CPU, CPU time does not.
func ProcessCPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
