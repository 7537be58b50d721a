// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver"

import (
	"context"
	"fmt"
	"io"
	"path"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"go.uber.org/zap"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/integrity"
)

const (
	digestFolder         = "CloudTrail-Digest"
	digestTimeLayout     = "20060102T150405Z"
	metaSignature        = "signature"           // x-amz-meta-signature
	metaSignatureAlgo    = "signature-algorithm" // x-amz-meta-signature-algorithm
	digestListingOverlap = 24 * time.Hour        // the day folder before the newest one is listed again
)

// digestCursor is how far the digests of one account/region were read. Keys sort by day folder, then by trail
// name, then by time, so a new digest can sort before one already read in the same day folder: every poll lists
// the newest day folder and the one before it again and skips the keys already read.
type digestCursor struct {
	newestDay time.Time
	read      map[string]time.Time // key → its day folder
	listErr   string               // last listing error, logged once
}

// digestPrefix is <prefix>AWSLogs/[<org>/]<account>/CloudTrail-Digest/<region>/.
func digestPrefix(s subtree) string {
	return s.accountPrefix() + digestFolder + "/" + s.Region + "/"
}

func (c *integrityChecker) cursor(s subtree) *digestCursor {
	c.mu.Lock()
	defer c.mu.Unlock()
	cur, ok := c.digests[s.keyPrefix()]
	if !ok {
		cur = &digestCursor{newestDay: c.since.UTC().Truncate(24 * time.Hour), read: map[string]time.Time{}}
		c.digests[s.keyPrefix()] = cur
	}
	return cur
}

// poll is the poller's one call into integrity, after the log files of a poll were read: it reads the new digests of
// every trail subtree and reports the verdicts that time decided (missing and unlisted log files). r is the polled
// bucket's reader: its client reads the digests and its pipeline takes the outcome records.
func (c *integrityChecker) poll(ctx context.Context, r *objectReader, positions []*position) {
	for _, pos := range positions {
		if ctx.Err() != nil {
			return
		}
		if !pos.subtree.Insights {
			c.pollDigests(ctx, r, pos.subtree)
		}
	}
	if ctx.Err() == nil {
		_ = c.report(ctx, r, c.advance(), integrity.ObjectRef{}) // fails only on shutdown
	}
}

// pollDigests reads the digests of one trail subtree written since the last poll, in key order, and reports the
// verdicts. A digest that cannot be fetched stops the subtree's digests for this poll (the chain must be walked in
// order); it is fetched again on the next poll.
func (c *integrityChecker) pollDigests(ctx context.Context, r *objectReader, s subtree) {
	cur := c.cursor(s)
	prefix := digestPrefix(s)
	paginator := s3.NewListObjectsV2Paginator(r.client, &s3.ListObjectsV2Input{
		Bucket:     aws.String(r.bucket),
		Prefix:     aws.String(prefix),
		StartAfter: aws.String(prefix + cur.newestDay.Add(-digestListingOverlap).Format(dateFolderLayout)),
	})
	for paginator.HasMorePages() {
		page, err := paginator.NextPage(ctx)
		if err != nil {
			if err = listError(r.bucket, prefix, err); ctx.Err() == nil && err.Error() != cur.listErr {
				cur.listErr = err.Error()
				c.logger.Error("Listing the CloudTrail digests of an account/region failed; it is tried again on every poll",
					zap.Stringer("subtree", s), zap.Error(err))
			}
			return
		}
		cur.listErr = ""
		for _, obj := range page.Contents {
			key := aws.ToString(obj.Key)
			if _, done := cur.read[key]; done {
				continue
			}
			day, at, ok := digestKeyTimes(prefix, key)
			if ok && at.After(c.since) {
				if !c.readDigest(ctx, r, s, key) {
					return
				}
			}
			cur.read[key] = day
			if day.After(cur.newestDay) {
				cur.newestDay = day
			}
		}
	}
	for key, day := range cur.read {
		if day.Before(cur.newestDay.Add(-digestListingOverlap)) {
			delete(cur.read, key)
		}
	}
}

// readDigest fetches, parses and judges one digest. It returns false when the digest must be fetched again later.
func (c *integrityChecker) readDigest(ctx context.Context, r *objectReader, s subtree, key string) bool {
	where := integrity.ObjectRef{Bucket: r.bucket, Key: key}
	out, err := r.client.GetObject(ctx, getObjectInput(r.bucket, key))
	if err != nil {
		switch {
		case ctx.Err() != nil:
		case isNoSuchKey(err):
			return true // deleted since it was listed: the next digest reports the gap
		default:
			c.logger.Warn("Reading a CloudTrail digest failed; it is tried again on the next poll", zap.Error(getError(r.bucket, key, err)))
		}
		return false
	}
	defer out.Body.Close()
	body, err := io.ReadAll(io.LimitReader(out.Body, integrity.MaxDigestBytes+1))
	if err != nil {
		if ctx.Err() == nil {
			c.logger.Warn("Reading a CloudTrail digest failed; it is tried again on the next poll", zap.String("key", key), zap.Error(err))
		}
		return false
	}
	var outs []integrity.Outcome
	d, err := integrity.ParseDigest(body)
	if err != nil {
		outs = []integrity.Outcome{{Kind: integrity.KindDigest, Object: where, Verdict: integrity.VerdictBadSignature,
			Reason: fmt.Sprintf("the digest cannot be verified: %v", err)}}
	} else {
		signature, algorithm := metadataValue(out.Metadata, metaSignature), metadataValue(out.Metadata, metaSignatureAlgo)
		if err := c.keyUnavailable(ctx, s, d, signature); err != nil {
			if ctx.Err() == nil {
				c.logger.Warn("Cannot get the public key of a CloudTrail digest; the digest is checked again on the next poll",
					zap.String("key", key), zap.Error(err))
			}
			return false
		}
		outs = c.observeDigest(ctx, s, d, where, signature, algorithm)
	}
	return c.report(ctx, r, outs, integrity.ObjectRef{}) == nil
}

// metadataValue looks a user-metadata entry up without regard to case (the SDK lower-cases the names).
func metadataValue(meta map[string]string, name string) string {
	for k, v := range meta {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// digestKeyTimes returns the day folder and the end time a digest key names
// (…/YYYY/MM/DD/<account>_CloudTrail-Digest_<region>_<trail>_<region>_<YYYYMMDDTHHMMSSZ>.json.gz).
func digestKeyTimes(prefix, key string) (day, end time.Time, ok bool) {
	rest := strings.TrimPrefix(key, prefix)
	if len(rest) < len("2006/01/02/") {
		return time.Time{}, time.Time{}, false
	}
	day, err := time.Parse(dateFolderLayout, rest[:len("2006/01/02/")])
	if err != nil {
		return time.Time{}, time.Time{}, false
	}
	name := strings.TrimSuffix(path.Base(key), ".json.gz")
	i := strings.LastIndexByte(name, '_')
	if i < 0 || !strings.HasSuffix(key, ".json.gz") {
		return day, time.Time{}, false
	}
	if end, err = time.Parse(digestTimeLayout, name[i+1:]); err != nil {
		return day, time.Time{}, false
	}
	return day, end, true
}
