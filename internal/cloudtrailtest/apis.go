// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrailtest // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrailtest"

import (
	"fmt"
	"time"
)

// Request and response shapes modelled on real CloudTrail events of each API.

func reqEmpty(_ *Generator, w *writer) { w.open(); w.close() }

func (g *Generator) instanceID() string {
	return fmt.Sprintf("i-%017x", g.rng.Uint64()&0xfffffffffffffff)
}

func reqDescribeInstances(g *Generator, w *writer) {
	w.open()
	w.key("instancesSet")
	w.open()
	w.key("items")
	w.openArray()
	for range g.rng.IntN(4) {
		w.open()
		w.str("instanceId", g.instanceID())
		w.close()
	}
	w.closeArray()
	w.close()
	w.key("filterSet")
	w.open()
	w.key("items")
	w.openArray()
	w.open()
	w.str("name", "instance-state-name")
	w.key("valueSet")
	w.open()
	w.key("items")
	w.openArray()
	w.open()
	w.str("value", "running")
	w.close()
	w.closeArray()
	w.close()
	w.close()
	w.closeArray()
	w.close()
	w.integer("maxResults", 1000)
	w.close()
}

func reqInstanceIDs(g *Generator, w *writer) {
	w.open()
	w.key("instancesSet")
	w.open()
	w.key("items")
	w.openArray()
	for range 1 + g.rng.IntN(3) {
		w.open()
		w.str("instanceId", g.instanceID())
		w.close()
	}
	w.closeArray()
	w.close()
	w.boolean("force", false)
	w.close()
}

func respStateChange(g *Generator, w *writer) {
	w.open()
	w.str("requestId", g.uuid())
	w.key("instancesSet")
	w.open()
	w.key("items")
	w.openArray()
	for range 1 + g.rng.IntN(2) {
		w.open()
		w.str("instanceId", g.instanceID())
		w.key("currentState")
		w.open()
		w.integer("code", 0)
		w.str("name", "pending")
		w.close()
		w.key("previousState")
		w.open()
		w.integer("code", 80)
		w.str("name", "stopped")
		w.close()
		w.close()
	}
	w.closeArray()
	w.close()
	w.close()
}

func reqRunInstances(g *Generator, w *writer) {
	w.open()
	w.key("instancesSet")
	w.open()
	w.key("items")
	w.openArray()
	w.open()
	w.str("imageId", fmt.Sprintf("ami-%017x", g.rng.Uint64()&0xfffffffffffffff))
	w.integer("minCount", 1)
	w.integer("maxCount", int64(1+g.rng.IntN(3)))
	w.close()
	w.closeArray()
	w.close()
	w.str("instanceType", instanceTypes[g.rng.IntN(len(instanceTypes))])
	w.key("blockDeviceMapping")
	w.open()
	w.key("items")
	w.openArray()
	w.open()
	w.str("deviceName", "/dev/xvda")
	w.key("ebs")
	w.open()
	w.integer("volumeSize", int64(8<<g.rng.IntN(5)))
	w.boolean("deleteOnTermination", true)
	w.str("volumeType", "gp3")
	w.integer("iops", 3000)
	w.double("throughputRatio", 0.25+float64(g.rng.IntN(100))/100)
	w.close()
	w.close()
	w.closeArray()
	w.close()
	w.boolean("monitoring", g.rng.IntN(2) == 0)
	w.boolean("disableApiTermination", false)
	w.key("clientToken")
	w.null()
	w.str("userData", "<sensitiveDataRemoved>")
	w.close()
}

func respRunInstances(g *Generator, w *writer) {
	w.open()
	w.str("requestId", g.uuid())
	w.str("reservationId", fmt.Sprintf("r-%017x", g.rng.Uint64()&0xfffffffffffffff))
	w.str("ownerId", g.account)
	w.key("groupSet")
	w.open()
	w.close()
	w.key("instancesSet")
	w.open()
	w.key("items")
	w.openArray()
	w.open()
	w.str("instanceId", g.instanceID())
	w.key("instanceState")
	w.open()
	w.integer("code", 0)
	w.str("name", "pending")
	w.close()
	w.integer("amiLaunchIndex", 0)
	w.key("productCodes")
	w.open()
	w.close()
	w.str("launchTime", fmt.Sprint(g.start.UnixMilli()))
	w.key("cpuOptions")
	w.open()
	w.integer("coreCount", int64(1<<g.rng.IntN(4)))
	w.integer("threadsPerCore", 2)
	w.close()
	w.boolean("ebsOptimized", true)
	w.close()
	w.closeArray()
	w.close()
	w.close()
}

func reqS3Object(g *Generator, w *writer) {
	w.open()
	w.str("bucketName", "app-artifacts-"+g.account)
	w.str("Host", "app-artifacts-"+g.account+".s3."+g.region+".amazonaws.com")
	w.str("key", fmt.Sprintf("builds/%d/artifact-%d.tar.gz", g.rng.IntN(500), g.rng.IntN(1<<20)))
	if g.rng.IntN(3) == 0 {
		w.str("x-id", "GetObject")
	}
	w.close()
}

func resS3Object(g *Generator, w *writer) {
	w.openArray()
	w.open()
	w.str("type", "AWS::S3::Object")
	w.str("ARN", fmt.Sprintf("arn:aws:s3:::app-artifacts-%s/builds/%d/artifact.tar.gz", g.account, g.rng.IntN(500)))
	w.close()
	w.open()
	w.str("accountId", g.account)
	w.str("type", "AWS::S3::Bucket")
	w.str("ARN", "arn:aws:s3:::app-artifacts-"+g.account)
	w.close()
	w.closeArray()
}

func addS3(g *Generator, w *writer) {
	w.open()
	w.str("SignatureVersion", "SigV4")
	w.str("CipherSuite", "TLS_AES_128_GCM_SHA256")
	w.integer("bytesTransferredIn", int64(g.rng.IntN(10)))
	w.str("AuthenticationMethod", "AuthHeader")
	w.str("x-amz-id-2", g.accessKey("")+g.accessKey("")+"=")
	w.integer("bytesTransferredOut", int64(g.rng.IntN(1<<30)))
	w.close()
}

func reqS3ListBuckets(_ *Generator, w *writer) {
	w.open()
	w.str("Host", "s3.amazonaws.com")
	w.close()
}

func policyDocument(g *Generator) string {
	// IAM policy documents arrive as JSON text inside a JSON string: lots of escaped quotes.
	return fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"%s"}}}]}`, g.account)
}

func reqCreateRole(g *Generator, w *writer) {
	w.open()
	w.str("roleName", fmt.Sprintf("app-role-%d", g.rng.IntN(100)))
	w.str("assumeRolePolicyDocument", policyDocument(g))
	w.str("description", "Role for the \"app\" service\tcreated by Terraform — owner: équipe plateforme")
	w.integer("maxSessionDuration", 3600)
	w.key("tags")
	w.openArray()
	for i := range g.rng.IntN(3) {
		w.open()
		w.str("key", fmt.Sprintf("tag-%d", i))
		w.str("value", "value \u00e9\u4e16")
		w.close()
	}
	w.closeArray()
	w.close()
}

func respCreateRole(g *Generator, w *writer) {
	w.open()
	w.key("role")
	w.open()
	w.str("path", "/")
	w.str("roleName", fmt.Sprintf("app-role-%d", g.rng.IntN(100)))
	w.str("roleId", "AROA"+g.accessKey("")[:17])
	w.str("arn", fmt.Sprintf("arn:aws:iam::%s:role/app-role", g.account))
	w.str("createDate", g.start.Format("Jan 2, 2006, 3:04:05 PM"))
	w.str("assumeRolePolicyDocument", "%7B%22Version%22%3A%222012-10-17%22%7D")
	w.integer("maxSessionDuration", 3600)
	w.close()
	w.close()
}

func reqAttachRolePolicy(g *Generator, w *writer) {
	w.open()
	w.str("roleName", roleNames[g.rng.IntN(len(roleNames))])
	w.str("policyArn", "arn:aws:iam::aws:policy/ReadOnlyAccess")
	w.close()
}

func reqGetUser(g *Generator, w *writer) {
	w.open()
	w.str("userName", userNames[g.rng.IntN(len(userNames))])
	w.close()
}

func reqAssumeRole(g *Generator, w *writer) {
	w.open()
	w.str("roleArn", "arn:aws:iam::"+g.account+":role/"+roleNames[g.rng.IntN(len(roleNames))])
	w.str("roleSessionName", fmt.Sprintf("session-%d", g.rng.IntN(1000)))
	w.integer("durationSeconds", 3600)
	w.str("externalId", "logzio-"+g.accessKey("")[:8])
	w.close()
}

func respAssumeRole(g *Generator, w *writer) {
	w.open()
	w.key("credentials")
	w.open()
	w.str("accessKeyId", g.accessKey("ASIA"))
	w.str("sessionToken", g.accessKey("IQoJ")+g.accessKey("")+g.accessKey("")+g.accessKey(""))
	w.str("expiration", g.start.Add(time.Hour).Format("Jan 2, 2006, 3:04:05 PM"))
	w.close()
	w.key("assumedRoleUser")
	w.open()
	w.str("assumedRoleId", "AROA"+g.accessKey("")[:17]+":session")
	w.str("arn", "arn:aws:sts::"+g.account+":assumed-role/app-backend/session")
	w.close()
	w.integer("packedPolicySize", int64(g.rng.IntN(100)))
	w.close()
}

func resAssumeRole(g *Generator, w *writer) {
	w.openArray()
	w.open()
	w.str("accountId", g.account)
	w.str("type", "AWS::IAM::Role")
	w.str("ARN", "arn:aws:iam::"+g.account+":role/app-backend")
	w.close()
	w.closeArray()
}

func reqKMSDecrypt(g *Generator, w *writer) {
	w.open()
	w.str("encryptionAlgorithm", "SYMMETRIC_DEFAULT")
	w.key("encryptionContext")
	w.open()
	w.str("aws:lambda:FunctionArn", "arn:aws:lambda:"+g.region+":"+g.account+":function:ingest")
	w.close()
	w.close()
}

func reqKMSGenerate(g *Generator, w *writer) {
	w.open()
	w.str("keyId", "alias/aws/s3")
	w.integer("numberOfBytes", 32)
	w.key("encryptionContext")
	w.open()
	w.str("aws:s3:arn", "arn:aws:s3:::app-artifacts-"+g.account)
	w.close()
	w.close()
}

func resKMSKey(g *Generator, w *writer) {
	w.openArray()
	w.open()
	w.str("accountId", g.account)
	w.str("type", "AWS::KMS::Key")
	w.str("ARN", fmt.Sprintf("arn:aws:kms:%s:%s:key/%s", g.region, g.account, g.uuid()))
	w.close()
	w.closeArray()
}

func reqTrailName(_ *Generator, w *writer) {
	w.open()
	w.str("name", "management-events")
	w.close()
}

func reqLookupEvents(g *Generator, w *writer) {
	w.open()
	w.str("startTime", g.start.Add(-24*time.Hour).Format("Jan 2, 2006, 3:04:05 PM"))
	w.key("lookupAttributes")
	w.openArray()
	w.open()
	w.str("attributeKey", "ReadOnly")
	w.str("attributeValue", "false")
	w.close()
	w.closeArray()
	w.integer("maxResults", 50)
	w.close()
}

func reqPutMetricData(g *Generator, w *writer) {
	w.open()
	w.str("namespace", "App/Ingest")
	w.key("metricData")
	w.openArray()
	for range 1 + g.rng.IntN(3) {
		w.open()
		w.str("metricName", "Latency")
		w.key("dimensions")
		w.openArray()
		w.open()
		w.str("name", "Stage")
		w.str("value", "prod")
		w.close()
		w.closeArray()
		w.double("value", float64(g.rng.IntN(100000))/100)
		w.str("unit", "Milliseconds")
		w.integer("storageResolution", 60)
		w.close()
	}
	w.closeArray()
	w.close()
}

func reqLambdaConfig(g *Generator, w *writer) {
	w.open()
	w.str("functionName", "ingest")
	w.integer("memorySize", int64(128<<g.rng.IntN(4)))
	w.integer("timeout", 30)
	w.key("environment")
	w.open()
	w.key("variables")
	w.open()
	w.str("LOG_LEVEL", "info")
	w.str("MAX_BATCH", "500")
	w.close()
	w.close()
	w.key("layers")
	w.openArray()
	w.closeArray()
	w.close()
}

func respLambdaConfig(g *Generator, w *writer) {
	w.open()
	w.str("functionName", "ingest")
	w.str("functionArn", "arn:aws:lambda:"+g.region+":"+g.account+":function:ingest")
	w.str("runtime", "provided.al2023")
	w.integer("codeSize", int64(g.rng.IntN(50_000_000)))
	w.integer("memorySize", 512)
	w.key("tracingConfig")
	w.open()
	w.str("mode", "PassThrough")
	w.close()
	w.key("snapStart")
	w.open()
	w.str("applyOn", "None")
	w.str("optimizationStatus", "Off")
	w.close()
	w.key("kMSKeyArn")
	w.null()
	w.close()
}

func respConsoleLogin(g *Generator, w *writer) {
	w.open()
	w.str("ConsoleLogin", []string{"Success", "Success", "Failure"}[g.rng.IntN(3)])
	w.close()
}

func addConsoleLogin(g *Generator, w *writer) {
	w.open()
	w.str("LoginTo", "https://console.aws.amazon.com/console/home?region="+g.region+"&state=hashArgs%23&isauthcode=true")
	w.str("MobileVersion", "No")
	w.str("MFAUsed", []string{"Yes", "No"}[g.rng.IntN(2)])
	w.close()
}
