// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package metricstream

import (
	"bytes"
	"errors"
	"fmt"
	"hash/maphash"
	"strings"
	"sync"
	"unicode/utf8"

	"go.opentelemetry.io/collector/pdata/pmetric"
)

// ErrMalformed is returned (wrapped with details) for a record that cannot be decoded. Test with errors.Is.
var ErrMalformed = errors.New("malformed metric-stream record")

// MaxRecordBytes is the largest record accepted: Firehose's limit for one decoded record.
const MaxRecordBytes = 1_024_000

const (
	// maxDimensions bounds the dimensions of one data point (CloudWatch allows 30).
	maxDimensions = 64
	// maxQuantiles bounds the percentiles of one data point (a stream allows 20 additional statistics).
	maxQuantiles = 64
	// maxInterned bounds each per-batch string cache; past it strings are still produced, just not cached.
	maxInterned = 1 << 16
)

// Stats counts what a batch did with its records.
type Stats struct {
	// Records is the number of records decoded into the batch (demo, empty, malformed and duplicate records
	// excluded).
	Records int
	// DataPoints is the number of CloudWatch data points added (one per metric and period, whatever the naming).
	DataPoints int
	// DroppedByNamespace is the number of data points dropped because their namespace is not configured.
	DroppedByNamespace int
	// DemoRecords is the number of Firehose console demo records (stock ticker JSON) accepted and ignored.
	DemoRecords int
	// EmptyRecords is the number of empty (or whitespace-only) records skipped.
	EmptyRecords int
	// MalformedRecords is the number of records rejected with ErrMalformed.
	MalformedRecords int
	// SkippedLines is the number of undecodable JSON lines skipped inside records that had good lines.
	SkippedLines int
	// DuplicateLines is the number of JSON metric lines dropped because a byte-for-byte identical line was already
	// decoded in the batch (Firehose may deliver a record twice in one request).
	DuplicateLines int
	// DuplicateRecords is the number of OpenTelemetry records dropped because a byte-for-byte identical record was
	// already decoded in the batch.
	DuplicateRecords int
	// DroppedStatistics is the number of JSON statistics with no series in either naming (e.g. "TM(25%:75%)").
	DroppedStatistics int
	// UnsupportedMetrics is the number of OpenTelemetry metrics that are not summaries (streams only send summaries).
	UnsupportedMetrics int
}

// Decoder turns metric-stream records into pdata. It is safe for concurrent use; each request uses its own Batch.
type Decoder struct {
	format     Format
	naming     Naming
	namespaces map[string]struct{} // nil: all
	logzioName string
	// seed keys the hashes that detect duplicate lines and records (see dedup.go).
	seed maphash.Seed
	// records pools the decoding buffers of one record; they are only used inside AddRecord.
	records sync.Pool
}

// NewDecoder validates the options and returns a Decoder.
func NewDecoder(opts Options) (*Decoder, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	name := opts.LogzioName
	if name == "" {
		name = DefaultLogzioName
	}
	return &Decoder{
		format:     opts.format(),
		naming:     opts.naming(),
		namespaces: opts.namespaceSet(),
		logzioName: name,
		seed:       maphash.MakeSeed(),
	}, nil
}

// Batch accumulates every record of one Firehose request into one pmetric.Metrics. A Batch is not safe for
// concurrent use.
type Batch struct {
	d       *Decoder
	metrics pmetric.Metrics
	stats   Stats
	// droppedNamespaces counts the data points dropped by the namespace filter per namespace.
	droppedNamespaces map[string]int
	rec               *record // the record being added; nil outside AddRecord
	// format is the format of the first record that told it ("" before).
	format Format

	logzioName  string
	streamIndex map[string]int
	streams     []stream
	resources   map[resourceKey]*batchResource
	keyBuf      []byte
	interned    stringCache[string]
	logzio      logzioState
	otel        otelState
	// seenLines and seenRecords hold the hashes of the JSON lines and OpenTelemetry records decoded so far (dedup.go).
	seenLines   hashSet
	seenRecords hashSet
}

// NewBatch starts a batch for one request. commonAttributes are the Firehose request's common attributes; with the
// logzio naming, the P8S_LOGZIO_NAME key (any case) becomes the p8s_logzio_name label.
func (d *Decoder) NewBatch(commonAttributes map[string]string) *Batch {
	b := &Batch{d: d, metrics: pmetric.NewMetrics(), logzioName: d.logzioName}
	if v, ok := lookupFold(commonAttributes, "p8s_logzio_name"); ok && v != "" {
		b.logzioName = v
	}
	return b
}

// lookupFold finds key in m case-insensitively, preferring an exact match.
func lookupFold(m map[string]string, key string) (string, bool) {
	if v, ok := m[key]; ok {
		return v, true
	}
	if v, ok := m[strings.ToUpper(key)]; ok {
		return v, true
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return "", false
}

// Metrics returns the metrics accumulated so far. The batch keeps ownership until the caller stops adding records.
func (b *Batch) Metrics() pmetric.Metrics { return b.metrics }

// Format returns the stream output format of the batch's records as they were read — FormatJSON, FormatOTel07 or
// FormatOTel10, detected per record with FormatAuto — from the first record that told it, even one that could not be
// decoded; "" when no record did (only empty records, or bytes neither JSON nor OpenTelemetry).
func (b *Batch) Format() Format { return b.format }

// Stats returns the counters of the batch.
func (b *Batch) Stats() Stats { return b.stats }

// DroppedNamespaces returns the number of data points dropped by the namespace filter per namespace (nil when none
// was dropped). The map belongs to the batch.
func (b *Batch) DroppedNamespaces() map[string]int { return b.droppedNamespaces }

// AddRecord decodes one record (the base64-decoded data of one Firehose record) into the batch. A record that cannot
// be decoded returns an error wrapping ErrMalformed and leaves the batch unchanged. Empty records and the Firehose
// console's demo record are accepted and counted.
func (b *Batch) AddRecord(data []byte) error {
	if len(data) > MaxRecordBytes {
		b.stats.MalformedRecords++
		return fmt.Errorf("%w: record of %d bytes is over the %d-byte limit", ErrMalformed, len(data), MaxRecordBytes)
	}
	rec, _ := b.d.records.Get().(*record)
	if rec == nil {
		rec = &record{}
	}
	b.rec = rec
	err := b.addRecord(data)
	b.rec = nil
	rec.reset()
	b.d.records.Put(rec)
	return err
}

func (b *Batch) addRecord(data []byte) error {
	b.rec.reset()

	jsonLike := looksLikeJSON(data)
	if b.d.format != FormatOTel07 && b.d.format != FormatOTel10 && len(bytes.TrimLeft(data, jsonSpace)) == 0 {
		b.stats.EmptyRecords++
		return nil
	}
	var (
		demo bool
		otel bool // decoded as OpenTelemetry
		err  error
	)
	switch b.d.format {
	case FormatJSON:
		if !jsonLike {
			err = fmt.Errorf("%w: record does not start with '{' and is not in the JSON format: set format to %q for OpenTelemetry streams",
				ErrMalformed, FormatAuto)
			break
		}
		demo, err = b.decodeJSON(data)
	case FormatOTel07, FormatOTel10:
		if jsonLike {
			var jsonErr error
			if demo, jsonErr = b.decodeJSON(data); demo {
				break
			}
			if jsonErr == nil {
				b.discardRecord()
				err = fmt.Errorf("%w: record is in the JSON format but format is %s: set format to %q or %q",
					ErrMalformed, b.d.format, FormatAuto, FormatJSON)
				break
			}
			b.discardRecord()
		}
		err = b.decodeOTel(data, versionOf(b.d.format))
		otel = true
	default:
		if !jsonLike {
			err = b.decodeOTel(data, versionUnknown)
			otel = true
			break
		}
		demo, err = b.decodeJSON(data)
		if err != nil && !demo {
			// An OpenTelemetry record whose first length byte happens to be '{' (123) or whitespace.
			// Accept that reading only if it yields data points, so garbage is not taken for an empty message.
			b.discardRecord()
			if b.decodeOTel(data, versionUnknown) == nil && len(b.rec.points) > 0 {
				err, otel = nil, true
			} else {
				b.rec.reset()
			}
		}
	}
	b.noteFormat(jsonLike, otel)
	if err != nil {
		b.forgetLines()
		b.stats.MalformedRecords++
		return err
	}
	if demo {
		b.stats.DemoRecords++
		return nil
	}
	if otel && len(data) > 0 && !b.firstRecord(data) {
		b.stats.DuplicateRecords++
		return nil
	}
	b.stats.Records++
	b.stats.SkippedLines += b.rec.skippedLines
	b.stats.DuplicateLines += b.rec.duplicateLines
	b.stats.DroppedStatistics += b.rec.droppedStatistics
	b.stats.UnsupportedMetrics += b.rec.unsupportedMetrics
	b.emitRecord()
	return nil
}

// noteFormat remembers the format of the record just read, when the batch has none yet: JSON for a record read as
// JSON (the console's demo records included), the OpenTelemetry version for one read as OpenTelemetry.
func (b *Batch) noteFormat(jsonLike, otel bool) {
	switch {
	case b.format != "":
	case otel && b.rec.otelVersion != versionUnknown:
		b.format = Format(b.rec.otelVersion.String())
	case !otel && jsonLike:
		b.format = FormatJSON
	}
}

const jsonSpace = " \t\r\n"

func looksLikeJSON(data []byte) bool {
	data = bytes.TrimLeft(data, jsonSpace)
	return len(data) > 0 && data[0] == '{'
}

// emitRecord adds the decoded record to the batch; it cannot fail.
func (b *Batch) emitRecord() {
	for i := range b.rec.points {
		p := &b.rec.points[i]
		if b.d.namespaces != nil {
			if _, ok := b.d.namespaces[string(p.namespace)]; !ok {
				b.countDropped(p.namespace)
				continue
			}
		}
		if b.d.naming == NamingOTel {
			b.emitOTel(p)
		} else {
			b.emitLogzio(p)
		}
		b.stats.DataPoints++
	}
}

// countDropped counts a data point dropped by the namespace filter.
func (b *Batch) countDropped(namespace []byte) {
	b.stats.DroppedByNamespace++
	if b.droppedNamespaces == nil {
		b.droppedNamespaces = make(map[string]int)
	}
	if _, ok := b.droppedNamespaces[string(namespace)]; ok || len(b.droppedNamespaces) < maxInterned {
		b.droppedNamespaces[string(namespace)]++
	}
}

// str returns raw as a valid UTF-8 string, cached for the batch.
func (b *Batch) str(raw []byte) string {
	return b.intern(raw, false)
}

// lower returns raw lower-cased (strings.ToLower) as a valid UTF-8 string, cached for the batch.
func (b *Batch) lower(raw []byte) string {
	return b.intern(raw, true)
}

func (b *Batch) intern(raw []byte, lower bool) string {
	if len(raw) == 0 {
		return ""
	}
	cache := &b.interned
	if lower {
		cache = &b.logzio.lowered
	}
	if s, ok := cache.get(raw); ok {
		return s
	}
	key := string(raw)
	s := key
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if lower {
		s = strings.ToLower(s)
	}
	return cache.put(key, s)
}
