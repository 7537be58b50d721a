// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail

import (
	"bytes"
	"context"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrailtest"
)

// The same CloudTrail files decoded with and without pass_through become the same Logz.io documents, byte for byte,
// through the real logzio exporter; with pass_through nearly every record passes through as its bytes.
func TestPassThroughSameDocumentsAsMap(t *testing.T) {
	l := newLogzio(t)
	keepWrites, err := NewSelector(SelectionConfig{Exclude: []EventRule{{ReadOnly: boolPtr(true)}}})
	require.NoError(t, err)
	files := map[string][]byte{
		"generated, one account":   cloudtrailtest.Body(3, 2000, "123456789012", "us-east-1", genStart),
		"generated, gzip":          gzipBytes(t, cloudtrailtest.Body(4, 2000, "210987654321", "eu-west-1", genStart)),
		"generated, other seed":    cloudtrailtest.Body(5, 2000, "123456789012", "ap-south-1", genStart),
		"generated, pretty-print":  prettyJSON(t, cloudtrailtest.Body(6, 200, "123456789012", "us-east-2", genStart)),
		"odd records":              oddRecordsFile(7, 400),
		"odd records, other seeds": oddRecordsFile(8, 400),
	}
	paths, err := filepath.Glob("testdata/aws-docs-*.json*")
	require.NoError(t, err)
	for _, p := range paths {
		files[filepath.Base(p)] = readTestdata(t, filepath.Base(p))
	}
	options := map[string]Options{
		"defaults":                            {MaxValueBytes: 32700},
		"small batches, values cut at 64":     {MaxBatchRecords: 7, MaxValueBytes: 64},
		"whole values, object key, semconv":   {IncludeObjectKey: true, SemanticAttributes: true},
		"event selection (read-only dropped)": {MaxValueBytes: 32700, Selection: keepWrites},
	}
	for name, data := range files {
		for optName, opts := range options {
			t.Run(name+"/"+optName, func(t *testing.T) {
				got := requireSameDocuments(t, l, opts, data)
				t.Logf("%d of %d records passed through, %d documents", got.passed, got.records, len(got.docs))
				if strings.HasPrefix(name, "generated") && opts.MaxValueBytes != 64 && !strings.Contains(name, "pretty") {
					require.GreaterOrEqual(t, got.passed, got.records*9/10, "most records pass through")
				}
			})
		}
	}
}

// A file whose every token crosses a buffer boundary: records are captured before they are checked.
func TestPassThroughAcrossBufferBoundaries(t *testing.T) {
	l := newLogzio(t)
	body := cloudtrailtest.Body(9, 300, "123456789012", "us-east-1", genStart)
	// Records longer than the scan buffer, and some that are cut at max_value_bytes.
	long := strings.Repeat("x", scanBufferSize+100)
	body = []byte(strings.Replace(string(body), `"eventVersion":"1.`, `"huge":"`+long+`","eventVersion":"1.`, 5))
	for _, maxValue := range []int{0, 32700} {
		got := requireSameDocuments(t, l, Options{MaxValueBytes: maxValue}, body)
		require.Greater(t, got.passed, 250)
	}
}

// Records that break a Logz.io rule or that the parser changes take their slow paths, in the receiver or in the
// exporter, and still become the same documents; corrupt files fail the same way after the same records.
func TestPassThroughOddAndBrokenFiles(t *testing.T) {
	l := newLogzio(t)
	ok := `{"eventTime":"2024-03-01T12:00:00Z","recipientAccountId":"111122223333","awsRegion":"us-west-2","eventName":"A"}`
	for name, data := range map[string]string{
		"dotted and repeated keys":   `{"Records":[{"eventTime":"2024-03-01T12:00:00Z","a.b":1,"a_b":2,"x":{"k":1,"k":2}},` + ok + `]}`,
		"repeated eventTime":         `{"Records":[{"eventTime":"2024-03-01T12:00:00Z","eventTime":"2024-03-02T12:00:00Z"},` + ok + `]}`,
		"type and timestamp keys":    `{"Records":[{"eventTime":"2024-03-01T12:00:00Z","type":"mine","@timestamp":"x","log_level":"y"}]}`,
		"escapes":                    `{"Records":[{"eventTime":"2024-03-01T12:00:00Z","s":"\u00e9\/\b\ud83d\ude00\ud800","k\"q":"\u0041"}]}`,
		"escaped field name":         `{"Records":[{"event\u0054ime":"2024-03-01T12:00:00Z","errorCode":"X"}]}`,
		"numbers":                    `{"Records":[{"eventTime":"2024-03-01T12:00:00Z","n":[0,-0,1.50,1e2,3.0,9223372036854775807,9223372036854775808,1e400,-1e-400]}]}`,
		"deep":                       `{"Records":[{"eventTime":"2024-03-01T12:00:00Z","d":` + strings.Repeat(`{"a":`, 80) + "1" + strings.Repeat("}", 80) + `},` + ok + `]}`,
		"too deep":                   string(deepSeed()),
		"account from userIdentity":  `{"Records":[{"eventTime":"2024-03-01T12:00:00Z","userIdentity":{"accountId":"444455556666"}},{"eventTime":"2024-03-01T12:00:00Z","userIdentity":"x"}]}`,
		"no eventTime, not objects":  `{"Records":[{"eventName":"x"},1,"s",[],null,{"eventTime":"2024-13-01T00:00:00Z"},` + ok + `]}`,
		"invalid token":              `{"Records":[` + ok + `,{"eventTime":"2024-03-01T12:00:00Z","a":tru},` + ok + `]}`,
		"invalid UTF-8 and controls": "{\"Records\":[{\"eventTime\":\"2024-03-01T12:00:00Z\",\"s\":\"a\xffb\x01c\"}]}",
		"truncated":                  `{"Records":[` + ok + `,{"eventTime":"2024-03-01T12:00:00Z","a":"b`,
		"number cut by the end":      `{"Records":[` + ok + `,{"eventTime":"2024-03-01T12:00:00Z","a":[1,2.`,
		"whitespace":                 "{\"Records\":[ {\"eventTime\" : \"2024-03-01T12:00:00Z\" , \"a\":[ 1 ]} ]}",
		"long line":                  `{"Records":[{"eventTime":"2024-03-01T12:00:00Z","a":"` + strings.Repeat("é", 40000) + `","b":"` + strings.Repeat("y", 32000) + `"}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			for _, maxValue := range []int{0, 256, 32700} {
				requireSameDocuments(t, l, Options{MaxValueBytes: maxValue, MaxBatchRecords: 2}, []byte(data))
			}
		})
	}
}

// FuzzPassThrough: for any input, pass-through and the map path emit the same documents, stats and error.
func FuzzPassThrough(f *testing.F) {
	f.Add(cloudtrailtest.Body(11, 5, "123456789012", "us-east-1", genStart), uint16(0))
	f.Add(oddRecordsFile(1, 6), uint16(48))
	f.Add(deepSeed(), uint16(0))
	f.Add([]byte(`{"Records":[{"eventTime":"2024-01-01T00:00:00Z","v":"\ud83d\ude00","n":[1,-2.5e3,true,null,{}]}]}`), uint16(300))
	f.Add([]byte(`{"Records":[{"":"","":"","":[1,2.`), uint16(300)) // found by fuzzing: the parser's error, not truncation
	l := newLogzio(f)
	f.Fuzz(func(t *testing.T, data []byte, maxValue uint16) {
		requireSameDocuments(t, l, Options{MaxBatchRecords: 3, MaxObjectBytes: 1 << 20, MaxValueBytes: int(maxValue)}, data)
	})
}

func prettyJSON(t testing.TB, body []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	require.NoError(t, jsonIndent(&out, body))
	return out.Bytes()
}

// oddRecordsFile generates a CloudTrail file of n records with the oddities sources produce and the rules
// rewrite: unicode escapes, huge values, deep nesting, dotted, blank and repeated names, names the documents use,
// numbers in every spelling. About half the records are clean.
func oddRecordsFile(seed uint64, n int) []byte {
	rng := rand.New(rand.NewPCG(seed, 99))
	var b strings.Builder
	b.WriteString(`{"Records":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		clean := rng.IntN(2) == 0
		b.WriteString(`{"eventTime":"2024-03-01T12:` + twoDigits(i%60) + `:00Z","recipientAccountId":"` +
			[]string{"111122223333", "444455556666"}[rng.IntN(2)] + `","awsRegion":"` + []string{"us-east-1", "eu-west-1"}[rng.IntN(2)] + `"`)
		if rng.IntN(4) == 0 {
			b.WriteString(`,"errorCode":"AccessDenied"`)
		}
		for range rng.IntN(12) {
			b.WriteByte(',')
			oddMember(rng, &b, clean, 1)
		}
		b.WriteByte('}')
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

var (
	oddKeys    = []string{"k", "requestParameters", "responseElements", "userAgent", "a_b", "ключ", "a.b", "type", "@timestamp", "log_level", "aws_s3_key", "", " ", `k\"q`, `\u0041`}
	oddStrings = []string{"", "plain", `q\"b\\`, `\n\t`, `\u0001`, "é😀", `\/`, `\u00e9`, `\ud83d\ude00`, `\ud800`, `\u001F`, `\b`}
	oddNumbers = []string{"0", "7", "-42", "0.44", "3.0", "-0", "1.50", "1e2", "1E-7", "123456789012345678", "9223372036854775807", "9223372036854775808", "1e400"}
)

func oddMember(rng *rand.Rand, b *strings.Builder, clean bool, depth int) {
	pick := func(n, cleanN int) int {
		if clean {
			return rng.IntN(cleanN)
		}
		return rng.IntN(n)
	}
	if rng.IntN(3) == 0 {
		b.WriteString(`"f` + strconv.Itoa(rng.IntN(1000)) + `":`)
	} else {
		b.WriteString(`"` + oddKeys[pick(len(oddKeys), 5)] + `":`)
	}
	oddValue(rng, b, clean, depth, pick)
}

func oddValue(rng *rand.Rand, b *strings.Builder, clean bool, depth int, pick func(n, cleanN int) int) {
	kinds := 7
	if depth > 14 {
		kinds = 4
	}
	switch rng.IntN(kinds) {
	case 0:
		b.WriteByte('"')
		if rng.IntN(40) == 0 {
			b.WriteString(strings.Repeat([]string{"x", "é", `\n`}[rng.IntN(3)], 20000+rng.IntN(20000)))
		}
		for range rng.IntN(4) {
			b.WriteString(oddStrings[pick(len(oddStrings), 6)])
		}
		b.WriteByte('"')
	case 1:
		b.WriteString(oddNumbers[pick(len(oddNumbers), 5)])
	case 2:
		b.WriteString([]string{"true", "false", "null"}[rng.IntN(3)])
	case 3:
		b.WriteString(`"v` + strconv.Itoa(rng.IntN(100)) + `"`)
	case 4, 5:
		b.WriteByte('{')
		for i := range rng.IntN(5) {
			if i > 0 {
				b.WriteByte(',')
			}
			oddMember(rng, b, clean, depth+1)
		}
		b.WriteByte('}')
	default:
		b.WriteByte('[')
		for i := range rng.IntN(4) {
			if i > 0 {
				b.WriteByte(',')
			}
			oddValue(rng, b, clean, depth+1, pick)
		}
		b.WriteByte(']')
	}
}

func twoDigits(n int) string {
	return string([]byte{byte('0' + n/10), byte('0' + n%10)})
}

// Pass-through bodies point into the decoder's read buffers where the records lie (scanner.lend): they stay as they
// were while the same decoder reads on (fifty buffer refills), then other files from its pool, concurrently.
func TestPassThroughBodiesOutliveTheDecoder(t *testing.T) {
	d := NewDecoder(Options{PassThrough: true, MaxValueBytes: 32700, MaxBatchRecords: 300})
	decode := func(seed int64, n int) ([]plog.Logs, []byte) {
		body := cloudtrailtest.Body(seed, n, "123456789012", "us-east-1", genStart)
		var batches []plog.Logs
		_, err := d.Decode(context.Background(), bytes.NewReader(gzipBytes(t, body)), testObject, testObserved,
			func(l plog.Logs) error {
				batches = append(batches, l)
				return nil
			})
		require.NoError(t, err)
		return batches, body
	}
	first, firstBody := decode(21, 2000) // about 3.5 MB decompressed: some fifty read buffers
	var wg sync.WaitGroup
	for seed := range int64(4) {
		wg.Go(func() { decode(100+seed, 1000) })
	}
	wg.Wait()
	decode(30, 500)

	want := recordsOf(t, firstBody)
	var got []string
	for _, ld := range first {
		for _, rl := range ld.ResourceLogs().All() {
			for _, sl := range rl.ScopeLogs().All() {
				for _, lr := range sl.LogRecords().All() {
					got = append(got, lr.Body().Str())
				}
			}
		}
	}
	require.Len(t, got, len(want))
	// Records are grouped by account and region, so compare as sets of distinct texts.
	wantSet := map[string]int{}
	for _, r := range want {
		wantSet[string(r)]++
	}
	for i, body := range got {
		require.Positive(t, wantSet[body], "body %d changed after the decoder went on: %.200s", i, body)
		wantSet[body]--
	}
}
