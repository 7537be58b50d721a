// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosemetricsreceiver

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosetest"
)

// TestResourceTagsWiring checks how the receiver uses internal/resourcetags (whose own tests list tags from moto):
// resource_tags builds a Tagging API client from its AWS settings, the first refresh runs at start and sends
// aws_resource_info to the pipeline, enrich adds the tags to the data points of a Firehose request, and the tag
// metrics are counted under their names.
func TestResourceTagsWiring(t *testing.T) {
	var listings atomic.Int32
	tagging := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Amz-Target") != "ResourceGroupsTaggingAPI_20170126.GetResources" {
			http.Error(w, "unexpected call "+r.Header.Get("X-Amz-Target"), http.StatusBadRequest)
			return
		}
		listings.Add(1)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		_, _ = io.WriteString(w, `{"PaginationToken":"","ResourceTagMappingList":[{"ResourceARN":"arn:aws:ec2:us-east-1:123456789012:instance/i-0abc",`+
			`"Tags":[{"Key":"Name","Value":"web-1"},{"Key":"team-name","Value":"edge"}]}]}`)
	}))
	t.Cleanup(tagging.Close)

	sink := &recordingConsumer{}
	cfg := testConfig()
	cfg.Namespaces = []string{"AWS/EC2"}
	cfg.ResourceTags.Enabled = true
	cfg.ResourceTags.Enrich = true
	cfg.ResourceTags.AWS.Region = "us-east-1"
	cfg.ResourceTags.AWS.Endpoint = tagging.URL
	cfg.ResourceTags.AWS.AccessKeyID = configopaque.String("AKIDEXAMPLE")
	cfg.ResourceTags.AWS.SecretAccessKey = configopaque.String("secret")
	url, tel := startReceiverWithTelemetry(t, cfg, sink)

	require.Eventually(t, func() bool { return len(sink.Calls()) > 0 }, 10*time.Second, 20*time.Millisecond)
	info := series(sink.Calls()[0])
	require.Len(t, info, 1)
	assert.True(t, strings.HasPrefix(info[0], `aws_resource_info{Name="web-1",account="123456789012",instanceid="i-0abc",`), info[0])
	assert.Contains(t, info[0], `team_name="edge"`)
	assert.Equal(t, int32(1), listings.Load())

	record := `{"metric_stream_name":"s","account_id":"123456789012","region":"us-east-1","namespace":"AWS/EC2",` +
		`"metric_name":"CPUUtilization","dimensions":{"InstanceId":"i-0ABC"},"timestamp":1700000000000,` +
		`"value":{"count":1,"sum":5,"max":5,"min":5},"unit":"Percent"}` + "\n"
	body := fmt.Sprintf(`{"requestId":"tags-1","timestamp":1700000100000,"records":[{"data":%q}]}`,
		base64.StdEncoding.EncodeToString([]byte(record)))
	a := firehosetest.Post(t, url, []byte(body), map[string]string{"X-Amz-Firehose-Request-Id": "tags-1", "X-Amz-Firehose-Access-Key": testAccessKey}, false)
	requireFirehoseAnswer(t, a, 200, "tags-1", "")
	calls := sink.Calls()
	require.Len(t, calls, 2, "aws_resource_info, then the request")
	got := series(calls[1])
	require.Len(t, got, 4)
	for _, l := range got {
		assert.Contains(t, l, `tag_Name="web-1"`)
		assert.Contains(t, l, `tag_team_name="edge"`)
	}

	assert.Equal(t, map[string]int64{"success/us-east-1": 1}, firehosetest.SumByAttributes(t, tel, "otelcol_receiver_firehosemetrics_tag_refreshes", "outcome", "region"))
	assert.Equal(t, map[string]int64{"": 4}, firehosetest.SumByAttributes(t, tel, "otelcol_receiver_firehosemetrics_enriched_data_points"))
	m, err := tel.GetMetric("otelcol_receiver_firehosemetrics_tagged_resources")
	require.NoError(t, err)
	gauge, ok := m.Data.(metricdata.Gauge[int64])
	require.True(t, ok, "tagged_resources is an int64 gauge")
	require.Len(t, gauge.DataPoints, 1)
	assert.Equal(t, int64(1), gauge.DataPoints[0].Value)
}
