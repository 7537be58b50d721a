// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package document

import (
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
)

// randomData generates pdata that exercises every rule: awkward keys, deep nesting,
// long and badly encoded strings, big objects and non-finite numbers.
type randomData struct {
	rnd    *rand.Rand
	budget *int // values left to generate, so that one record stays small
}

func newRandomData(seed uint64) randomData {
	budget := 6000
	return randomData{rnd: rand.New(rand.NewPCG(seed, 0x10c210)), budget: &budget}
}

var awkwardKeys = []string{
	"a", "a.b", "a_b", "a_b_1", ".", "..", "", " ", "\t", "\u3000", "x\xff", "x\xfe", "ключ", "k\"q", "k\nl",
	"requestParameters", "responseElements", "additionalEventData", "serviceEventDetails",
	"type", "@timestamp", "message", "log_level", "trace_id",
}

func (g randomData) key() string {
	switch g.rnd.IntN(40) {
	case 0:
		switch g.rnd.IntN(20) {
		case 0: // longer than a field may be, with and without dots
			return strings.Repeat("k.", 16400+g.rnd.IntN(100))
		case 1:
			return strings.Repeat("k", 32700+g.rnd.IntN(100))
		}
		return g.str(12)
	case 1, 2, 3:
		return g.str(12)
	default:
		return awkwardKeys[g.rnd.IntN(len(awkwardKeys))]
	}
}

func (g randomData) str(maxLen int) string {
	n := g.rnd.IntN(maxLen + 1)
	var b strings.Builder
	for b.Len() < n {
		switch g.rnd.IntN(12) {
		case 0:
			b.WriteByte(byte(g.rnd.IntN(0x20))) // control character
		case 1:
			b.WriteByte(byte(0x80 + g.rnd.IntN(0x80))) // likely invalid UTF-8
		case 2:
			b.WriteString("é€😀")
		case 3:
			b.WriteString(`"\.`)
		default:
			b.WriteByte(byte('a' + g.rnd.IntN(26)))
		}
	}
	return b.String()
}

// builder returns a Builder with the default line limit, or one in four times a limit low enough to force
// shrinking, and that limit.
func (g randomData) builder() (*Builder, int) {
	maxLine := DefaultMaxLineBytes
	if g.rnd.IntN(4) == 0 {
		maxLine = 500 + g.rnd.IntN(20000)
	}
	return NewBuilder(Options{MaxLineBytes: maxLine}), maxLine
}

func (g randomData) fill(v pcommon.Value, depth int) {
	*g.budget--
	kinds := 9
	if depth > 13 || *g.budget <= 0 {
		kinds = 7 // scalars only
	}
	switch g.rnd.IntN(kinds) {
	case 0:
		// empty
	case 1:
		if g.rnd.IntN(30) == 0 {
			v.SetStr(g.str(45000))
		} else {
			v.SetStr(g.str(40))
		}
	case 2:
		v.SetInt(g.rnd.Int64() - math.MaxInt64/2)
	case 3:
		special := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, 1e300, -1e-300, 3}
		if g.rnd.IntN(3) == 0 {
			v.SetDouble(special[g.rnd.IntN(len(special))])
		} else {
			v.SetDouble(g.rnd.NormFloat64() * 1e6)
		}
	case 4:
		v.SetBool(g.rnd.IntN(2) == 0)
	case 5:
		b := make([]byte, g.rnd.IntN(30))
		for i := range b {
			b[i] = byte(g.rnd.IntN(256))
		}
		v.SetEmptyBytes().FromRaw(b)
	case 6:
		v.SetStr(g.str(5))
	case 7:
		m := v.SetEmptyMap()
		n := g.rnd.IntN(6)
		if g.rnd.IntN(25) == 0 {
			n = 300 + g.rnd.IntN(1200)
		}
		for range min(n, max(*g.budget, 0)) {
			g.fill(m.PutEmpty(g.key()), depth+1)
		}
	case 8:
		s := v.SetEmptySlice()
		n := g.rnd.IntN(5)
		if g.rnd.IntN(25) == 0 {
			n = 500 + g.rnd.IntN(2000)
		}
		for range min(n, max(*g.budget, 0)) {
			g.fill(s.AppendEmpty(), depth+1)
		}
	}
}

// Every line produced from random pdata is valid JSON within every Logz.io limit, or
// the record is dropped with ErrDropped and dst untouched.
func TestAppendLineRandomRecordsAreValid(t *testing.T) {
	iterations := 200
	if testing.Short() {
		iterations = 40
	}
	for seed := range uint64(iterations) {
		g := newRandomData(seed)
		b, maxLine := g.builder()
		res, scope, lr := newLog()
		for range g.rnd.IntN(4) {
			g.fill(res.Attributes().PutEmpty(g.key()), 1)
		}
		for range g.rnd.IntN(4) {
			g.fill(lr.Attributes().PutEmpty(g.key()), 1)
		}
		if g.rnd.IntN(3) == 0 {
			g.fill(lr.Body(), 0)
		} else {
			m := lr.Body().SetEmptyMap()
			for range g.rnd.IntN(40) {
				g.fill(m.PutEmpty(g.key()), 1)
			}
		}
		lr.SetTimestamp(pcommon.Timestamp(g.rnd.Uint64()))

		dst := []byte("prefix")
		out, _, err := b.AppendLine(dst, res, scope, lr)
		if err != nil {
			require.ErrorIs(t, err, ErrDropped, "seed %d", seed)
			require.Equal(t, "prefix", string(out), "seed %d", seed)
			continue
		}
		require.Equal(t, "prefix", string(out[:6]), "seed %d", seed)
		_, err = checkLine(out[6:], maxLine)
		require.NoError(t, err, "seed %d", seed)
	}
}

func FuzzAppendLine(f *testing.F) {
	for _, name := range []string{"aws-docs-startlogging.json", "aws-docs-ec2-startinstances.json", "aws-docs-insight.json"} {
		for _, r := range sampleRecords(f, name) {
			f.Add(r, uint32(0))
		}
	}
	f.Add([]byte(`{"a.b":{"a_b":1,"a.b":[1,2,{"c.d":null}]},"a_b":"x\n\u0000"}`), uint32(300))
	f.Add([]byte(`[[[[[[[[[[[[{"deep":true}]]]]]]]]]]]]`), uint32(0))
	f.Add([]byte(`"just a string"`), uint32(0))
	f.Add([]byte(`{"n":1e400}`), uint32(0))
	f.Add([]byte("not json \xff"), uint32(64))
	f.Add([]byte(`{"s":"`+strings.Repeat("é", 20000)+`"}`), uint32(1000))
	if data, err := os.ReadFile("testdata/aws-docs-records.json"); err == nil {
		f.Add(data, uint32(0))
	}

	f.Fuzz(func(t *testing.T, body []byte, maxLineSeed uint32) {
		maxLine := DefaultMaxLineBytes
		if maxLineSeed != 0 {
			maxLine = 100 + int(maxLineSeed%100000)
		}
		b := NewBuilder(Options{MaxLineBytes: maxLine})
		res, scope, lr := newLog()
		res.Attributes().PutStr("cloud.provider", "aws")
		lr.Attributes().PutStr("aws.s3.key", "AWSLogs/x.json.gz")
		if err := decodeJSONInto(body, lr.Body()); err != nil {
			lr.Body().SetStr(string(body))
		}
		line, _, err := b.AppendLine(nil, res, scope, lr)
		// The same line, or error, when the resource and the record's attributes are prepared (see Resource).
		var prepared Resource
		b.PrepareResource(&prepared, res)
		for range 2 { // the second time, the record's attributes are the previous record's
			got, _, gotErr := b.AppendRecord(nil, &prepared, scope, lr)
			if (gotErr == nil) != (err == nil) || string(got) != string(line) {
				t.Fatalf("prepared fields change the line:\n%.500s (%v)\n%.500s (%v)", got, gotErr, line, err)
			}
		}
		if err != nil {
			if !errors.Is(err, ErrDropped) {
				t.Fatalf("error not wrapping ErrDropped: %v", err)
			}
			return
		}
		if _, err := checkLine(line, maxLine); err != nil {
			t.Fatalf("invalid line: %v\n%.500s", err, line)
		}
	})
}
