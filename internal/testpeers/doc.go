// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Package testpeers starts real servers on loopback for integration tests: moto_server (S3, SQS, STS, Resource Groups
// Tagging API, EC2, Lambda...), versitygw (an S3 server that checks SigV4 signatures), Debian's Prometheus with its
// remote-write receiver, and in-process gofakes3.
//
// Each external server is started at most once per test binary, on a free port, and is killed when the test process
// exits (including when it is killed). Per-test isolation comes from a state reset (moto) or from unique names and label
// values (versitygw, Prometheus: see UniqueName).
//
// A missing server binary skips the test with a message saying how to install it, except under CI=true, where it fails
// the test: CI must never pass by skipping its integration tests. Binaries are looked up in the environment variables
// MOTO_SERVER, VERSITYGW and PROMETHEUS, then in the repository's bin/ directory, then on PATH.
package testpeers // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/testpeers"
