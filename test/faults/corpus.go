// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package faults // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/test/faults"

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrailtest"
)

// Folder is one account/region subtree of a trail: AWSLogs/<Account>/CloudTrail/<Region>/.
type Folder struct{ Account, Region string }

// DefaultFolders are the trail folders AddFiles spreads its files over: two accounts, two regions each.
var DefaultFolders = []Folder{
	{"111122223333", "us-east-1"},
	{"111122223333", "eu-west-1"},
	{"444455556666", "us-east-1"},
	{"444455556666", "ap-southeast-2"},
}

// TrailObject is one object to put in the bucket.
type TrailObject struct {
	Key  string
	Body []byte
}

// Corpus is a set of CloudTrail files and the eventIDs of their records.
type Corpus struct {
	Objects  []TrailObject
	EventIDs map[string]struct{}
	// ReadOnly holds the eventIDs of the generated records whose readOnly is true, with the folder of their file
	// (records without readOnly, such as old-format ones, are not in it). Objects added with Add are not decoded.
	ReadOnly map[string]Folder
}

// NewCorpus returns an empty corpus.
func NewCorpus() *Corpus {
	return &Corpus{EventIDs: map[string]struct{}{}, ReadOnly: map[string]Folder{}}
}

// NotReadOnly returns the eventIDs of the records whose readOnly is not true: what ships when read-only records
// are dropped.
func (c *Corpus) NotReadOnly() map[string]struct{} {
	out := make(map[string]struct{}, len(c.EventIDs)-len(c.ReadOnly))
	for id := range c.EventIDs {
		if _, ro := c.ReadOnly[id]; !ro {
			out[id] = struct{}{}
		}
	}
	return out
}

// ReadOnlyIDs returns the eventIDs of the records whose readOnly is true.
func (c *Corpus) ReadOnlyIDs() map[string]struct{} {
	out := make(map[string]struct{}, len(c.ReadOnly))
	for id := range c.ReadOnly {
		out[id] = struct{}{}
	}
	return out
}

// TrailKey is the key CloudTrail writes a log file under, for the file-name (delivery) time at.
func TrailKey(account, region string, at time.Time, unique string) string {
	at = at.UTC()
	return fmt.Sprintf("AWSLogs/%s/CloudTrail/%s/%s/%s_CloudTrail_%s_%sZ_%s.json.gz",
		account, region, at.Format("2006/01/02"), account, region, at.Format("20060102T1504"), unique)
}

// AddFiles appends n CloudTrail files of records records each, spread round-robin over the trail folders, the
// i-th file of a folder delivered at first + i × every. cloudtrailtest gives unique eventIDs, except for old-format records
// (eventVersion 1.0, about 1 in 50), which have none: those get a synthetic one so that every record can be
// counted. The seed keeps files of different calls apart.
func (c *Corpus) AddFiles(t testing.TB, seed int64, n, records int, first time.Time, every time.Duration) {
	t.Helper()
	c.AddFilesOver(t, DefaultFolders, seed, n, records, first, every)
}

// AddFilesOver is AddFiles spreading the files round-robin over the given folders.
func (c *Corpus) AddFilesOver(t testing.TB, folders []Folder, seed int64, n, records int, first time.Time, every time.Duration) {
	t.Helper()
	for i := range n {
		folder := folders[i%len(folders)]
		at := first.Add(time.Duration(i/len(folders)) * every)
		fileSeed := seed*1_000_000 + int64(i)
		body := c.recordsBody(t, fileSeed, records, folder.Account, folder.Region, at)
		c.Objects = append(c.Objects, TrailObject{
			Key:  TrailKey(folder.Account, folder.Region, at, fmt.Sprintf("f%d", fileSeed)),
			Body: gzipBytes(body),
		})
	}
}

// recordsBody builds {"Records":[...]} from cloudtrailtest records, registering every eventID and the read-only ones.
func (c *Corpus) recordsBody(t testing.TB, seed int64, n int, account, region string, at time.Time) []byte {
	t.Helper()
	var body bytes.Buffer
	body.WriteString(`{"Records":[`)
	for j, rec := range cloudtrailtest.Records(seed, n, account, region, at.Add(-10*time.Minute)) {
		var id struct {
			EventID  string `json:"eventID"`
			ReadOnly *bool  `json:"readOnly"`
		}
		if err := json.Unmarshal(rec, &id); err != nil {
			t.Fatalf("cloudtrailtest produced invalid JSON: %v", err)
		}
		if id.EventID == "" {
			id.EventID = fmt.Sprintf("faults-%d-%d", seed, j)
			rec = append(rec[:len(rec)-1], `,"eventID":"`+id.EventID+`"}`...)
		}
		if _, dup := c.EventIDs[id.EventID]; dup {
			t.Fatalf("cloudtrailtest gave eventID %s twice: the suite counts records by eventID", id.EventID)
		}
		c.EventIDs[id.EventID] = struct{}{}
		if id.ReadOnly != nil && *id.ReadOnly {
			c.ReadOnly[id.EventID] = Folder{Account: account, Region: region}
		}
		if j > 0 {
			body.WriteByte(',')
		}
		body.Write(rec)
	}
	body.WriteString(`]}`)
	return body.Bytes()
}

// Add appends an object as it is (bad objects), registering the given eventIDs as expected.
func (c *Corpus) Add(key string, body []byte, eventIDs ...string) {
	c.Objects = append(c.Objects, TrailObject{Key: key, Body: body})
	for _, id := range eventIDs {
		c.EventIDs[id] = struct{}{}
	}
}

// Upload puts objects[from:] into the bucket with a few parallel writers.
func (c *Corpus) Upload(ctx context.Context, t testing.TB, client *s3.Client, bucket string, from int) {
	t.Helper()
	objects := c.Objects[from:]
	work := make(chan TrailObject)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	for range 6 {
		wg.Go(func() {
			for o := range work {
				_, err := client.PutObject(ctx, &s3.PutObjectInput{
					Bucket: aws.String(bucket), Key: aws.String(o.Key), Body: bytes.NewReader(o.Body),
				})
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("putting s3://%s/%s: %w", bucket, o.Key, err)
					}
					mu.Unlock()
				}
			}
		})
	}
	for _, o := range objects {
		work <- o
	}
	close(work)
	wg.Wait()
	if firstErr != nil {
		t.Fatal(firstErr)
	}
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Bytes()
}
