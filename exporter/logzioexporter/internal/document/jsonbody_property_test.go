// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package document

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
)

// jsonText generates JSON text the way sources write it, and the odd ways too: every escape (canonical or not),
// numbers in several spellings, whitespace, repeated and dotted keys, keys the document itself uses, deep nesting,
// long strings and wide objects.
type jsonText struct {
	rnd    *rand.Rand
	budget int
	sb     strings.Builder
	// clean draws only what the map path writes unchanged (the first cleanKeys keys, cleanStrings strings and
	// cleanNumbers numbers of the lists, no whitespace), so that about half the records take the fast path.
	clean bool
}

const cleanKeys, cleanStrings, cleanNumbers = 11, 8, 5

var jsonKeys = []string{
	"eventName", "a", "b", "a_b", "type", "@timestamp", "log_level", "message", "aws_s3_key", "cloud_region", "ключ",
	"a.b", "", " ", `\t`, `k\"q`, `\u0041`, `k\u002ex`,
}

var jsonStrings = []string{
	"", "plain", `q\"b\\`, `\n\r\t`, `\u0001\u001f`, "é€😀", "\u2028", "x", `\u001F`, `\u000a`, `\/`, `\b\f`, `\u00e9`, `\ud83d\ude00`,
	`\ud800`,
}

var jsonNumbers = []string{
	"0", "0.44", "-42", "3.0", "9223372036854775807", "-0", "7", "123456789012345678", "-9223372036854775808",
	"9223372036854775808", "12345678901234567890123", "1.50", "-0.0", "1e2", "1E+2", "1.5e-7", "1e-7", "1e400", "-1e400",
	"1e-400",
}

// pick returns a random index below n, or below cleanN for a clean record.
func (g *jsonText) pick(n, cleanN int) int {
	if g.clean {
		return g.rnd.IntN(cleanN)
	}
	return g.rnd.IntN(n)
}

func (g *jsonText) ws() {
	if !g.clean && g.rnd.IntN(40) == 0 {
		g.sb.WriteString([]string{" ", "\n", "\t ", "\r\n"}[g.rnd.IntN(4)])
	}
}

func (g *jsonText) str() {
	g.sb.WriteByte('"')
	switch g.rnd.IntN(60) {
	case 0:
		n := maxFieldBytes - 20 + g.rnd.IntN(40)
		if g.rnd.IntN(2) == 0 {
			g.sb.WriteString(strings.Repeat("x", n))
		} else {
			g.sb.WriteString(strings.Repeat(`\n`, n/2) + strings.Repeat("é", n/4))
		}
	default:
		for range g.rnd.IntN(4) {
			g.sb.WriteString(jsonStrings[g.pick(len(jsonStrings), cleanStrings)])
		}
	}
	g.sb.WriteByte('"')
}

func (g *jsonText) key() {
	if g.rnd.IntN(4) != 0 == g.clean {
		g.sb.WriteString(`"k` + strconv.Itoa(g.rnd.IntN(100000)) + `"`)
		return
	}
	g.sb.WriteString(`"` + jsonKeys[g.pick(len(jsonKeys), cleanKeys)] + `"`)
}

func (g *jsonText) value(depth int) {
	g.budget--
	kinds := 7
	if depth > 12 || g.budget <= 0 {
		kinds = 5
	}
	g.ws()
	switch g.rnd.IntN(kinds) {
	case 0:
		g.str()
	case 1:
		g.sb.WriteString(jsonNumbers[g.pick(len(jsonNumbers), cleanNumbers)])
	case 2:
		g.sb.WriteString([]string{"true", "false", "null"}[g.rnd.IntN(3)])
	case 3:
		g.sb.WriteString(strconv.Itoa(g.rnd.IntN(1000)))
	case 4:
		g.str()
	case 5:
		g.object(depth, g.rnd.IntN(5))
	case 6:
		g.sb.WriteByte('[')
		for i := range g.rnd.IntN(4) {
			if i > 0 {
				g.sb.WriteByte(',')
			}
			g.value(depth + 1)
		}
		g.sb.WriteByte(']')
	}
	g.ws()
}

func (g *jsonText) object(depth, members int) {
	g.sb.WriteByte('{')
	if g.rnd.IntN(30) == 0 {
		members = 300 + g.rnd.IntN(900)
	}
	for i := range min(members, max(g.budget, 1)) {
		if i > 0 {
			g.sb.WriteByte(',')
		}
		g.ws()
		g.key()
		g.ws()
		g.sb.WriteByte(':')
		g.value(depth + 1)
	}
	g.sb.WriteByte('}')
}

// record generates a top-level object; most are clean, so that both paths are exercised.
func (g *jsonText) record() string {
	g.sb.Reset()
	g.budget = 3000
	g.clean = g.rnd.IntN(2) == 0
	g.object(0, g.rnd.IntN(30))
	return g.sb.String()
}

// A JSON body's document is the document of the map decoded from it, whichever path the body takes, for generated
// records with every kind of oddity and for line limits that force shrinking.
func TestJSONBodyPropertyEqualsMapBody(t *testing.T) {
	iterations := 600
	if testing.Short() {
		iterations = 100
	}
	g := &jsonText{rnd: rand.New(rand.NewPCG(7, 11))}
	like := plog.NewLogRecord()
	like.SetTimestamp(1_700_000_000_000_000_000)
	like.SetSeverityText("WARN")
	like.Attributes().PutStr("aws.s3.bucket", "b")
	like.Attributes().PutStr("aws.s3.key", "AWSLogs/k.json.gz")
	res, _, _ := newLog()
	res.Attributes().PutStr("cloud.provider", "aws")
	res.Attributes().PutStr("cloud.region", "us-east-1")
	fast := 0
	for i := range iterations {
		raw := g.record()
		maxLine := DefaultMaxLineBytes
		if g.rnd.IntN(5) == 0 {
			maxLine = 1000 + g.rnd.IntN(50000)
		}
		b := NewBuilder(Options{MaxLineBytes: maxLine})
		got, want, gotErr, wantErr := jsonBodyLines(t, b, like, res, raw)
		require.Equal(t, wantErr, gotErr, "record %d: %.300s", i, raw)
		require.Equal(t, string(want), string(got), "record %d: %.300s", i, raw)
		if gotErr == nil {
			_, err := checkLine(got, maxLine)
			require.NoError(t, err, "record %d", i)
		}
		var e encoder
		if e.scanJSON(raw) {
			fast++
		}
	}
	// Both paths were exercised.
	require.Greater(t, fast, iterations/10)
	require.Less(t, fast, iterations*9/10)
}

func FuzzJSONBody(f *testing.F) {
	f.Add(`{"eventName":"x","n":1,"o":{"a":[1,2.5,"s"]}}`, uint16(0))
	f.Add(`{"a.b":1,"a":{"a":1,"a":2},"s":"\u00e9\/"}`, uint16(0))
	f.Add(`{"type":"t","n":1.50,"m":-0,"b":12345678901234567890}`, uint16(300))
	f.Add(strings.Repeat(`{"a":`, 12)+"1"+strings.Repeat("}", 12), uint16(0))
	f.Add(`["not","an","object"]`, uint16(0))
	g := &jsonText{rnd: rand.New(rand.NewPCG(1, 2))}
	for range 8 {
		f.Add(g.record(), uint16(0))
	}
	like := plog.NewLogRecord()
	like.SetTimestamp(1)
	like.Attributes().PutStr("aws.s3.key", "k")
	res, _, _ := newLog()
	res.Attributes().PutStr("cloud.region", "r")
	f.Fuzz(func(t *testing.T, raw string, maxLineSeed uint16) {
		maxLine := DefaultMaxLineBytes
		if maxLineSeed != 0 {
			maxLine = 200 + int(maxLineSeed)
		}
		b := NewBuilder(Options{MaxLineBytes: maxLine})
		got, want, gotErr, wantErr := jsonBodyLines(t, b, like, res, raw)
		if (gotErr == nil) != (wantErr == nil) || string(got) != string(want) {
			t.Fatalf("JSON body and map body differ:\n%s (%v)\n%s (%v)", got, gotErr, want, wantErr)
		}
		// The same line when the resource and the record's attributes are prepared (see Resource).
		var prepared Resource
		b.PrepareResource(&prepared, res)
		lr := plog.NewLogRecord()
		like.CopyTo(lr)
		lr.Body().SetStr(raw)
		scope := pcommon.NewInstrumentationScope()
		scope.Attributes().PutStr(JSONBodyAttribute, JSONBodyFormat)
		for range 2 { // the second time, the record's attributes are the previous record's
			line, _, err := b.AppendRecord(nil, &prepared, scope, lr)
			if (err == nil) != (gotErr == nil) || string(line) != string(got) {
				t.Fatalf("prepared fields change the line:\n%s (%v)\n%s (%v)", line, err, got, gotErr)
			}
		}
	})
}
