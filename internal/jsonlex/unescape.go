// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package jsonlex // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/jsonlex"

import "bytes"

// AppendUnescaped appends raw, the text of a JSON string between its quotes, to dst with its escapes decoded as
// encoding/json decodes them (surrogates as Surrogates does). bad is the index in raw of the backslash that starts an
// invalid or cut escape, or -1; out then holds what came before it. Nothing else is checked: raw control characters
// and invalid UTF-8 are copied as they are, for the caller to refuse or repair as its format wants.
func AppendUnescaped(dst, raw []byte) (out []byte, bad int) {
	var sur Surrogates
	for i := 0; i < len(raw); {
		j := bytes.IndexByte(raw[i:], '\\')
		if j < 0 {
			return append(sur.Flush(dst), raw[i:]...), -1
		}
		if j > 0 {
			dst = append(sur.Flush(dst), raw[i:i+j]...)
			i += j
		}
		if i+1 >= len(raw) {
			return sur.Flush(dst), i
		}
		if c := raw[i+1]; c != 'u' {
			v, ok := SimpleEscape(c)
			if !ok {
				return sur.Flush(dst), i
			}
			dst = append(sur.Flush(dst), v)
			i += 2
			continue
		}
		r, ok := Hex4(raw[i+2:])
		if !ok {
			return sur.Flush(dst), i
		}
		dst = sur.AppendU(dst, r)
		i += 6
	}
	return sur.Flush(dst), -1
}
