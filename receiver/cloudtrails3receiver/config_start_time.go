// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver"

import (
	"fmt"
	"strings"
	"time"
)

// parseStartTime reads start_time: an RFC 3339 time, a date (midnight UTC), or a negative duration before now (Go
// units, plus d for days: -24h, -90m, -7d). Empty means not set.
func parseStartTime(v any, now time.Time) (time.Time, error) {
	var s string
	switch v := v.(type) {
	case nil:
		return time.Time{}, nil
	case time.Time:
		return v, nil
	case string:
		s = strings.TrimSpace(v)
	default:
		s = fmt.Sprint(v)
	}
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if d, ok := parseRelative(s); ok {
		if d >= 0 {
			return time.Time{}, fmt.Errorf("start_time %q is not before the start: a relative start_time counts back, e.g. -24h", s)
		}
		return now.Add(d).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("start_time %q is not a time: write an RFC 3339 time (2026-01-02T15:04:05Z), a date (2026-01-02, midnight UTC) or how long before the start (-24h, -7d)", s)
}

// parseRelative reads a Go duration, or a whole number of days written Nd.
func parseRelative(s string) (time.Duration, bool) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		var n int
		if _, err := fmt.Sscanf(days, "%d", &n); err != nil || fmt.Sprint(n) != days || n < -3650 || n > 3650 {
			return 0, false
		}
		return time.Duration(n) * 24 * time.Hour, true
	}
	d, err := time.ParseDuration(s)
	return d, err == nil
}
