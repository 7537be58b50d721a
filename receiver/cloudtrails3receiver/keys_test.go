// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseLogKey(t *testing.T) {
	at := time.Date(2015, 8, 1, 2, 10, 0, 0, time.UTC)
	tests := []struct {
		name, prefix, key string
		want              subtree
		wantErr           string
	}{
		{
			name: "trail log",
			key:  "AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/01/111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz",
			want: subtree{Account: "111122223333", Region: "us-east-2"},
		},
		{
			name:   "prefix with slashes and organization trail",
			prefix: "a/b/",
			key:    "a/b/AWSLogs/o-fxozgwu6rc/111122223333/CloudTrail/us-east-2/2015/08/01/111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz",
			want:   subtree{Prefix: "a/b/", OrgID: "o-fxozgwu6rc", Account: "111122223333", Region: "us-east-2"},
		},
		{
			name: "insights",
			key:  "AWSLogs/111122223333/CloudTrail-Insight/us-east-2/2015/08/01/111122223333_CloudTrail-Insight_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz",
			want: subtree{Account: "111122223333", Region: "us-east-2", Insights: true},
		},
		{
			name:    "digest",
			key:     "AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/01/111122223333_CloudTrail-Digest_us-east-2_trail_us-east-2_20150801T021000Z.json.gz",
			wantErr: `folder "CloudTrail-Digest"`,
		},
		{
			name:    "config writability check",
			key:     "AWSLogs/111122223333/Config/ConfigWritabilityCheckFile",
			wantErr: "does not have the CloudTrail layout",
		},
		{
			name:    "account in name differs from folder",
			key:     "AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/01/999999999999_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz",
			wantErr: "does not start with",
		},
		{
			name:    "region in name differs from folder",
			key:     "AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/01/111122223333_CloudTrail_us-west-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz",
			wantErr: "does not start with",
		},
		{
			name:    "date folder differs from name",
			key:     "AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/02/111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz",
			wantErr: "does not match the file name's date",
		},
		{
			name:    "not gzip json",
			key:     "AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/01/111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json",
			wantErr: "does not end with .json.gz",
		},
		{
			name:    "bad time",
			key:     "AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/01/111122223333_CloudTrail_us-east-2_20150801T2610Z_Mu0KsOhtH1ar15ZZ.json.gz",
			wantErr: "no valid delivery time",
		},
		{
			name:    "outside the prefix",
			prefix:  "other/",
			key:     "AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/01/111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz",
			wantErr: "not under",
		},
		{
			name:    "bad organization id",
			key:     "AWSLogs/org-1/111122223333/CloudTrail/us-east-2/2015/08/01/111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz",
			wantErr: "neither an account ID nor an organization ID",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseLogKey(tt.prefix, tt.key)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got.Subtree)
			assert.Equal(t, at, got.Time)
			assert.True(t, len(tt.key) > len(got.Subtree.keyPrefix()) && tt.key[:len(got.Subtree.keyPrefix())] == got.Subtree.keyPrefix())
		})
	}
}

func TestStartAfterListsExactlyTheFilesFromThatMinute(t *testing.T) {
	s := subtree{Prefix: "p/", OrgID: "o-abcdefghij", Account: "111122223333", Region: "eu-west-1"}
	at := time.Date(2026, 11, 24, 0, 10, 0, 0, time.UTC)
	startAfter := s.startAfter(at.Add(30 * time.Second))
	assert.Equal(t, "p/AWSLogs/o-abcdefghij/111122223333/CloudTrail/eu-west-1/2026/11/24/111122223333_CloudTrail_eu-west-1_20261124T0010Z", startAfter)
	before := trailKey("p/", s.OrgID, s.Account, s.Region, at.Add(-time.Minute), "ZZZZZZZZZZZZZZZZ")
	same := trailKey("p/", s.OrgID, s.Account, s.Region, at, "0000000000000000")
	nextDay := trailKey("p/", s.OrgID, s.Account, s.Region, at.Add(24*time.Hour), "0000000000000000")
	assert.Less(t, before, startAfter)
	assert.Greater(t, same, startAfter)
	assert.Greater(t, nextDay, startAfter)
}
