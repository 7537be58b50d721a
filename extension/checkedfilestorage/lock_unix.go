// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

//go:build unix

package checkedfilestorage // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/extension/checkedfilestorage"

import (
	"errors"
	"os"
	"syscall"
)

// lockShared takes a shared flock on path so that a file another process has open with bbolt (which holds an
// exclusive flock on it) is neither read mid-write nor moved aside. inUse is true when that process exists.
func lockShared(path string) (release func(), inUse bool) {
	f, err := os.Open(path)
	if err != nil {
		return func() {}, false
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB); err != nil {
		f.Close()
		return func() {}, errors.Is(err, syscall.EWOULDBLOCK)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, false
}
