// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package document

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
)

// The CloudTrail receiver's resource is prepared whole: its keys rewritten once, its members written once.
func TestPrepareResourceCloudTrail(t *testing.T) {
	res := pcommon.NewResource()
	res.Attributes().PutStr("cloud.provider", "aws")
	res.Attributes().PutStr("cloud.account.id", "123456789012")
	res.Attributes().PutStr("logzio.type", "")
	res.Attributes().PutStr("cloud.region", "us-east-1")
	res.Attributes().PutStr("logzio.type", "trail type")

	var r Resource
	NewBuilder(Options{}).PrepareResource(&r, res)
	require.True(t, r.resource.usable)
	require.Equal(t, "trail type", r.resource.docType)
	var members []string
	for _, f := range r.resource.fields {
		members = append(members, f.key+" "+f.member)
	}
	require.Equal(t, []string{
		`cloud_provider "cloud_provider":"aws"`,
		`cloud_account_id "cloud_account_id":"123456789012"`,
		`cloud_region "cloud_region":"us-east-1"`,
	}, members)
}

// Two attributes rewritten to one name: which suffix the second takes depends on the record's fields, so the
// resource is not prepared, and its records are planned as AppendLine plans them.
func TestPrepareResourceCollidingRewrites(t *testing.T) {
	res := pcommon.NewResource()
	res.Attributes().PutStr("a.b", "1")
	res.Attributes().PutStr("a_b", "2")
	var r Resource
	b := NewBuilder(Options{})
	b.PrepareResource(&r, res)
	require.False(t, r.resource.usable)

	_, scope, lr := newLog()
	lr.Body().SetEmptyMap().PutStr("a_b_1", "body")
	want, _, err := b.AppendLine(nil, res, scope, lr)
	require.NoError(t, err)
	got, _, err := b.AppendRecord(nil, &r, scope, lr)
	require.NoError(t, err)
	require.Equal(t, string(want), string(got))
	require.Contains(t, string(got), `"a_b_1":"body","a_b_2":"1","a_b":"2"`)
}

// A resource field whose name a higher source already holds gives way, as AppendLine has it: the prepared fields
// are then not used for that record, and are for the next one.
func TestPreparedResourceGivesWay(t *testing.T) {
	res := pcommon.NewResource()
	res.Attributes().PutStr("cloud.region", "from-resource")
	res.Attributes().PutStr("cloud.provider", "aws")
	b := NewBuilder(Options{})
	var r Resource
	b.PrepareResource(&r, res)
	require.True(t, r.resource.usable)

	cases := map[string]func(lr plog.LogRecord, scope pcommon.InstrumentationScope){
		"map body": func(lr plog.LogRecord, _ pcommon.InstrumentationScope) {
			lr.Body().SetEmptyMap().PutStr("cloud_region", "from-body")
		},
		"JSON body": func(lr plog.LogRecord, scope pcommon.InstrumentationScope) {
			scope.Attributes().PutStr(JSONBodyAttribute, JSONBodyFormat)
			lr.Body().SetStr(`{"cloud_region":"from-body","n":1}`)
		},
		"record attribute": func(lr plog.LogRecord, _ pcommon.InstrumentationScope) {
			lr.Attributes().PutStr("cloud.region", "from-record")
		},
		"no collision": func(lr plog.LogRecord, _ pcommon.InstrumentationScope) {
			lr.Body().SetEmptyMap().PutStr("eventName", "x")
		},
	}
	for name, setup := range cases {
		t.Run(name, func(t *testing.T) {
			_, scope, lr := newLog()
			lr.SetTimestamp(1_700_000_000_000_000_000)
			setup(lr, scope)
			want, wantType, wantErr := b.AppendLine(nil, res, scope, lr)
			got, gotType, gotErr := b.AppendRecord(nil, &r, scope, lr)
			require.NoError(t, wantErr)
			require.NoError(t, gotErr)
			require.Equal(t, wantType, gotType)
			require.Equal(t, string(want), string(got))
			require.Contains(t, string(got), `"cloud_provider":"aws"`)
			if name == "no collision" {
				require.Contains(t, string(got), `"cloud_region":"from-resource"`)
			} else {
				require.NotContains(t, string(got), "from-resource")
			}
		})
	}
}

// Every record's line, type and error are AppendLine's whether its resource is prepared or not, for generated
// resources (awkward and colliding keys, logzio.type, nested and oversized values), record attributes, bodies (maps,
// JSON text, scalars) and line limits that force shrinking; one Resource is reused from resource to resource.
func TestPreparedResourceSameLines(t *testing.T) {
	iterations := 150
	if testing.Short() {
		iterations = 40
	}
	text := &jsonText{rnd: rand.New(rand.NewPCG(3, 5))}
	var r Resource
	usable := 0
	for seed := range uint64(iterations) {
		g := newRandomData(seed)
		b, _ := g.builder()
		res := pcommon.NewResource()
		for range g.rnd.IntN(6) {
			if g.rnd.IntN(6) == 0 {
				res.Attributes().PutStr(TypeAttribute, g.str(3))
				continue
			}
			g.fill(res.Attributes().PutEmpty(g.key()), 1)
		}
		b.PrepareResource(&r, res)
		if r.resource.usable {
			usable++
		}
		prev := pcommon.NewMap()
		for record := range 6 {
			_, scope, lr := newLog()
			lr.SetTimestamp(pcommon.Timestamp(g.rnd.Uint64()))
			switch g.rnd.IntN(4) {
			case 0, 1: // the previous record's attributes, as a receiver sets them on every record of a file
				prev.CopyTo(lr.Attributes())
			case 2: // nearly: one value or the order differs
				nearly(g, prev, lr.Attributes())
			default:
				for range g.rnd.IntN(3) {
					if g.rnd.IntN(2) == 0 {
						lr.Attributes().PutStr(g.key(), g.str(8))
					} else {
						g.fill(lr.Attributes().PutEmpty(g.key()), 1)
					}
				}
			}
			lr.Attributes().CopyTo(prev)
			switch g.rnd.IntN(3) {
			case 0:
				scope.Attributes().PutStr(JSONBodyAttribute, JSONBodyFormat)
				lr.Body().SetStr(text.record())
			case 1:
				m := lr.Body().SetEmptyMap()
				for range g.rnd.IntN(30) {
					g.fill(m.PutEmpty(g.key()), 1)
				}
			default:
				g.fill(lr.Body(), 0)
			}
			want, wantType, wantErr := b.AppendLine([]byte("prefix"), res, scope, lr)
			got, gotType, gotErr := b.AppendRecord([]byte("prefix"), &r, scope, lr)
			require.Equal(t, wantErr, gotErr, "seed %d record %d", seed, record)
			require.Equal(t, wantType, gotType, "seed %d record %d", seed, record)
			require.Equal(t, string(want), string(got), "seed %d record %d", seed, record)
		}
	}
	// Both kinds of resource were exercised.
	require.Greater(t, usable, iterations/4)
	require.Less(t, usable, iterations)
}

// nearly puts into dst the attributes of src with one change: a value replaced (a zero double by its negative, which
// is written differently), or the first two swapped.
func nearly(g randomData, src, dst pcommon.Map) {
	src.CopyTo(dst)
	if dst.Len() == 0 {
		dst.PutDouble(g.key(), 0)
		return
	}
	type kv struct {
		k string
		v pcommon.Value
	}
	var all []kv
	for k, v := range src.All() {
		all = append(all, kv{k, v})
	}
	if len(all) >= 2 && g.rnd.IntN(2) == 0 {
		all[0], all[1] = all[1], all[0]
		dst.Clear()
		for _, e := range all {
			e.v.CopyTo(dst.PutEmpty(e.k))
		}
		return
	}
	k := all[g.rnd.IntN(len(all))].k
	v, _ := dst.Get(k)
	switch {
	case v.Type() == pcommon.ValueTypeDouble && v.Double() == 0:
		v.SetDouble(-v.Double())
	case v.Type() == pcommon.ValueTypeDouble:
		v.SetDouble(0)
	case g.rnd.IntN(2) == 0:
		v.SetDouble(math.Copysign(0, -1))
	default:
		v.SetStr(v.AsString() + "x")
	}
}

// Record attributes equal to the previous record's are written from the fields prepared for it; a zero double and
// its negative are not equal there, as they are not written alike.
func TestPreparedRecordAttributes(t *testing.T) {
	b := NewBuilder(Options{})
	res := pcommon.NewResource()
	res.Attributes().PutStr("cloud.provider", "aws")
	var r Resource
	b.PrepareResource(&r, res)
	key := "AWSLogs/123456789012/CloudTrail/us-east-1/2023/07/19/file.json.gz"
	line := func(set func(pcommon.Map)) string {
		_, scope, lr := newLog()
		lr.Body().SetEmptyMap().PutStr("eventName", "x")
		set(lr.Attributes())
		want, _, err := b.AppendLine(nil, res, scope, lr)
		require.NoError(t, err)
		got, _, err := b.AppendRecord(nil, &r, scope, lr)
		require.NoError(t, err)
		require.Equal(t, string(want), string(got))
		return string(got)
	}
	for range 3 {
		require.Equal(t, `{"type":"cloudtrail","eventName":"x","aws_s3_bucket":"b","aws_s3_key":"`+key+`","cloud_provider":"aws"}`,
			line(func(m pcommon.Map) { m.PutStr("aws.s3.bucket", "b"); m.PutStr("aws.s3.key", key) }))
		require.True(t, r.record.usable)
	}
	require.Contains(t, line(func(m pcommon.Map) { m.PutDouble("n", 0) }), `"n":0.0`)
	require.Contains(t, line(func(m pcommon.Map) { m.PutDouble("n", math.Copysign(0, -1)) }), `"n":-0.0`)
	require.Contains(t, line(func(m pcommon.Map) { m.PutStr("logzio.type", "other") }), `"type":"other"`)
	require.Contains(t, line(func(m pcommon.Map) { m.PutEmptyMap("m").PutStr("k", "v") }), `"m":{"k":"v"}`)
}
