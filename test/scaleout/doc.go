// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Package scaleout runs several processes of the real distribution binary side by side against moto_server, the way
// users scale the CloudTrail receiver out: N replicas on one SQS queue fed by S3 event notifications, and N replicas
// polling one bucket with shard.count N. Every replica ships to one Logz.io stand-in that counts records by eventID,
// so the tests check that every record arrives exactly once and that every replica did part of the work. In SQS mode
// the replicas reach moto's SQS through receiveSerializer (see there why).
//
// `make test` runs the tests at their CI size (300 objects). `make scaleout-measure` (SCALEOUT_MEASURE=1) runs the
// same deployments with 1 and with 3 replicas on a larger corpus and prints objects/s and records/s for each.
package scaleout // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/test/scaleout"
