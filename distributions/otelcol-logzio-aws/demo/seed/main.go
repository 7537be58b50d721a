// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Command seed fills an S3-compatible bucket with a realistic CloudTrail layout for the demo: generated log files for two
// accounts (one of them through an organization trail) and three regions over the last hours, plus the objects a real
// trail bucket also holds and the receiver must skip (a digest file, AWS Config's writability check file).
//
// It prints the number of CloudTrail records it wrote, so the demo can tell when all of them arrived.
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrailtest"
)

func main() {
	endpoint := flag.String("endpoint", "http://127.0.0.1:17070", "S3 endpoint")
	bucket := flag.String("bucket", "demo-cloudtrail", "bucket to create and fill")
	accessKey := flag.String("access-key", os.Getenv("DEMO_ACCESS_KEY"), "S3 access key")
	secretKey := flag.String("secret-key", os.Getenv("DEMO_SECRET_KEY"), "S3 secret key")
	files := flag.Int("files", 4, "log files per account and region")
	records := flag.Int("records", 25, "records per log file")
	flag.Parse()

	if err := seed(context.Background(), *endpoint, *bucket, *accessKey, *secretKey, *files, *records); err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

// subtree is one account/region folder of the bucket; org is set for an organization trail.
type subtree struct{ org, account, region string }

func seed(ctx context.Context, endpoint, bucket, accessKey, secretKey string, files, records int) error {
	client := s3.New(s3.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider(accessKey, secretKey, ""),
		UsePathStyle: true,
	})
	if _, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		return fmt.Errorf("creating bucket %s: %w", bucket, err)
	}
	put := func(key string, body []byte) error {
		_, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(body)})
		if err != nil {
			return fmt.Errorf("putting %s: %w", key, err)
		}
		return nil
	}

	subtrees := []subtree{}
	for _, region := range []string{"us-east-1", "eu-west-1", "ap-southeast-2"} {
		subtrees = append(subtrees, subtree{account: "111122223333", region: region})
		subtrees = append(subtrees, subtree{org: "o-exampleorgid", account: "444455556666", region: region})
	}
	rng := rand.New(rand.NewPCG(7, 11))
	now := time.Now().UTC().Truncate(5 * time.Minute)
	total := 0
	for i, st := range subtrees {
		for f := 0; f < files; f++ {
			delivered := now.Add(-time.Duration(files-f) * 20 * time.Minute)
			body := cloudtrailtest.File(int64(i*1000+f), records, st.account, st.region, delivered.Add(-10*time.Minute))
			if err := put(logKey(st, delivered, rng), body); err != nil {
				return err
			}
			total += records
		}
	}
	// Objects every trail bucket has and the receiver must skip.
	digest := subtrees[0]
	digestKey := fmt.Sprintf("AWSLogs/%s/CloudTrail-Digest/%s/%s/%s_CloudTrail-Digest_%s_demo-trail_%s_%sZ.json.gz",
		digest.account, digest.region, now.Format("2006/01/02"), digest.account, digest.region, digest.region, now.Format("20060102T150405"))
	if err := put(digestKey, gz(`{"awsAccountId":"111122223333","logFiles":[]}`)); err != nil {
		return err
	}
	if err := put("AWSLogs/111122223333/Config/ConfigWritabilityCheckFile", nil); err != nil {
		return err
	}
	fmt.Println(total)
	return nil
}

// logKey builds the key CloudTrail uses for a log file delivered at t.
func logKey(st subtree, t time.Time, rng *rand.Rand) string {
	const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	unique := make([]byte, 16)
	for i := range unique {
		unique[i] = letters[rng.IntN(len(letters))]
	}
	prefix := "AWSLogs/"
	if st.org != "" {
		prefix += st.org + "/"
	}
	return fmt.Sprintf("%s%s/CloudTrail/%s/%s/%s_CloudTrail_%s_%sZ_%s.json.gz",
		prefix, st.account, st.region, t.Format("2006/01/02"), st.account, st.region, t.Format("20060102T1504"), unique)
}

func gz(s string) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	_, _ = w.Write([]byte(s))
	_ = w.Close()
	return b.Bytes()
}
