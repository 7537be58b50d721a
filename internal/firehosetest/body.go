// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosetest

import (
	"encoding/base64"
	"fmt"
	"strings"
	"time"
)

// Body is test support: a Firehose request body with requestID, the current time in epoch milliseconds as its
// timestamp, and records base64-encoded in order.
func Body(requestID string, records ...[]byte) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `{"requestId":%q,"timestamp":%d,"records":[`, requestID, time.Now().UnixMilli())
	for i, r := range records {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"data":"` + base64.StdEncoding.EncodeToString(r) + `"}`)
	}
	b.WriteString("]}")
	return []byte(b.String())
}
