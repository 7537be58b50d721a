// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

//go:build linux

package testpeers // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/testpeers"

import "syscall"

// dieWithParent makes the kernel kill the peer when the test process exits, however it exits.
func dieWithParent() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
