// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosehttp // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosehttp"

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// maxErrorMessageLength is Firehose's limit on errorMessage.
const maxErrorMessageLength = 8192

// firehoseResponse is the only answer shape Firehose accepts; unknown fields would make the answer invalid.
type firehoseResponse struct {
	RequestID    string `json:"requestId"`
	Timestamp    int64  `json:"timestamp"`
	ErrorMessage string `json:"errorMessage,omitempty"`
}

func (h *Handler) respond(w http.ResponseWriter, r *http.Request, status int, requestID, msg string) {
	body, err := json.Marshal(firehoseResponse{RequestID: requestID, Timestamp: h.now().UnixMilli(), ErrorMessage: truncate(msg)})
	if err != nil { // cannot happen with strings and an int64
		body = []byte(`{"requestId":"","timestamp":0}`)
	}
	hdr := w.Header()
	hdr.Set("Content-Type", "application/json")
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	hdr.Del("Content-Encoding")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

func truncate(msg string) string {
	if len(msg) <= maxErrorMessageLength {
		return msg
	}
	return msg[:maxErrorMessageLength]
}

// parseCommonAttributes reads X-Amz-Firehose-Common-Attributes: {"commonAttributes": {"<key>": "<value>", ...}}.
func parseCommonAttributes(header string) (map[string]string, error) {
	if strings.TrimSpace(header) == "" {
		return nil, nil
	}
	var v struct {
		CommonAttributes map[string]string `json:"commonAttributes"`
	}
	if err := json.Unmarshal([]byte(header), &v); err != nil {
		return nil, fmt.Errorf("%s is not {\"commonAttributes\": {<string>: <string>}}: %v", headerCommonAttributes, err)
	}
	return v.CommonAttributes, nil
}
