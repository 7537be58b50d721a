// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package jsonlex

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// skipWhole reports whether k accepts b as one value with only whitespace around it, feeding it in pieces of at most
// piece bytes (0: at once).
func skipWhole(k *Skipper, b []byte, piece int) (bool, error) {
	k.Reset()
	if piece <= 0 {
		piece = len(b) + 1
	}
	i := 0
	for {
		chunk := b[i:min(len(b), i+piece)]
		n, done, err := k.Feed(chunk)
		if err != nil {
			return false, err
		}
		i += n
		if done {
			break
		}
		if i == len(b) {
			if err := k.End(); err != nil {
				return false, err
			}
			break
		}
	}
	for _, c := range b[i:] {
		if !isSpace(c) {
			return false, errors.New("text after the value")
		}
	}
	return true, nil
}

func TestSkipper(t *testing.T) {
	valid := []string{
		`0`, ` -12.5e+3 `, `"a\"b\u00e9\ud83d"`, `true`, `false`, `null`, `[]`, `{}`, `[1,"2",[3],{"a":{}}]`,
		` { "a" : [ true , null ] , "b" : -0 } `, "\"\xff invalid UTF-8 passes\"", `[0,1e5,2E-3]`,
	}
	invalid := []string{
		``, ` `, `-`, `01`, `1.`, `.5`, `+1`, `tru`, `nul`, `truex`, `[1,]`, `[,1]`, `{"a"}`, `{"a":}`, `{"a":1,}`,
		`{a:1}`, `{"a":1]`, `[1}`, `"\x"`, `"\u12g4"`, "\"raw\ttab\"", `"open`, `[`, `{"a":1`, `1 2`, `}`,
	}
	for _, piece := range []int{0, 1, 2, 3, 7} {
		for _, s := range valid {
			var k Skipper
			if ok, err := skipWhole(&k, []byte(s), piece); !ok {
				t.Errorf("piece %d: %q refused: %v", piece, s, err)
			}
		}
		for _, s := range invalid {
			var k Skipper
			if ok, _ := skipWhole(&k, []byte(s), piece); ok {
				t.Errorf("piece %d: %q accepted", piece, s)
			}
		}
	}
	lenient := Skipper{AllowControl: true}
	if ok, err := skipWhole(&lenient, []byte("\"raw\ttab\x01\""), 0); !ok {
		t.Errorf("AllowControl: %v", err)
	}
}

func TestSkipperEndsAfterValue(t *testing.T) {
	var k Skipper
	for _, tc := range []struct {
		in  string
		end int
	}{{`12,3`, 2}, {`"a",`, 3}, {`[1] x`, 3}, {` {"a":1}}`, 8}, {`null]`, 4}} {
		if end, err := k.Skip([]byte(tc.in), 0); err != nil || end != tc.end {
			t.Errorf("Skip(%q) = %d, %v; want %d", tc.in, end, err, tc.end)
		}
	}
	if end, err := k.Skip([]byte(`[1,x]`), 0); err == nil || end != 3 {
		t.Errorf("error at %d (%v), want 3", end, err)
	}
}

func TestSkipperDepth(t *testing.T) {
	k := Skipper{MaxDepth: 3}
	if _, err := k.Skip([]byte(`[[[1]]]`), 0); err != nil {
		t.Error(err)
	}
	if _, err := k.Skip([]byte(`[[[[]]]]`), 0); !errors.Is(err, ErrTooDeep) {
		t.Errorf("4 levels with MaxDepth 3: %v", err)
	}
	var unbounded Skipper
	deep := strings.Repeat("[", MaxSkipDepth) + strings.Repeat("]", MaxSkipDepth)
	if _, err := unbounded.Skip([]byte(deep), 0); err != nil {
		t.Error(err)
	}
	if _, err := unbounded.Skip([]byte("["+deep+"]"), 0); err == nil {
		t.Error("deeper than MaxSkipDepth accepted")
	}
}

// FuzzSkip checks the Skipper against encoding/json's json.Valid, fed at once and in pieces; with AllowControl it
// accepts at least as much, and the same where no string holds a control character.
func FuzzSkip(f *testing.F) {
	for _, s := range []string{`{"a":[1,2.5e-3,true,null,{"b":"c\u00e9"}]}`, ` [ ] `, `-0`, `01`, `"\ud83d"`, `{"a":1,}`,
		"\"\t\"", `[1,2`, `{"Records":[{"eventTime":"2024-01-01T00:00:00Z"}]}`, `1e+`, `[[[[[[[[]]]]]]]]`} {
		f.Add([]byte(s), uint8(0))
		f.Add([]byte(s), uint8(3))
	}
	f.Fuzz(func(t *testing.T, b []byte, piece uint8) {
		if strings.Count(string(b), "[")+strings.Count(string(b), "{") >= MaxSkipDepth {
			return
		}
		want := json.Valid(b)
		var k Skipper
		got, err := skipWhole(&k, b, int(piece))
		if got != want {
			t.Fatalf("%q (pieces of %d): accepted %v (%v), encoding/json %v", b, piece, got, err, want)
		}
		lenient := Skipper{AllowControl: true}
		loose, _ := skipWhole(&lenient, b, int(piece))
		if want && !loose {
			t.Fatalf("%q: AllowControl refuses a valid value", b)
		}
		if loose && !want && !strings.ContainsFunc(string(b), func(r rune) bool { return r < ' ' }) {
			t.Fatalf("%q: AllowControl accepts an invalid value without control characters", b)
		}
	})
}
