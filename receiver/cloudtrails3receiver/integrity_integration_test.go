// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver

import (
	"bytes"
	"context"
	"crypto/md5" //nolint:gosec // CloudTrail's key fingerprint, an identifier
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/pdata/plog"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrailtest"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/testpeers"
)

// integrityRecorder keeps what reached the end of the pipeline: trail records per key with the
// aws.cloudtrail.integrity value each carried, and the cloudtrail-integrity outcome records by object.
type integrityRecorder struct {
	mu       sync.Mutex
	records  map[string]int              // aws.s3.key → trail records
	attached map[string]map[string]int   // aws.s3.key → aws.cloudtrail.integrity value ("" when absent) → records
	outcomes map[string][]map[string]any // s3_object_key → attributes of each outcome record
}

func newIntegrityRecorder() *integrityRecorder {
	return &integrityRecorder{records: map[string]int{}, attached: map[string]map[string]int{}, outcomes: map[string][]map[string]any{}}
}

func (r *integrityRecorder) ConsumeLogs(_ context.Context, ld plog.Logs) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := 0; i < ld.ResourceLogs().Len(); i++ {
		sls := ld.ResourceLogs().At(i).ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			lrs := sls.At(j).LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				attrs := lrs.At(k).Attributes()
				if typ, ok := attrs.Get(attrLogzioType); ok && typ.Str() == integrityRecordType {
					object, _ := attrs.Get(attrObjectKey)
					r.outcomes[object.Str()] = append(r.outcomes[object.Str()], attrs.AsRaw())
					continue
				}
				key, _ := attrs.Get("aws.s3.key")
				verdict := ""
				if v, ok := attrs.Get(attrIntegrity); ok {
					verdict = v.Str()
				}
				r.records[key.Str()]++
				if r.attached[key.Str()] == nil {
					r.attached[key.Str()] = map[string]int{}
				}
				r.attached[key.Str()][verdict]++
			}
		}
	}
	return nil
}

func (*integrityRecorder) Capabilities() consumer.Capabilities { return consumer.Capabilities{} }

func (r *integrityRecorder) recordsOf(key string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.records[key]
}

// verdicts returns the verdicts of the outcome records received for bucket/key.
func (r *integrityRecorder) verdicts(object string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var v []string
	for _, attrs := range r.outcomes[object] {
		v = append(v, fmt.Sprint(attrs[attrIntegrity]))
	}
	return v
}

func (r *integrityRecorder) outcome(object string) map[string]any {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.outcomes[object]) == 0 {
		return nil
	}
	return r.outcomes[object][0]
}

// waitVerdict waits until an outcome record for object arrived and checks it is the only one and says want.
func (r *integrityRecorder) waitVerdict(t *testing.T, object, want string) {
	t.Helper()
	require.Eventually(t, func() bool { return len(r.verdicts(object)) > 0 }, 30*time.Second, 20*time.Millisecond,
		"no integrity outcome record for %s", object)
	assert.Equal(t, []string{want}, r.verdicts(object), "outcomes of %s", object)
}

// trailSigner writes digest files the way CloudTrail does: gzip JSON, signed with RSA-SHA256 over the signing string
// (digestEndTime, bucket/key, hex SHA-256 of the uncompressed digest, previous signature or "null"), with the
// signature in x-amz-meta-signature. The signing is cloudtrailtest.SignDigest, written from the AWS documentation
// independently of the code under test.
type trailSigner struct {
	key         *rsa.PrivateKey
	fingerprint string // of the key digests claim to be signed with
}

func newTrailSigner(t *testing.T) *trailSigner {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	sum := md5.Sum(x509.MarshalPKCS1PublicKey(&key.PublicKey)) //nolint:gosec // identifier only
	return &trailSigner{key: key, fingerprint: hex.EncodeToString(sum[:])}
}

// writePEM stores the public key as CloudTrail's ListPublicKeys returns it (PKCS#1), PEM-encoded.
func (s *trailSigner) writePEM(t *testing.T) string {
	path := filepath.Join(t.TempDir(), "cloudtrail.pem")
	block := &pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&s.key.PublicKey)}
	require.NoError(t, os.WriteFile(path, pem.EncodeToMemory(block), 0o600))
	return path
}

type listedLog struct {
	key    string
	sha256 string
}

type writtenDigest struct {
	key, signature, sha256 string
}

// putDigest writes and signs the digest of [start, start+1h) listing logs, chained to prev; claimFingerprint is the
// key the digest names (a forger names the real one).
func (s *trailSigner) putDigest(t *testing.T, l *bucketLayout, account, region string, start time.Time, logs []listedLog, prev *writtenDigest, claimFingerprint string) writtenDigest {
	t.Helper()
	end := start.Add(time.Hour)
	key := fmt.Sprintf("%sAWSLogs/%s/CloudTrail-Digest/%s/%s%s_CloudTrail-Digest_%s_main-trail_%s_%s.json.gz", l.prefix, account,
		region, end.Format(dateFolderLayout), account, region, region, end.Format("20060102T150405Z"))
	spec := cloudtrailtest.DigestSpec{Account: account, Bucket: l.bucket, Key: key, Start: start, End: end,
		Fingerprint: claimFingerprint, SigningKey: s.key}
	for _, lf := range logs {
		spec.Logs = append(spec.Logs, cloudtrailtest.DigestLog{Bucket: l.bucket, Key: lf.key, SHA256: lf.sha256,
			NewestEventTime: start, OldestEventTime: start})
	}
	if prev != nil {
		spec.Previous = &cloudtrailtest.PreviousDigest{Bucket: l.bucket, Key: prev.key, SHA256: prev.sha256,
			Signature: prev.signature}
	}
	d, err := cloudtrailtest.SignDigest(spec)
	require.NoError(t, err)
	_, err = l.client.PutObject(context.Background(), &s3.PutObjectInput{
		Bucket: aws.String(l.bucket), Key: aws.String(key), Body: bytes.NewReader(d.Gzip),
		Metadata: map[string]string{"signature": d.Signature, "signature-algorithm": "SHA256withRSA"},
	})
	require.NoError(t, err)
	return writtenDigest{key: key, signature: d.Signature, sha256: d.SHA256}
}

// putLog writes a generated trail log file and returns its key and the SHA-256 of its decompressed content.
func putLog(t *testing.T, l *bucketLayout, account, region string, at time.Time, unique string, n int) listedLog {
	t.Helper()
	l.seed++
	key := trailKey(l.prefix, "", account, region, at, unique)
	testpeers.PutObject(t, l.client, l.bucket, key, cloudtrailtest.File(l.seed, n, account, region, at.Add(-5*time.Minute)))
	sum := sha256.Sum256(cloudtrailtest.Body(l.seed, n, account, region, at.Add(-5*time.Minute)))
	return listedLog{key: key, sha256: hex.EncodeToString(sum[:])}
}

// TestIntegrityVersityGWCollectorPipeline runs the receiver with integrity validation in a collector
// (cloudtrails3 → batch → sink) against versitygw: log files read before their digest get outcome records (valid,
// modified — whose records were still shipped —, missing), a forged digest is bad_signature, and the records of a
// log file read after its digest carry aws.cloudtrail.integrity themselves.
func TestIntegrityVersityGWCollectorPipeline(t *testing.T) {
	srv := testpeers.VersityGW(t)
	l := newBucketLayout(t, srv, "")
	signer := newTrailSigner(t)
	forger := newTrailSigner(t)
	const region = "us-east-1"
	// Every file is named in the past (the receiver does not read files named in the future), after start_time.
	now := time.Now().UTC().Truncate(time.Minute).Add(-3 * time.Hour)

	a := putLog(t, l, acctA, region, now.Add(time.Minute), "AAAAAAAAAAAAAAAA", 4)
	b := putLog(t, l, acctA, region, now.Add(2*time.Minute), "BBBBBBBBBBBBBBBB", 3)
	c := putLog(t, l, acctA, region, now.Add(3*time.Minute), "CCCCCCCCCCCCCCCC", 5)

	rec := newIntegrityRecorder()
	core, warnings := observer.New(zap.WarnLevel)
	metrics := sdkmetric.NewManualReader()
	keys := newFakeListPublicKeys(t, signer)
	cfgYAML := l.receiverYAML(srv, fmt.Sprintf(`start_time: %s
integrity:
  enabled: true
  endpoint: %s
  alert: record
  missing_after: 1s
`, now.Format(time.RFC3339), keys.URL))
	run := runCollector(t, rec, cfgYAML, newStorageDir(t), core, metrics)
	require.Eventually(t, func() bool {
		return rec.recordsOf(a.key) == 4 && rec.recordsOf(b.key) == 3 && rec.recordsOf(c.key) == 5
	},
		30*time.Second, 20*time.Millisecond, "log files read before their digest are shipped at once")

	// The digest arrives: b was modified after delivery (the digest hashed other content), m was never delivered.
	modified := b
	modified.sha256 = hex.EncodeToString(make([]byte, 32))
	missing := listedLog{key: trailKey("", "", acctA, region, now.Add(4*time.Minute), "MMMMMMMMMMMMMMMM"), sha256: a.sha256}
	d1 := signer.putDigest(t, l, acctA, region, now, []listedLog{a, modified, c, missing}, nil, signer.fingerprint)
	object := func(key string) string { return l.bucket + "/" + key }
	rec.waitVerdict(t, object(d1.key), "valid")
	rec.waitVerdict(t, object(a.key), "valid")
	rec.waitVerdict(t, object(c.key), "valid")
	rec.waitVerdict(t, object(b.key), "modified")
	rec.waitVerdict(t, object(missing.key), "missing")
	bad := rec.outcome(object(b.key))
	assert.Equal(t, b.sha256, bad[attrIntegrityActual])
	assert.Equal(t, modified.sha256, bad[attrIntegrityExpected])
	assert.Equal(t, "log_file", bad[attrIntegrityKind])
	assert.Equal(t, object(d1.key), bad[attrIntegrityDigest])
	assert.Equal(t, 3, rec.recordsOf(b.key), "the records of a modified file are still shipped")

	// A forged digest: it names the trail's key but is signed with another one.
	d2 := forger.putDigest(t, l, acctA, region, now.Add(time.Hour), nil, &d1, signer.fingerprint)
	rec.waitVerdict(t, object(d2.key), "bad_signature")

	// A digest listing a log file not read yet: the file's records carry the verdict and no outcome record is sent.
	e := listedLog{key: trailKey("", "", acctA, region, now.Add(2*time.Hour+5*time.Minute), "EEEEEEEEEEEEEEEE")}
	l.seed++
	body := cloudtrailtest.File(l.seed, 6, acctA, region, now.Add(2*time.Hour))
	sum := sha256.Sum256(cloudtrailtest.Body(l.seed, 6, acctA, region, now.Add(2*time.Hour)))
	e.sha256 = hex.EncodeToString(sum[:])
	d3 := signer.putDigest(t, l, acctA, region, now.Add(2*time.Hour), []listedLog{e}, &d2, signer.fingerprint)
	rec.waitVerdict(t, object(d3.key), "valid")
	testpeers.PutObject(t, l.client, l.bucket, e.key, body)
	require.Eventually(t, func() bool { return rec.recordsOf(e.key) == 6 }, 30*time.Second, 20*time.Millisecond)
	settle()

	rec.mu.Lock()
	assert.Equal(t, map[string]int{"valid": 6}, rec.attached[e.key], "every record of e carries its verdict")
	assert.Equal(t, map[string]int{"": 3}, rec.attached[b.key], "records shipped before the digest arrived are not held back")
	assert.Empty(t, rec.outcomes[object(e.key)])
	rec.mu.Unlock()

	counter := "otelcol_receiver_cloudtrails3_integrity_outcomes"
	assert.Equal(t, int64(1), readCounter(t, metrics, counter, "verdict", "modified"))
	assert.Equal(t, int64(1), readCounter(t, metrics, counter, "verdict", "missing"))
	assert.Equal(t, int64(1), readCounter(t, metrics, counter, "verdict", "bad_signature"))
	assert.Equal(t, int64(5), readCounter(t, metrics, counter, "verdict", "valid"), "a, c, e and digests d1, d3")
	assert.Equal(t, int64(8), readCounter(t, metrics, counter))

	warned := map[string]string{}
	for _, entry := range warnings.FilterMessage("CloudTrail integrity check failed").All() {
		warned[fmt.Sprint(entry.ContextMap()["key"])] = fmt.Sprint(entry.ContextMap()["verdict"])
	}
	assert.Equal(t, map[string]string{b.key: "modified", missing.key: "missing", d2.key: "bad_signature"}, warned)
	assert.Equal(t, int32(1), keys.calls.Load(), "the key is fetched once with ListPublicKeys and cached")
	run.stop(t)
}

// fakeListPublicKeys is an in-process CloudTrail endpoint whose ListPublicKeys returns the signer's key.
type fakeListPublicKeys struct {
	*httptest.Server
	calls atomic.Int32
}

func newFakeListPublicKeys(t *testing.T, signer *trailSigner) *fakeListPublicKeys {
	f := &fakeListPublicKeys{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".ListPublicKeys") {
			http.Error(w, `{"__type":"UnknownOperationException"}`, http.StatusBadRequest)
			return
		}
		f.calls.Add(1)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		_ = json.NewEncoder(w).Encode(map[string]any{"PublicKeyList": []map[string]any{{
			"Fingerprint": signer.fingerprint,
			"Value":       base64.StdEncoding.EncodeToString(x509.MarshalPKCS1PublicKey(&signer.key.PublicKey)),
		}}})
	}))
	t.Cleanup(f.Close)
	return f
}
