// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package jsonlex

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestScanNumber(t *testing.T) {
	for _, tc := range []struct {
		in        string
		end, exp  int
		isInt, ok bool
	}{
		{"0", 1, 1, true, true},
		{"-0", 2, 2, true, true},
		{"123,", 3, 3, true, true},
		{"01", 1, 1, true, true}, // the number 0, then a 1 for the caller to refuse
		{"-12.50e+3]", 9, 6, false, true},
		{"1E5", 3, 1, false, true},
		{"1.5", 3, 3, false, true},
		{"-", 1, 1, false, false},
		{"+1", 0, 0, false, false},
		{".5", 0, 0, false, false},
		{"1.", 2, 2, false, false},
		{"1.e5", 2, 2, false, false},
		{"1e", 2, 1, false, false},
		{"1e+", 3, 1, false, false},
		{"1ex", 2, 1, false, false},
		{"", 0, 0, false, false},
	} {
		n := ScanNumber([]byte(tc.in), 0)
		if n != (Number{End: tc.end, Exp: tc.exp, Int: tc.isInt, OK: tc.ok}) {
			t.Errorf("ScanNumber(%q) = %+v, want end %d exp %d int %v ok %v", tc.in, n, tc.end, tc.exp, tc.isInt, tc.ok)
		}
	}
}

// FuzzNumber checks ValidNumber against encoding/json on literals without surrounding space.
func FuzzNumber(f *testing.F) {
	for _, s := range []string{"0", "-0", "01", "1.5e-300", "1e", "-", "123456789012345678901234567890", "1.", ".1", "1E+2", "0.0e0"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, lit []byte) {
		if len(lit) == 0 || isSpace(lit[0]) || isSpace(lit[len(lit)-1]) {
			return
		}
		isInt, ok := ValidNumber(lit)
		want := json.Valid(lit) && (lit[0] == '-' || (lit[0] >= '0' && lit[0] <= '9'))
		if ok != want {
			t.Fatalf("ValidNumber(%q) = %v, encoding/json %v", lit, ok, want)
		}
		if ok && isInt == bytes.ContainsAny(lit, ".eE") {
			t.Fatalf("ValidNumber(%q) says integer %v", lit, isInt)
		}
		if n := ScanNumber(lit, 0); n.OK && n.Exp != n.End && lit[n.Exp] != 'e' && lit[n.Exp] != 'E' {
			t.Fatalf("ScanNumber(%q).Exp = %d", lit, n.Exp)
		}
	})
}
