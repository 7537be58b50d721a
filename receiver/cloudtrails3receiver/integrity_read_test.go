// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver

import (
	"bytes"
	"context"
	"errors"
	"io"
	"sync/atomic"
	"testing"
	"testing/iotest"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/receiver/receiverhelper"
	"go.opentelemetry.io/collector/receiver/receivertest"
	"go.uber.org/zap"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrailtest"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/integrity"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/metadata"
)

var errConnReset = errors.New("read tcp: connection reset by peer")

// brokenBodyS3 serves objects like memS3, except that the connection of the first `breaks` GETs of key breaks
// halfway through the body.
type brokenBodyS3 struct {
	*memS3
	key    string
	breaks atomic.Int32
}

func (b *brokenBodyS3) GetObject(ctx context.Context, in *s3.GetObjectInput, opts ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	out, err := b.memS3.GetObject(ctx, in, opts...)
	if err != nil || aws.ToString(in.Key) != b.key || b.breaks.Add(-1) < 0 {
		return out, err
	}
	data, err := io.ReadAll(out.Body)
	if err != nil {
		return nil, err
	}
	out.Body = io.NopCloser(io.MultiReader(bytes.NewReader(data[:len(data)/2]), iotest.ErrReader(errConnReset)))
	return out, nil
}

// TestBrokenConnectionIsRetriedWithAndWithoutIntegrity: a body whose connection breaks mid-way is s3_error and read
// again, with integrity on or off. With integrity on, the broken read is neither hashed into the Tracker nor ships
// the records it held; the complete read is judged. bytes_read counts the compressed bytes of both reads.
func TestBrokenConnectionIsRetriedWithAndWithoutIntegrity(t *testing.T) {
	const records = 3000 // three batches: the first ones go to the pipeline before the connection breaks
	key := trailKey("", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA")
	file := cloudtrailtest.File(1, records, acctA, "us-east-1", base)
	for _, mode := range []string{"integrity off", "integrity on", "integrity on, listed by a digest"} {
		t.Run(mode, func(t *testing.T) {
			fake := &brokenBodyS3{memS3: newMemS3(), key: key}
			fake.put("b", key, file)
			fake.breaks.Store(1)
			sink := new(consumertest.LogsSink)
			tel := newTestTelemetry(t)
			reader := testObjectReader(t, "b", fake, sink, tel)
			if mode != "integrity off" {
				cfg := createDefaultConfig().(*Config)
				cfg.Integrity.Enabled = true
				reader.integrity = newIntegrityChecker(cfg, integrity.NewKeySet(), nil, base, reader.telemetry, zap.NewNop())
			}
			if mode == "integrity on, listed by a digest" {
				reader.integrity.expected[integrity.ObjectRef{Bucket: "b", Key: key}] = struct{}{}
			}

			require.Equal(t, outcomeRetry, reader.read(context.Background(), key))
			assert.Equal(t, int64(1), counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_failed", "reason", reasonS3Error))
			assert.Zero(t, counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_failed", "reason", reasonCorrupt))
			sentBeforeBreak := sink.LogRecordCount()
			if reader.integrity != nil {
				read, _ := reader.integrity.tracker(subtree{Account: acctA, Region: "us-east-1"}).Pending()
				assert.Zero(t, read, "a broken read is not handed to the Tracker")
			}
			switch mode {
			case "integrity on, listed by a digest":
				assert.Zero(t, sentBeforeBreak, "held records of a broken read are not shipped: the file is read again")
			default:
				assert.Positive(t, sentBeforeBreak, "batches before the break went to the pipeline")
			}

			require.Equal(t, outcomeDone, reader.read(context.Background(), key))
			assert.Equal(t, sentBeforeBreak+records, sink.LogRecordCount())
			assert.Equal(t, int64(len(file)/2+len(file)), counterValue(t, tel, "otelcol_receiver_cloudtrails3_bytes_read"))
			if reader.integrity != nil {
				read, _ := reader.integrity.tracker(subtree{Account: acctA, Region: "us-east-1"}).Pending()
				assert.Equal(t, 1, read, "the complete read is hashed and handed to the Tracker")
			}
		})
	}
}

// testObjectReader is the polling mode's object reader of bucket, without a receiver around it; tel may be nil.
func testObjectReader(t testing.TB, bucket string, client s3API, next consumer.Logs, tel *componenttest.Telemetry) *objectReader {
	t.Helper()
	set := receivertest.NewNopSettings(metadata.Type)
	if tel != nil {
		set.TelemetrySettings = tel.NewTelemetrySettings()
	}
	obsrecv, err := receiverhelper.NewObsReport(receiverhelper.ObsReportSettings{ReceiverID: set.ID, Transport: "s3", ReceiverCreateSettings: set})
	require.NoError(t, err)
	telemetry, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	require.NoError(t, err)
	return &objectReader{
		bucket:    bucket,
		client:    client,
		decoder:   cloudtrail.NewDecoder(cloudtrail.Options{MaxBatchRecords: defaultMaxBatchRecords, MaxObjectBytes: defaultMaxObjectBytes}),
		next:      next,
		obsrecv:   obsrecv,
		telemetry: telemetry,
		logger:    zap.NewNop(),
		backoff:   defaultConsumerBackoff,
	}
}
