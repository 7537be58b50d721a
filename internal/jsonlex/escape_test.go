// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package jsonlex

import (
	"encoding/json"
	"strconv"
	"testing"
	"unicode/utf8"
)

func TestHex4(t *testing.T) {
	for v := range 0x10000 {
		for _, s := range []string{strconv.FormatInt(int64(v)|0x10000, 16)[1:], fmtUpper(v)} {
			r, ok := Hex4([]byte(s + "zz"))
			if !ok || r != rune(v) {
				t.Fatalf("Hex4(%q) = %x, %v", s, r, ok)
			}
		}
	}
	for _, s := range []string{"", "1", "12", "123", "123g", "g123", "12 3", "+123", "-123", "0x12", "1_23"} {
		if _, ok := Hex4([]byte(s)); ok {
			t.Errorf("Hex4(%q) accepted", s)
		}
	}
}

func fmtUpper(v int) string {
	const digits = "0123456789ABCDEF"
	return string([]byte{digits[v>>12&15], digits[v>>8&15], digits[v>>4&15], digits[v&15]})
}

func TestSimpleEscape(t *testing.T) {
	for c := range 256 {
		got, ok := SimpleEscape(byte(c))
		var want string
		werr := json.Unmarshal([]byte(`"\`+string(rune(c))+`"`), &want)
		if c == 'u' || c >= utf8.RuneSelf {
			if ok {
				t.Errorf("SimpleEscape(%q) accepted", rune(c))
			}
			continue
		}
		if ok != (werr == nil) || ok && string(got) != want {
			t.Errorf("SimpleEscape(%q) = %q, %v; encoding/json: %q, %v", rune(c), got, ok, want, werr)
		}
	}
}

func TestAppendUnescaped(t *testing.T) {
	for _, tc := range []struct {
		raw, want string
		bad       int
	}{
		{`plain`, "plain", -1},
		{`a\"b\\c\/d\b\f\n\r\t`, "a\"b\\c/d\b\f\n\r\t", -1},
		{`\u0041\u00e9\u20ac`, "Aé€", -1},
		{`\ud83d\ude00`, "😀", -1},
		{`\uD83D\uDE00`, "😀", -1},
		{`\ud83d`, "\uFFFD", -1},
		{`\ud83dx`, "\uFFFDx", -1},
		{`\ud83d\n`, "\uFFFD\n", -1},
		{`\ud83d\ud83d\ude00`, "\uFFFD😀", -1},
		{`\ude00\ud83d`, "\uFFFD\uFFFD", -1},
		{`\ude00`, "\uFFFD", -1},
		{`\u0000`, "\x00", -1},
		{"raw\x01ctl\xff", "raw\x01ctl\xff", -1},
		{`ab\x`, "ab", 2},
		{`ab\`, "ab", 2},
		{`ab\u12`, "ab", 2},
		{`ab\u12g4`, "ab", 2},
		{`\ud83d\u12`, "\uFFFD", 6},
	} {
		got, bad := AppendUnescaped([]byte("prefix:"), []byte(tc.raw))
		if string(got) != "prefix:"+tc.want || bad != tc.bad {
			t.Errorf("AppendUnescaped(%q) = %q, %d; want %q, %d", tc.raw, got, bad, tc.want, tc.bad)
		}
	}
}

// jsonString is what encoding/json makes of the JSON string "raw", and whether it accepts it.
func jsonString(raw []byte) (string, bool) {
	var s string
	err := json.Unmarshal(append(append([]byte{'"'}, raw...), '"'), &s)
	return s, err == nil
}

// validPerByte replaces each invalid UTF-8 byte with U+FFFD, as encoding/json does.
func validPerByte(b []byte) string {
	out := make([]byte, 0, len(b))
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		out = utf8.AppendRune(out, r)
		b = b[size:]
	}
	return string(out)
}

// FuzzUnescape checks a JSON string's content against encoding/json: the strict Skipper accepts exactly the strings
// encoding/json accepts, and AppendUnescaped decodes them alike (once invalid UTF-8 is replaced byte by byte, which
// AppendUnescaped leaves to its callers).
func FuzzUnescape(f *testing.F) {
	for _, s := range []string{`plain`, `a\"b\\c\/d\b\f\n\r\t`, `\u0041\u00e9`, `\ud83d\ude00`, `\ud83d`, `\ud83d\ud83d\ude00`,
		`\ude00\ud83d`, "raw\x01", "bad\xff\xfeutf8", `\uDBFF\uDFFF`, `\u12`, `\x`, `a"b`, `\`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		want, wantOK := jsonString(raw)
		quoted := append(append([]byte{'"'}, raw...), '"')
		var k Skipper
		end, err := k.Skip(quoted, 0)
		got, bad := AppendUnescaped(nil, raw)
		gotOK := err == nil && end == len(quoted) && bad < 0
		if gotOK != wantOK {
			t.Fatalf("%q: accepted %v (skip %d, %v; bad escape at %d), encoding/json %v", raw, gotOK, end, err, bad, wantOK)
		}
		if wantOK && validPerByte(got) != want {
			t.Fatalf("%q: decoded %q, encoding/json %q", raw, got, want)
		}
	})
}
