// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

//go:build !unix

package checkedfilestorage // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/extension/checkedfilestorage"

// lockShared does nothing where flock does not exist: on Windows, bbolt opens its file with an exclusive
// LockFileEx, and a second collector on the same directory fails in contrib's open before the check matters.
func lockShared(string) (release func(), inUse bool) { return func() {}, false }
