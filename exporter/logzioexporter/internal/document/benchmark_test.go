// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package document

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
)

// benchRecordTemplates are CloudTrail records shaped like busy accounts produce them
// (STS, S3 data events, EC2, KMS), each about 1.5 KB of minified JSON once filled in.
var benchRecordTemplates = []string{
	// sts:AssumeRole by a service role, with credentials in responseElements.
	`{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","principalId":"AROAIDPPEZS35WEXAMPLE:session-%[1]d",` +
		`"arn":"arn:aws:sts::123456789012:assumed-role/ci-deployer/session-%[1]d","accountId":"123456789012","accessKeyId":"ASIAEXAMPLE%06[1]d",` +
		`"sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAIDPPEZS35WEXAMPLE","arn":"arn:aws:iam::123456789012:role/ci-deployer",` +
		`"accountId":"123456789012","userName":"ci-deployer"},"webIdFederationData":{},"attributes":{"creationDate":"2024-05-0%[2]dT10:11:12Z",` +
		`"mfaAuthenticated":"false"}}},"eventTime":"2024-05-0%[2]dT10:%02[3]d:41Z","eventSource":"sts.amazonaws.com","eventName":"AssumeRole",` +
		`"awsRegion":"us-east-1","sourceIPAddress":"203.0.113.%[3]d","userAgent":"aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/sts#1.30.3",` +
		`"requestParameters":{"roleArn":"arn:aws:iam::123456789012:role/app-role-%[3]d","roleSessionName":"session-%[1]d","durationSeconds":3600},` +
		`"responseElements":{"credentials":{"accessKeyId":"ASIAEXAMPLERESP%06[1]d","sessionToken":"IQoJb3JpZ2luX2VjEXAMPLEtokenAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%[1]d",` +
		`"expiration":"May %[2]d, 2024, 11:%02[3]d:41 AM"},"assumedRoleUser":{"assumedRoleId":"AROAEXAMPLEID:session-%[1]d",` +
		`"arn":"arn:aws:sts::123456789012:assumed-role/app-role-%[3]d/session-%[1]d"}},"requestID":"9d478fc1-4f10-490f-a26b-%012[1]d",` +
		`"eventID":"eae87c48-d421-4626-94f5-%012[1]d","readOnly":true,"resources":[{"accountId":"123456789012","type":"AWS::IAM::Role",` +
		`"ARN":"arn:aws:iam::123456789012:role/app-role-%[3]d"}],"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"123456789012",` +
		`"eventCategory":"Management","tlsDetails":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":"sts.amazonaws.com"}}`,
	// s3:PutObject data event with additionalEventData.
	`{"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLEAPP:i-0abcd%08[1]d","arn":"arn:aws:sts::123456789012:assumed-role/app/i-0abcd%08[1]d",` +
		`"accountId":"123456789012","accessKeyId":"ASIAEXAMPLE%06[1]d","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAEXAMPLEAPP",` +
		`"arn":"arn:aws:iam::123456789012:role/app","accountId":"123456789012","userName":"app"},"attributes":{"creationDate":"2024-05-0%[2]dT09:00:00Z",` +
		`"mfaAuthenticated":"false"},"ec2RoleDelivery":"2.0"}},"eventTime":"2024-05-0%[2]dT10:%02[3]d:07Z","eventSource":"s3.amazonaws.com","eventName":"PutObject",` +
		`"awsRegion":"eu-west-1","sourceIPAddress":"10.0.%[3]d.17","userAgent":"[aws-sdk-java/2.25.16 Linux/5.10.216-204.855.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.11+9-LTS Java/17.0.11]",` +
		`"requestParameters":{"bucketName":"app-uploads-prod","Host":"app-uploads-prod.s3.eu-west-1.amazonaws.com","key":"tenants/%[3]d/uploads/2024/05/0%[2]d/object-%[1]d.json",` +
		`"x-amz-server-side-encryption":"aws:kms","x-amz-server-side-encryption-aws-kms-key-id":"arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"},` +
		`"responseElements":{"x-amz-server-side-encryption":"aws:kms","x-amz-version-id":"3HL4kqtJvjVBH40Nrjfkd%[1]d"},` +
		`"additionalEventData":{"SignatureVersion":"SigV4","CipherSuite":"TLS_AES_128_GCM_SHA256","bytesTransferredIn":%[1]d,"AuthenticationMethod":"AuthHeader",` +
		`"x-amz-id-2":"EXAMPLEqwbZpKX4Br3YVVqJCiMbW7fmSOPC6DdnvRIKtP9klt2xhT/Va+Q/1EXAMPLE%[1]d=","bytesTransferredOut":0},` +
		`"requestID":"AB12CD34EF56%08[1]d","eventID":"a6c2f1d0-1234-4c1e-9a4f-%012[1]d","readOnly":false,"resources":[{"type":"AWS::S3::Object",` +
		`"ARN":"arn:aws:s3:::app-uploads-prod/tenants/%[3]d/uploads/2024/05/0%[2]d/object-%[1]d.json"},{"accountId":"123456789012","type":"AWS::S3::Bucket",` +
		`"ARN":"arn:aws:s3:::app-uploads-prod"}],"eventType":"AwsApiCall","managementEvent":false,"recipientAccountId":"123456789012",` +
		`"vpcEndpointId":"vpce-0a1b2c3d4e5f6a7b8","vpcEndpointAccountId":"123456789012","eventCategory":"Data"}`,
	// ec2:RunInstances, the usual source of deep and wide responseElements.
	`{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"AIDAEXAMPLE%[1]d","arn":"arn:aws:iam::123456789012:user/ops-%[3]d",` +
		`"accountId":"123456789012","accessKeyId":"AKIAEXAMPLE%06[1]d","userName":"ops-%[3]d"},"eventTime":"2024-05-0%[2]dT10:%02[3]d:33Z",` +
		`"eventSource":"ec2.amazonaws.com","eventName":"RunInstances","awsRegion":"us-west-2","sourceIPAddress":"198.51.100.%[3]d",` +
		`"userAgent":"aws-cli/2.15.30 Python/3.11.8 Darwin/23.4.0 exe/x86_64 prompt/off command/ec2.run-instances",` +
		`"requestParameters":{"instancesSet":{"items":[{"imageId":"ami-0abcdef1234567890","minCount":1,"maxCount":1}]},"instanceType":"t3.micro",` +
		`"blockDeviceMapping":{},"monitoring":{"enabled":false},"disableApiTermination":false,"disableApiStop":false,"clientToken":"tok-%[1]d",` +
		`"tagSpecificationSet":{"items":[{"resourceType":"instance","tags":[{"key":"Name","value":"worker-%[1]d"},{"key":"team","value":"data"}]}]}},` +
		`"responseElements":{"requestId":"e4336db0-3b5a-4b7a-%012[1]d","reservationId":"r-0%016[1]d","ownerId":"123456789012","groupSet":{},` +
		`"instancesSet":{"items":[{"instanceId":"i-0%016[1]d","imageId":"ami-0abcdef1234567890","currentInstanceBootMode":"bios",` +
		`"instanceState":{"code":0,"name":"pending"},"privateDnsName":"ip-10-0-%[3]d-12.us-west-2.compute.internal","amiLaunchIndex":0,` +
		`"productCodes":{},"instanceType":"t3.micro","launchTime":1714990000000,"placement":{"availabilityZone":"us-west-2a","tenancy":"default"},` +
		`"monitoring":{"state":"disabled"},"subnetId":"subnet-0123456789abcdef0","vpcId":"vpc-0123456789abcdef0","privateIpAddress":"10.0.%[3]d.12",` +
		`"stateReason":{"code":"pending","message":"pending"},"architecture":"x86_64","rootDeviceType":"ebs","rootDeviceName":"/dev/xvda",` +
		`"virtualizationType":"hvm","hypervisor":"xen","cpuOptions":{"coreCount":1,"threadsPerCore":2},"ebsOptimized":false,"enaSupport":true}]}},` +
		`"requestID":"e4336db0-3b5a-4b7a-%012[1]d","eventID":"0c5e0ab2-9b3e-4b8b-%012[1]d","readOnly":false,"eventType":"AwsApiCall",` +
		`"managementEvent":true,"recipientAccountId":"123456789012","eventCategory":"Management"}`,
	// kms:Decrypt called by a service.
	`{"eventVersion":"1.09","userIdentity":{"type":"AWSService","invokedBy":"lambda.amazonaws.com"},"eventTime":"2024-05-0%[2]dT10:%02[3]d:58Z",` +
		`"eventSource":"kms.amazonaws.com","eventName":"Decrypt","awsRegion":"ap-southeast-2","sourceIPAddress":"lambda.amazonaws.com",` +
		`"userAgent":"lambda.amazonaws.com","requestParameters":{"encryptionContext":{"aws:lambda:FunctionArn":"arn:aws:lambda:ap-southeast-2:123456789012:function:handler-%[3]d",` +
		`"aws:lambda:FunctionName":"handler-%[3]d"},"encryptionAlgorithm":"SYMMETRIC_DEFAULT"},"responseElements":null,` +
		`"requestID":"7b2c1e5a-%[1]d","eventID":"1f4e6c8a-2b3d-4e5f-8a9b-%012[1]d","readOnly":true,"resources":[{"accountId":"123456789012",` +
		`"type":"AWS::KMS::Key","ARN":"arn:aws:kms:ap-southeast-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"}],"eventType":"AwsApiCall",` +
		`"managementEvent":true,"recipientAccountId":"123456789012","sharedEventID":"5c1f3d2e-%[1]d","eventCategory":"Management",` +
		`"additionalEventData":{"keyMaterialId":"ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12"},` +
		`"tlsDetails":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_256_GCM_SHA384","clientProvidedHostHeader":"kms.ap-southeast-2.amazonaws.com"}}`,
}

// cpuTime returns the CPU time used by the process so far. On a shared machine it
// measures the benchmark's cost better than wall-clock time does.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportRate reports records per second of wall-clock time and per second of CPU
// time (the per-core rate when run with -cpu 1).
func reportRate(b *testing.B, records int, wallStart time.Time, cpuStart time.Duration) {
	b.ReportMetric(float64(records)/time.Since(wallStart).Seconds(), "records/s")
	if cpu := cpuTime() - cpuStart; cpu > 0 {
		b.ReportMetric(float64(records)/cpu.Seconds(), "records/cpu-s")
	}
}

type benchRecord struct {
	res   pcommon.Resource
	scope pcommon.InstrumentationScope
	lr    plog.LogRecord
}

// benchRecords builds n varied CloudTrail log records as the receiver does.
func benchRecords(tb testing.TB, n int) ([]benchRecord, int) {
	tb.Helper()
	records := make([]benchRecord, n)
	jsonBytes := 0
	for i := range records {
		raw := fmt.Sprintf(benchRecordTemplates[i%len(benchRecordTemplates)], 100000+i*7919, 1+i%9, i%60)
		jsonBytes += len(raw)
		res, scope, lr := cloudTrailLog(tb, []byte(raw))
		records[i] = benchRecord{res, scope, lr}
	}
	return records, jsonBytes / n
}

func TestBenchRecordsAreValid(t *testing.T) {
	records, avg := benchRecords(t, 16)
	require.Greater(t, avg, 1000, "records are realistic in size")
	b := NewBuilder(Options{})
	for _, r := range records {
		line, _, err := b.AppendLine(nil, r.res, r.scope, r.lr)
		require.NoError(t, err)
		_, err = checkLine(line, DefaultMaxLineBytes)
		require.NoError(t, err)
	}
}

// BenchmarkAppendLine builds lines from map bodies (map) and from the same records as JSON bodies (json-body: the
// receiver's pass_through, see jsonbody.go), whose lines are the same bytes; each with AppendLine and with
// AppendRecord (prepared: the records grouped by resource as the receiver groups them, each resource prepared once,
// as the exporter does).
func BenchmarkAppendLine(b *testing.B) {
	for _, prepared := range []bool{false, true} {
		suffix := ""
		if prepared {
			suffix = ", prepared"
		}
		b.Run("map"+suffix, func(b *testing.B) {
			records, avg := benchRecords(b, 256)
			benchmarkAppendLine(b, records, avg, prepared)
		})
		b.Run("json-body"+suffix, func(b *testing.B) {
			records, avg := benchRecords(b, 256)
			for i := range records {
				raw := fmt.Sprintf(benchRecordTemplates[i%len(benchRecordTemplates)], 100000+i*7919, 1+i%9, i%60)
				records[i].lr.Body().SetStr(raw)
				records[i].scope.Attributes().PutStr(JSONBodyAttribute, JSONBodyFormat)
				var e encoder
				if !e.scanJSON(raw) {
					b.Fatalf("record %d does not take the fast path", i)
				}
			}
			benchmarkAppendLine(b, records, avg, prepared)
		})
	}
}

// regionOf is the region resource attribute of a benchmark record, which tells its resource from the others.
func regionOf(r benchRecord) string {
	v, _ := r.res.Attributes().Get("cloud.region")
	return v.Str()
}

func benchmarkAppendLine(b *testing.B, records []benchRecord, avg int, prepared bool) {
	builder := NewBuilder(Options{})
	var res Resource
	// newResource[i]: records[i] starts a resource (a region), to be prepared.
	newResource := make([]bool, len(records))
	if prepared {
		slices.SortStableFunc(records, func(x, y benchRecord) int { return strings.Compare(regionOf(x), regionOf(y)) })
		for i := range records {
			newResource[i] = i == 0 || regionOf(records[i-1]) != regionOf(records[i])
		}
	}
	var buf []byte
	lineBytes := 0
	b.ReportAllocs()
	b.ResetTimer()
	start, cpuStart := time.Now(), cpuTime()
	iterations := 0
	for ; b.Loop(); iterations++ {
		i := iterations % len(records)
		r := records[i]
		var err error
		if prepared {
			if newResource[i] {
				builder.PrepareResource(&res, r.res)
			}
			buf, _, err = builder.AppendRecord(buf[:0], &res, r.scope, r.lr)
		} else {
			buf, _, err = builder.AppendLine(buf[:0], r.res, r.scope, r.lr)
		}
		if err != nil {
			b.Fatal(err)
		}
		lineBytes += len(buf)
	}
	reportRate(b, iterations, start, cpuStart)
	b.ReportMetric(float64(lineBytes)/float64(iterations), "line-bytes/record")
	b.ReportMetric(float64(avg), "json-bytes/record")
}

// BenchmarkAppendLineGzip measures what the exporter does per record: build the line,
// add `\n`, and gzip requests of about 1,000 records through a pooled writer.
func BenchmarkAppendLineGzip(b *testing.B) {
	for _, level := range []struct {
		name  string
		level int
	}{{"default", gzip.DefaultCompression}, {"speed", gzip.BestSpeed}} {
		b.Run(level.name, func(b *testing.B) {
			const recordsPerRequest = 1000
			records, _ := benchRecords(b, 256)
			builder := NewBuilder(Options{})
			writers := sync.Pool{New: func() any {
				w, _ := gzip.NewWriterLevel(nil, level.level)
				return w
			}}
			var body, wire bytes.Buffer
			wireBytes := 0
			flush := func() {
				w := writers.Get().(*gzip.Writer)
				wire.Reset()
				w.Reset(&wire)
				if _, err := w.Write(body.Bytes()); err != nil {
					b.Fatal(err)
				}
				if err := w.Close(); err != nil {
					b.Fatal(err)
				}
				writers.Put(w)
				wireBytes += wire.Len()
				body.Reset()
			}
			var line []byte
			b.ReportAllocs()
			b.ResetTimer()
			start, cpuStart := time.Now(), cpuTime()
			n, i := 0, 0
			for ; b.Loop(); i++ {
				r := records[i%len(records)]
				var err error
				line, _, err = builder.AppendLine(line[:0], r.res, r.scope, r.lr)
				if err != nil {
					b.Fatal(err)
				}
				line = append(line, '\n')
				body.Write(line)
				if n++; n == recordsPerRequest {
					flush()
					n = 0
				}
			}
			if n > 0 {
				flush()
			}
			reportRate(b, i, start, cpuStart)
			b.ReportMetric(float64(wireBytes)/float64(i), "wire-bytes/record")
		})
	}
}
