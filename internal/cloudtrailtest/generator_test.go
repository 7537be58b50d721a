// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrailtest

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var start = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

func TestDeterministicAndValid(t *testing.T) {
	body := Body(1, 500, "123456789012", "eu-west-1", start)
	assert.Equal(t, body, Body(1, 500, "123456789012", "eu-west-1", start), "same seed, same bytes")
	assert.NotEqual(t, body, Body(2, 500, "123456789012", "eu-west-1", start))

	var file struct {
		Records []map[string]any
	}
	require.NoError(t, json.Unmarshal(body, &file))
	require.Len(t, file.Records, 500)

	recs := Records(1, 500, "123456789012", "eu-west-1", start)
	require.Len(t, recs, 500)
	assert.Equal(t, body, append(append([]byte(`{"Records":[`), bytes.Join(recs, []byte(","))...), "]}"...))

	zr, err := gzip.NewReader(bytes.NewReader(File(1, 500, "123456789012", "eu-west-1", start)))
	require.NoError(t, err)
	unzipped, err := io.ReadAll(zr)
	require.NoError(t, err)
	assert.Equal(t, body, unzipped)

	// The variety the decoder tests rely on.
	seen := map[string]bool{}
	for _, r := range file.Records {
		assert.Equal(t, "eu-west-1", r["awsRegion"])
		ui := r["userIdentity"].(map[string]any)
		seen["identity:"+ui["type"].(string)] = true
		seen["source:"+r["eventSource"].(string)] = true
		for _, k := range []string{"errorCode", "resources", "tlsDetails", "additionalEventData", "recipientAccountId"} {
			if _, ok := r[k]; ok {
				seen[k] = true
			}
		}
		if r["responseElements"] == nil {
			seen["null responseElements"] = true
		}
	}
	for _, k := range []string{"identity:IAMUser", "identity:AssumedRole", "identity:AWSService", "identity:Root",
		"source:ec2.amazonaws.com", "source:s3.amazonaws.com", "source:iam.amazonaws.com", "errorCode", "resources",
		"tlsDetails", "additionalEventData", "recipientAccountId", "null responseElements"} {
		assert.True(t, seen[k], k)
	}
}
