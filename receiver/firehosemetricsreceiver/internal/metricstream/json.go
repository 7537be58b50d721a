// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package metricstream

import (
	"bytes"
	"fmt"
	"strconv"
)

// minuteNanos is the aggregation period of a metric stream: a JSON line's timestamp is the period start.
const minuteNanos = 60_000_000_000

// maxTimestampMillis keeps timestamp*1e6 (+ one minute) within int64 nanoseconds.
const maxTimestampMillis = (1<<63-1)/1_000_000 - 60_000

// decodeJSON decodes a JSON record (docs/metric-streams.md#json) into b.rec: newline-delimited objects, one data point
// each. Bad lines are skipped and counted; a record without any good line is malformed, unless it holds only Firehose
// demo objects, which makes it a demo record.
func (b *Batch) decodeJSON(data []byte) (demo bool, err error) {
	s := jsonScanner{data: data, scratch: &b.rec.scratch}
	var (
		firstErr  error
		firstLine int
		demoLines int
		badLines  int
		dupLines  int
	)
	for line := 1; ; line++ {
		s.ws()
		if s.pos >= len(data) {
			break
		}
		lineStart := s.pos
		kind, err := b.jsonLine(&s, lineStart)
		switch {
		case err != nil:
			badLines++
			if firstErr == nil {
				firstErr, firstLine = err, line
			}
			// Resynchronise on the line after the one the object started on.
			if i := bytes.IndexByte(data[lineStart:], '\n'); i >= 0 {
				s.pos = lineStart + i + 1
			} else {
				s.pos = len(data)
			}
		case kind == lineDemo:
			demoLines++
		case kind == lineDuplicate:
			dupLines++
		}
	}
	switch {
	case len(b.rec.points) > 0 || dupLines > 0:
		b.rec.skippedLines = badLines
		b.rec.duplicateLines = dupLines
		return false, nil
	case demoLines > 0:
		return true, nil
	case firstErr != nil:
		return false, fmt.Errorf("%w: JSON record has no valid line (%d bad); line %d: %w", ErrMalformed, badLines, firstLine, firstErr)
	default:
		return false, fmt.Errorf("%w: JSON record holds no object", ErrMalformed)
	}
}

type lineKind int

const (
	lineMetric lineKind = iota
	lineDemo
	// lineDuplicate is a metric line byte-for-byte identical to one already decoded in the batch: dropped.
	lineDuplicate
)

// jsonLine decodes one object, which starts at start. On error, and for a duplicate line, the record buffers are
// restored to their state before the line.
func (b *Batch) jsonLine(s *jsonScanner, start int) (lineKind, error) {
	rec := b.rec
	dimMark, qMark, dropMark, resMark := len(rec.dims), len(rec.quantiles), rec.droppedStatistics, len(rec.resources)
	kind, err := b.jsonObject(s)
	if err == nil && kind == lineMetric && !b.firstLine(s.data[start:s.pos]) {
		n := len(rec.points) - 1
		rec.points[n] = point{}
		rec.points = rec.points[:n]
		clear(rec.dims[dimMark:])
		clear(rec.resources[resMark:])
		rec.resources = rec.resources[:resMark]
		kind = lineDuplicate
	}
	if err != nil || kind != lineMetric {
		rec.dims, rec.quantiles, rec.droppedStatistics = rec.dims[:dimMark], rec.quantiles[:qMark], dropMark
	}
	return kind, err
}

func (b *Batch) jsonObject(s *jsonScanner) (lineKind, error) {
	rec := b.rec
	p := point{dimStart: len(rec.dims), qStart: len(rec.quantiles)}
	var (
		ri                              = resourceInfo{provider: awsProvider, fromJSON: true}
		hasTimestamp, hasValue          bool
		hasTicker, hasSector, hasChange bool
		timestamp                       int64
	)
	empty, err := s.objectStart()
	if err != nil {
		return lineMetric, err
	}
	for more := !empty; more; {
		key, err := s.key()
		if err != nil {
			return lineMetric, err
		}
		switch string(key) {
		case "metric_stream_name":
			ri.streamName, err = s.str()
		case "account_id":
			ri.account, err = s.str()
		case "region":
			ri.region, err = s.str()
		case "namespace":
			p.namespace, err = s.str()
		case "metric_name":
			p.metricName, err = s.str()
		case "unit":
			p.cwUnit, err = s.str()
		case "dimensions":
			err = b.jsonDimensions(s)
		case "timestamp":
			timestamp, err = s.int()
			hasTimestamp = true
		case "value":
			err = b.jsonValue(s, &p)
			hasValue = true
		case "TICKER_SYMBOL":
			hasTicker = true
			err = s.skip(0)
		case "SECTOR":
			hasSector = true
			err = s.skip(0)
		case "CHANGE":
			hasChange = true
			err = s.skip(0)
		default:
			err = s.skip(0)
		}
		if err != nil {
			return lineMetric, err
		}
		if more, err = s.next(); err != nil {
			return lineMetric, err
		}
	}
	if hasTicker && hasSector && hasChange && len(p.metricName) == 0 {
		return lineDemo, nil
	}
	switch {
	case len(p.namespace) == 0:
		return lineMetric, s.fail("missing or empty \"namespace\"")
	case len(p.metricName) == 0:
		return lineMetric, s.fail("missing or empty \"metric_name\"")
	case !hasTimestamp:
		return lineMetric, s.fail("missing \"timestamp\"")
	case timestamp < 0 || timestamp > maxTimestampMillis:
		return lineMetric, s.fail("\"timestamp\" " + strconv.FormatInt(timestamp, 10) + " is not epoch milliseconds")
	case !hasValue:
		return lineMetric, s.fail("missing \"value\"")
	}
	p.start = uint64(timestamp) * 1e6
	p.end = p.start + minuteNanos
	p.dimEnd, p.qEnd = len(rec.dims), len(rec.quantiles)
	if p.dimEnd-p.dimStart > maxDimensions {
		return lineMetric, s.fail("more than " + strconv.Itoa(maxDimensions) + " dimensions")
	}
	if p.qEnd-p.qStart > maxQuantiles {
		return lineMetric, s.fail("more than " + strconv.Itoa(maxQuantiles) + " percentiles")
	}
	sortDims(rec.dims[p.dimStart:p.dimEnd])
	sortQuantiles(rec.quantiles[p.qStart:p.qEnd])
	p.res = b.jsonResource(ri)
	rec.points = append(rec.points, p)
	return lineMetric, nil
}

var awsProvider = []byte("aws")

// jsonResource reuses the previous line's resource when it is the same, as it nearly always is.
func (b *Batch) jsonResource(ri resourceInfo) int {
	rec := b.rec
	if n := len(rec.resources); n > 0 {
		last := &rec.resources[n-1]
		if last.fromJSON && bytes.Equal(last.account, ri.account) && bytes.Equal(last.region, ri.region) &&
			bytes.Equal(last.streamName, ri.streamName) {
			return n - 1
		}
	}
	return rec.addResource(ri)
}

// jsonDimensions reads the "dimensions" object (name → string value).
func (b *Batch) jsonDimensions(s *jsonScanner) error {
	empty, err := s.objectStart()
	if err != nil || empty {
		return err
	}
	for {
		k, err := s.key()
		if err != nil {
			return err
		}
		v, err := s.str()
		if err != nil {
			return err
		}
		b.rec.dims = append(b.rec.dims, kv{key: k, value: v})
		more, err := s.next()
		if err != nil || !more {
			return err
		}
	}
}

// jsonValue reads the "value" object: count, sum, min, max, percentiles and other statistics.
func (b *Batch) jsonValue(s *jsonScanner, p *point) error {
	empty, err := s.objectStart()
	if err != nil || empty {
		return err
	}
	for {
		k, err := s.key()
		if err != nil {
			return err
		}
		v, err := s.float()
		if err != nil {
			return err
		}
		switch string(k) {
		case "count":
			p.countF = v
			p.countU = floatCount(v)
		case "sum":
			p.sum = v
		case "min":
			p.min, p.hasMin = v, true
		case "max":
			p.max, p.hasMax = v, true
		default:
			if q, ok := percentile(k); ok && q > 0 && q < 1 {
				b.rec.quantiles = append(b.rec.quantiles, quantileValue{q: q, v: v})
			} else {
				b.rec.droppedStatistics++
			}
		}
		more, err := s.next()
		if err != nil || !more {
			return err
		}
	}
}

// floatCount converts a JSON sample count to the summary's integer count (fractions truncated).
func floatCount(v float64) uint64 {
	if !(v >= 0) || v >= 1<<64 {
		return 0
	}
	return uint64(v)
}

// percentile maps a CloudWatch percentile statistic name (p99, p99.9, p5, p100) to its quantile by moving the
// decimal point in the text, so that "p99.9" gives exactly the double nearest to 0.999 (99.9/100 would not).
func percentile(stat []byte) (float64, bool) {
	if len(stat) < 2 || stat[0] != 'p' {
		return 0, false
	}
	digits := stat[1:]
	intLen := bytes.IndexByte(digits, '.')
	frac := []byte(nil)
	if intLen < 0 {
		intLen = len(digits)
	} else {
		frac = digits[intLen+1:]
		if len(frac) == 0 {
			return 0, false
		}
	}
	intPart := digits[:intLen]
	if len(intPart) == 0 || len(intPart) > 3 || len(frac) > 20 || !allDigits(intPart) || !allDigits(frac) {
		return 0, false
	}
	var buf [32]byte
	text := append(buf[:0], "0."...)
	switch len(intPart) {
	case 1:
		text = append(append(text, '0'), intPart...)
	case 2:
		text = append(text, intPart...)
	case 3:
		if string(intPart) != "100" || len(bytes.Trim(frac, "0")) > 0 {
			return 0, false
		}
		return 1, true
	}
	text = append(text, frac...)
	q, err := strconv.ParseFloat(string(text), 64)
	return q, err == nil
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
