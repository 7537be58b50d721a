// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver"

import (
	"slices"
	"strings"
	"time"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/s3notification"
)

// objectSelector decides which notified objects are CloudTrail log files this receiver reads, applying the same
// options as polling: bucket and prefix when set, accounts, regions, include_insights, and start_time.
type objectSelector struct {
	bucket          string // "" accepts every bucket
	prefix          string // keyPrefix(); "" with anyPrefix accepts every prefix
	anyPrefix       bool
	accounts        []string
	regions         []string
	includeInsights bool
	start           time.Time // zero reads everything
}

func (s objectSelector) skipReason(ref s3notification.ObjectRef) string {
	if s.bucket != "" && ref.Bucket != s.bucket {
		return skipFiltered
	}
	if strings.HasSuffix(ref.Key, "/") {
		return skipFolder
	}
	if ref.Size == 0 {
		return skipEmpty
	}
	prefix := s.prefix
	if s.anyPrefix {
		var ok bool
		if prefix, ok = trailPrefixOf(ref.Key); !ok {
			return skipNotTrailLog
		}
	}
	lf, err := parseLogKey(prefix, ref.Key)
	switch {
	case err != nil && !s.anyPrefix && !strings.HasPrefix(ref.Key, prefix+awsLogsFolder):
		return skipFiltered
	case err != nil:
		return skipNotTrailLog
	case lf.Subtree.Insights && !s.includeInsights:
		return skipFiltered
	case len(s.accounts) > 0 && !slices.Contains(s.accounts, lf.Subtree.Account):
		return skipFiltered
	case len(s.regions) > 0 && !slices.Contains(s.regions, lf.Subtree.Region):
		return skipFiltered
	case !s.start.IsZero() && lf.Time.Before(s.start.Truncate(time.Minute)):
		return skipBeforeStart
	}
	return ""
}

// trailPrefixOf is the trail's key prefix of a key: everything before the first "AWSLogs/" that starts the key or
// follows a '/'.
func trailPrefixOf(key string) (string, bool) {
	for i := 0; ; {
		j := strings.Index(key[i:], awsLogsFolder)
		if j < 0 {
			return "", false
		}
		j += i
		if j == 0 || key[j-1] == '/' {
			return key[:j], true
		}
		i = j + 1
	}
}
