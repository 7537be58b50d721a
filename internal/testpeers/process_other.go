// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

//go:build !linux

package testpeers // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/testpeers"

import "syscall"

// dieWithParent has no portable equivalent outside Linux; peers there end with the test run's process group.
func dieWithParent() *syscall.SysProcAttr { return nil }
