// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package document

import (
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

// decodeJSON decodes the JSON text s into dest as a JSON body's members become a map (see jsonbody.go): key order
// kept, a repeated key at its first position with its last value, integers that fit int64 as Int, other numbers as
// Double, a number beyond those ranges as a string of its literal, null as an empty value. It is the slow path of
// JSON bodies; trailing data after the value is an error.
func decodeJSON(s string, dest pcommon.Value) error {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if err := decodeBodyToken(dec, tok, dest); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}

func decodeBodyToken(dec *json.Decoder, tok json.Token, dest pcommon.Value) error {
	switch t := tok.(type) {
	case nil:
		// left empty: null
	case bool:
		dest.SetBool(t)
	case string:
		dest.SetStr(t)
	case json.Number:
		setNumber(dest, string(t))
	case json.Delim:
		switch t {
		case '{':
			m := dest.SetEmptyMap()
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return err
				}
				// PutEmpty keeps a repeated key where it first was.
				if err := decodeBodyNext(dec, m.PutEmpty(k.(string))); err != nil {
					return err
				}
			}
		case '[':
			s := dest.SetEmptySlice()
			for dec.More() {
				if err := decodeBodyNext(dec, s.AppendEmpty()); err != nil {
					return err
				}
			}
		}
		_, err := dec.Token() // the closing delimiter
		return err
	}
	return nil
}

func decodeBodyNext(dec *json.Decoder, dest pcommon.Value) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	return decodeBodyToken(dec, tok, dest)
}

// setNumber sets a JSON number literal: Int when it is an integer within int64, Double when it is another number
// within float64, else its literal as a string (no digit lost, nothing refused).
func setNumber(dest pcommon.Value, lit string) {
	if !strings.ContainsAny(lit, ".eE") {
		if v, err := strconv.ParseInt(lit, 10, 64); err == nil {
			dest.SetInt(v)
			return
		}
		dest.SetStr(lit)
		return
	}
	if f, err := strconv.ParseFloat(lit, 64); err == nil {
		dest.SetDouble(f)
		return
	}
	dest.SetStr(lit)
}
