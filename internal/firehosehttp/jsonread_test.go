// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosehttp

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

// readRawString runs readString on raw followed by a closing quote and returns what it read, the raw text the string
// spanned (raw up to the quote that closed it) and its error.
func readRawString(raw string) (got []byte, spanned string, err error) {
	p := newRequestParser(0)
	body := raw + `"`
	r := strings.NewReader(body)
	p.br.Reset(r)
	got, err = p.readString(nil, len(body))
	consumed := len(body) - p.br.Buffered() - r.Len()
	if consumed > 0 {
		spanned = body[:consumed-1]
	}
	return got, spanned, err
}

func TestReadStringEscapes(t *testing.T) {
	for _, tc := range []struct {
		raw, want, wantErr string
	}{
		{raw: `plain`, want: "plain"},
		{raw: `a\"b\\c\/d\b\f\n\r\t`, want: "a\"b\\c/d\b\f\n\r\t"},
		{raw: `\u0041\u00e9\u20AC`, want: "Aé€"},
		{raw: `\ud83d\ude00`, want: "😀"},
		{raw: `\ud83d`, want: "\uFFFD"},
		{raw: `\ude00x`, want: "\uFFFDx"},
		{raw: `\ud83d\u0041`, want: "\uFFFDA"},
		{raw: `\ud83d\ud83d\ude00`, want: "\uFFFD😀"},
		{raw: `\x`, wantErr: "bad escape in a string"},
		{raw: `ab\`, wantErr: "unexpected EOF"}, // the quote is escaped: the input ends inside the string
		{raw: `\u12`, wantErr: `bad \u escape in a string`},
		{raw: `\u12G4`, wantErr: `bad \u escape in a string`},
		{raw: `\ud83d\uZZZZ`, wantErr: `bad \u escape in a string`},
		{raw: "a\x01b", wantErr: "control character in a string"},
		{raw: "\xff", wantErr: "string is not valid UTF-8"},
	} {
		got, _, err := readRawString(tc.raw)
		switch {
		case tc.wantErr == "unexpected EOF":
			if !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Errorf("%q: error %v, want %v", tc.raw, err, io.ErrUnexpectedEOF)
			}
		case tc.wantErr != "":
			if err == nil || !errors.Is(err, errMalformedRequest) || !strings.HasSuffix(err.Error(), ": "+tc.wantErr) {
				t.Errorf("%q: error %v, want %q", tc.raw, err, tc.wantErr)
			}
		case err != nil || string(got) != tc.want:
			t.Errorf("%q: got %q, %v; want %q", tc.raw, got, err, tc.want)
		}
	}
}

// FuzzReadString checks readString against encoding/json: the same text for a string encoding/json accepts, unless
// the string is not valid UTF-8 (which the endpoint refuses where encoding/json would repair it), and an error where
// encoding/json refuses the string.
func FuzzReadString(f *testing.F) {
	for _, s := range []string{`abc`, `\n\t\"`, `\u00e9\ud83d\ude00`, `\ud83d`, `\u12`, `\q`, "\xff", "a\x01", `\\`, `x\"y`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got, spanned, err := readRawString(raw)
		var want string
		jerr := json.Unmarshal([]byte(`"`+spanned+`"`), &want)
		switch {
		case jerr != nil:
			if err == nil {
				t.Fatalf("%q: read %q, encoding/json refuses it: %v", spanned, got, jerr)
			}
		case !utf8.ValidString(spanned):
			if err == nil || !strings.Contains(err.Error(), "not valid UTF-8") {
				t.Fatalf("%q: got %q, %v; want the UTF-8 error", spanned, got, err)
			}
		case err != nil:
			t.Fatalf("%q: %v, encoding/json reads %q", spanned, err, want)
		case !bytes.Equal(got, []byte(want)):
			t.Fatalf("%q: got %q, encoding/json reads %q", spanned, got, want)
		}
	})
}

// FuzzValidScalar checks the number and literal check of skipped values against json.Valid.
func FuzzValidScalar(f *testing.F) {
	for _, s := range []string{"0", "-0", "01", "1.5e3", "1.", "-", "true", "nul", "1e+", "12E-3", "tru"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, token string) {
		for i := 0; i < len(token); i++ {
			if !isScalarByte(token[i]) && !(i == 0 && token[0] == '-') {
				return // skipValue never collects such a token
			}
		}
		if got, want := validScalar([]byte(token)), json.Valid([]byte(token)); got != want {
			t.Fatalf("validScalar(%q) = %v, json.Valid %v", token, got, want)
		}
	})
}
