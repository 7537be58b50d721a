// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Command replay sends recorded Firehose HTTP-endpoint requests to a receiver the way Firehose does: the same body and
// headers (request id, access key, common attributes), gzip-compressed when asked, and prints each answer.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"time"
)

func main() {
	url := flag.String("url", "http://127.0.0.1:4433/", "the receiver's URL")
	dir := flag.String("dir", "distributions/otelcol-logzio-aws/demo/firehose", "folder with *-request.json bodies and headers.json")
	accessKey := flag.String("access-key", os.Getenv("DEMO_FIREHOSE_KEY"), "access key to send instead of the placeholder in headers.json")
	compress := flag.Bool("gzip", true, "gzip the bodies (Content-Encoding: gzip), as a GZIP-configured Firehose destination does")
	flag.Parse()
	if err := replay(*url, *dir, *accessKey, *compress); err != nil {
		fmt.Fprintln(os.Stderr, "replay:", err)
		os.Exit(1)
	}
}

func replay(url, dir, accessKey string, compress bool) error {
	raw, err := os.ReadFile(filepath.Join(dir, "headers.json"))
	if err != nil {
		return err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(raw, &all); err != nil {
		return fmt.Errorf("headers.json: %w", err)
	}
	names := make([]string, 0, len(all))
	for name := range all {
		if filepath.Ext(name) == ".json" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	client := &http.Client{Timeout: 30 * time.Second}
	for _, name := range names {
		body, err := os.ReadFile(filepath.Join(dir, name))
		if os.IsNotExist(err) {
			continue // headers for a sample this folder does not carry
		}
		if err != nil {
			return err
		}
		var headers map[string]string
		if err := json.Unmarshal(all[name], &headers); err != nil {
			return fmt.Errorf("headers for %s: %w", name, err)
		}
		if compress {
			var b bytes.Buffer
			zw := gzip.NewWriter(&b)
			_, _ = zw.Write(body)
			_ = zw.Close()
			body = b.Bytes()
		}
		req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return err
		}
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		if accessKey != "" {
			req.Header.Set("X-Amz-Firehose-Access-Key", accessKey)
		}
		if compress {
			req.Header.Set("Content-Encoding", "gzip")
		}
		resp, err := client.Do(req)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		answer, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		resp.Body.Close()
		fmt.Printf("%-22s -> HTTP %d %s\n", name, resp.StatusCode, bytes.TrimSpace(answer))
	}
	return nil
}
