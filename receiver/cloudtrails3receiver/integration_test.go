// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/receiver/receivertest"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrailtest"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/testpeers"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/metadata"
)

// bucketLayout writes CloudTrail-shaped objects into a real S3 server and remembers what a reader must deliver.
type bucketLayout struct {
	client *s3.Client
	bucket string
	prefix string
	seed   int64
	want   map[string]int // key → records expected
	total  int
}

func newBucketLayout(t *testing.T, srv *testpeers.S3Server, prefix string) *bucketLayout {
	t.Helper()
	client := testpeers.S3Client(t, srv)
	bucket := testpeers.UniqueName(t, "trail")
	testpeers.CreateBucket(t, client, bucket)
	return &bucketLayout{client: client, bucket: bucket, prefix: prefix, want: map[string]int{}}
}

// putTrail writes a trail log file of n realistic records; expected says whether the reader must deliver it.
func (l *bucketLayout) putTrail(t *testing.T, org, account, region string, at time.Time, unique string, n int, expected bool) string {
	t.Helper()
	l.seed++
	key := trailKey(l.prefix, org, account, region, at, unique)
	testpeers.PutObject(t, l.client, l.bucket, key, cloudtrailtest.File(l.seed, n, account, region, at.Add(-5*time.Minute)))
	if expected {
		l.want[key] = n
		l.total += n
	}
	return key
}

// putNoise writes the objects that share a CloudTrail bucket and must never be read.
func (l *bucketLayout) putNoise(t *testing.T, account string, day time.Time) {
	t.Helper()
	d := day.UTC()
	root := l.prefix + "AWSLogs/" + account + "/"
	digest := root + "CloudTrail-Digest/us-east-1/" + d.Format(dateFolderLayout) + account + "_CloudTrail-Digest_us-east-1_trail_us-east-1_" + d.Format("20060102T150405Z") + ".json.gz"
	testpeers.PutObject(t, l.client, l.bucket, digest, gzipBytes(t, []byte(`{"awsAccountId":"`+account+`","logFiles":[]}`)))
	testpeers.PutObject(t, l.client, l.bucket, root+"Config/ConfigWritabilityCheckFile", nil)
	testpeers.PutObject(t, l.client, l.bucket, root+"Config/us-east-1/"+d.Format(dateFolderLayout)+"ConfigSnapshot/"+account+"_Config_us-east-1_ConfigSnapshot_x.json.gz", gzipBytes(t, []byte(`{}`)))
	insight := root + "CloudTrail-Insight/us-east-1/" + d.Format(dateFolderLayout) + account + "_CloudTrail-Insight_us-east-1_" + d.Format(fileTimeLayout) + "_IIIIIIIIIIIIIIII.json.gz"
	testpeers.PutObject(t, l.client, l.bucket, insight, cloudtrailtest.File(99, 2, account, "us-east-1", d))
}

func (l *bucketLayout) receiverYAML(srv *testpeers.S3Server, extra string) string {
	return fmt.Sprintf(`
bucket: %s
prefix: %s
endpoint: %s
force_path_style: true
access_key_id: %s
secret_access_key: %s
poll_interval: 1s
discovery_interval: 1s
%s`, l.bucket, l.prefix, srv.Endpoint, srv.AccessKey, srv.SecretKey, extra)
}

// readCounter sums an int counter collected by reader, optionally only the points with attribute key=value.
func readCounter(t *testing.T, reader sdkmetric.Reader, name string, attr ...string) int64 {
	t.Helper()
	var rm metricdata.ResourceMetrics
	require.NoError(t, reader.Collect(context.Background(), &rm))
	var total int64
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			sum, ok := m.Data.(metricdata.Sum[int64])
			if m.Name != name || !ok {
				continue
			}
			for _, dp := range sum.DataPoints {
				if len(attr) == 2 {
					if v, ok := dp.Attributes.Value(attribute.Key(attr[0])); !ok || v.AsString() != attr[1] {
						continue
					}
				}
				total += dp.Value
			}
		}
	}
	return total
}

// settle lets a few more polls run so that a repeated delivery, if any, would show.
func settle() { time.Sleep(time.Second) }

// TestVersityGWCollectorPipeline runs the receiver in a collector (cloudtrails3 → batch → sink, file_storage) against
// versitygw, which checks SigV4 signatures: several accounts, regions and an organization trail over several days,
// digest/Config/Insights files beside them, start_time backfill, a late file, a corrupt file, and a restart.
func TestVersityGWCollectorPipeline(t *testing.T) {
	srv := testpeers.VersityGW(t)
	l := newBucketLayout(t, srv, "central/")
	start := time.Now().UTC().Truncate(24 * time.Hour).Add(-3 * 24 * time.Hour)

	l.putTrail(t, "", acctA, "us-east-1", start.Add(-time.Hour), "OLDOLDOLDOLDOLD1", 3, false) // before start_time
	for day := range 3 {
		d := start.Add(time.Duration(day)*24*time.Hour + 10*time.Hour)
		l.putTrail(t, "", acctA, "us-east-1", d, "AAAAAAAAAAAAAAAA", 7, true)
		l.putTrail(t, "", acctA, "us-east-1", d.Add(5*time.Minute), "BBBBBBBBBBBBBBBB", 3, true)
		l.putTrail(t, "", acctA, "eu-west-1", d.Add(2*time.Minute), "CCCCCCCCCCCCCCCC", 5, true)
		l.putTrail(t, orgID, acctB, "us-west-2", d.Add(time.Hour), "DDDDDDDDDDDDDDDD", 11, true)
		l.putNoise(t, acctA, d)
	}
	lastDay := start.Add(2*24*time.Hour + 10*time.Hour)

	deliveries1 := newDeliveries()
	core, logs := observer.New(zap.WarnLevel)
	metrics := sdkmetric.NewManualReader()
	storageDir := newStorageDir(t)
	cfgYAML := l.receiverYAML(srv, "start_time: "+start.Format(time.RFC3339))
	run1 := runCollector(t, deliveries1, cfgYAML, storageDir, core, metrics)
	deliveries1.waitFor(t, l.total)

	// A late file: its name is older than the newest file of its account/region, it is written afterwards, and it is
	// inside the 15-minute look-back.
	l.putTrail(t, "", acctA, "us-east-1", lastDay.Add(3*time.Minute), "LATELATELATELATE", 4, true)
	deliveries1.waitFor(t, l.total)

	// A corrupt file, then a good one: the corrupt one is skipped and logged with its key, the good one still flows.
	corrupt := trailKey(l.prefix, "", acctA, "us-east-1", lastDay.Add(7*time.Minute), "CORRUPTCORRUPT00")
	testpeers.PutObject(t, l.client, l.bucket, corrupt, []byte("\x1f\x8b\x08\x00garbage"))
	l.putTrail(t, "", acctA, "us-east-1", lastDay.Add(9*time.Minute), "EEEEEEEEEEEEEEEE", 6, true)
	deliveries1.waitFor(t, l.total)
	settle()
	assert.Equal(t, int64(1), readCounter(t, metrics, "otelcol_receiver_cloudtrails3_objects_failed", "reason", reasonCorrupt))
	assert.Equal(t, int64(deliveries1.count()), readCounter(t, metrics, "otelcol_receiver_cloudtrails3_records_emitted"))
	run1.stop(t)
	deliveries1.requireExactly(t, l.want)
	skipped := logs.FilterMessageSnippet("not a readable CloudTrail log file").All()
	require.Len(t, skipped, 1)
	assert.Equal(t, corrupt, skipped[0].ContextMap()["key"])

	// Restart with the same file_storage: only files written meanwhile are delivered, including a new region.
	l.want, l.total = map[string]int{}, 0
	l.putTrail(t, "", acctA, "us-east-1", lastDay.Add(20*time.Minute), "FFFFFFFFFFFFFFFF", 2, true)
	l.putTrail(t, orgID, acctB, "us-west-2", lastDay.Add(90*time.Minute), "GGGGGGGGGGGGGGGG", 3, true)
	l.putTrail(t, "", acctA, "ap-south-1", lastDay.Add(2*time.Hour), "HHHHHHHHHHHHHHHH", 4, true)
	deliveries2 := newDeliveries()
	run2 := runCollector(t, deliveries2, cfgYAML, storageDir, nil, nil)
	deliveries2.waitFor(t, l.total)
	settle()
	run2.stop(t)
	deliveries2.requireExactly(t, l.want)
}

// TestMotoRoleARNAndDefaultStart reads through moto with role_arn + external_id (credentials come from moto's STS) and
// no start_time: files delivered before the receiver was first started are skipped, later ones are read.
func TestMotoRoleARNAndDefaultStart(t *testing.T) {
	moto := testpeers.Moto(t)
	srv := moto.S3()
	l := newBucketLayout(t, srv, "")
	now := time.Now().UTC()
	l.putTrail(t, "", testpeers.MotoAccountID, "us-east-1", now.Add(-2*time.Hour), "OLDOLDOLDOLDOLD1", 3, false)
	l.putTrail(t, "", testpeers.MotoAccountID, "us-east-1", now.Add(-24*time.Hour), "OLDOLDOLDOLDOLD2", 3, false)
	l.putNoise(t, testpeers.MotoAccountID, now.Add(-time.Hour))

	cfg := createDefaultConfig().(*Config)
	cfg.Bucket = l.bucket
	cfg.Endpoint = srv.Endpoint
	cfg.ForcePathStyle = true
	cfg.AccessKeyID = "AKIDBASECREDENTIALS"
	cfg.SecretAccessKey = "base-secret"
	cfg.RoleARN = "arn:aws:iam::" + testpeers.MotoAccountID + ":role/cloudtrail-reader"
	cfg.ExternalID = "logzio-external-id"
	cfg.SessionName = "cloudtrails3-test"
	cfg.PollInterval = 100 * time.Millisecond
	cfg.DiscoveryInterval = 200 * time.Millisecond
	require.NoError(t, componenttest.CheckConfigStruct(cfg))

	d := newDeliveries()
	set := receivertest.NewNopSettings(metadata.Type)
	core, logs := observer.New(zap.InfoLevel)
	set.Logger = zap.New(core)
	r, err := NewFactory().CreateLogs(context.Background(), set, cfg, d)
	require.NoError(t, err)
	require.NoError(t, r.Start(context.Background(), componenttest.NewNopHost()))
	defer func() { require.NoError(t, r.Shutdown(context.Background())) }()

	// The receiver starts at the current minute; CloudTrail names files by delivery time, so new files carry later names.
	require.Eventually(t, func() bool { return logs.FilterMessageSnippet("Discovered account/region folders").Len() > 0 },
		30*time.Second, 20*time.Millisecond)
	l.putTrail(t, "", testpeers.MotoAccountID, "us-east-1", now.Add(time.Minute), "NEWNEWNEWNEWNEW1", 5, true)
	l.putTrail(t, "", testpeers.MotoAccountID, "eu-central-1", now.Add(2*time.Minute), "NEWNEWNEWNEWNEW2", 4, true)
	d.waitFor(t, l.total)
	settle()
	d.requireExactly(t, l.want)

	access := logs.FilterMessage("AWS access configured").All()
	require.NotEmpty(t, access)
	assert.Contains(t, access[0].ContextMap()["credentials"], "role "+cfg.RoleARN+" assumed")
	assert.Equal(t, 1, logs.FilterMessageSnippet("Found the bucket's region").Len(), "region auto-detected with GetBucketLocation")
}
