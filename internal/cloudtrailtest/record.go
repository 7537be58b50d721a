// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrailtest // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrailtest"

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// Generator produces one record after another; records are deterministic for a given seed.
type Generator struct {
	rng     *rand.Rand
	account string
	region  string
	start   time.Time
	index   int

	// Real trails see the same few principals and sessions over and over: draw identities from fixed pools.
	users    []principal
	sessions []principal
	roleIDs  []string
}

type principal struct {
	name, id, accessKey string
	role                int
}

// New returns a Generator for records of account and region whose event times spread after start.
func New(seed int64, account, region string, start time.Time) *Generator {
	g := &Generator{
		rng:     rand.New(rand.NewPCG(uint64(seed), 0x636c6f7564747261)),
		account: account,
		region:  region,
		start:   start.UTC(),
	}
	for _, name := range userNames {
		g.users = append(g.users, principal{name: name, id: "AIDA" + g.accessKey("")[:17], accessKey: g.accessKey("AKIA")})
	}
	for range roleNames {
		g.roleIDs = append(g.roleIDs, "AROA"+g.accessKey("")[:17])
	}
	for range 40 {
		g.sessions = append(g.sessions, principal{
			name:      fmt.Sprintf("session-%d", g.rng.IntN(100000)),
			accessKey: g.accessKey("ASIA"),
			role:      g.rng.IntN(len(roleNames)),
		})
	}
	return g
}

type api struct {
	source, name string
	readOnly     bool
	category     string
	request      func(g *Generator, w *writer)
	response     func(g *Generator, w *writer) // nil → "responseElements": null
	resources    func(g *Generator, w *writer)
	additional   func(g *Generator, w *writer)
}

var apis = []api{
	{source: "ec2.amazonaws.com", name: "DescribeInstances", readOnly: true, category: "Management", request: reqDescribeInstances},
	{source: "ec2.amazonaws.com", name: "RunInstances", category: "Management", request: reqRunInstances, response: respRunInstances},
	{source: "ec2.amazonaws.com", name: "StartInstances", category: "Management", request: reqInstanceIDs, response: respStateChange},
	{source: "ec2.amazonaws.com", name: "StopInstances", category: "Management", request: reqInstanceIDs, response: respStateChange},
	{source: "s3.amazonaws.com", name: "GetObject", readOnly: true, category: "Data", request: reqS3Object, resources: resS3Object, additional: addS3},
	{source: "s3.amazonaws.com", name: "PutObject", category: "Data", request: reqS3Object, resources: resS3Object, additional: addS3},
	{source: "s3.amazonaws.com", name: "ListBuckets", readOnly: true, category: "Management", request: reqS3ListBuckets},
	{source: "iam.amazonaws.com", name: "CreateRole", category: "Management", request: reqCreateRole, response: respCreateRole},
	{source: "iam.amazonaws.com", name: "AttachRolePolicy", category: "Management", request: reqAttachRolePolicy},
	{source: "iam.amazonaws.com", name: "GetUser", readOnly: true, category: "Management", request: reqGetUser},
	{source: "sts.amazonaws.com", name: "AssumeRole", category: "Management", request: reqAssumeRole, response: respAssumeRole, resources: resAssumeRole},
	{source: "sts.amazonaws.com", name: "GetCallerIdentity", readOnly: true, category: "Management", request: reqEmpty},
	{source: "kms.amazonaws.com", name: "Decrypt", readOnly: true, category: "Management", request: reqKMSDecrypt, resources: resKMSKey},
	{source: "kms.amazonaws.com", name: "GenerateDataKey", readOnly: true, category: "Management", request: reqKMSGenerate, resources: resKMSKey},
	{source: "cloudtrail.amazonaws.com", name: "StartLogging", category: "Management", request: reqTrailName},
	{source: "cloudtrail.amazonaws.com", name: "LookupEvents", readOnly: true, category: "Management", request: reqLookupEvents},
	{source: "monitoring.amazonaws.com", name: "PutMetricData", category: "Management", request: reqPutMetricData},
	{source: "lambda.amazonaws.com", name: "UpdateFunctionConfiguration20150331v2", category: "Management", request: reqLambdaConfig, response: respLambdaConfig},
	{source: "signin.amazonaws.com", name: "ConsoleLogin", category: "Management", response: respConsoleLogin, additional: addConsoleLogin},
}

var (
	userAgents = []string{
		"aws-cli/2.13.5 Python/3.11.4 Linux/4.14.255-314-253.539.amzn2.x86_64 exec-env/CloudShell exe/x86_64.amzn.2 prompt/off command/ec2.describe-instances",
		"aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/s3#1.58.2",
		"Boto3/1.34.144 md/Botocore#1.34.144 ua/2.0 os/linux#5.10.219-208.866.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.4 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.144",
		"console.amazonaws.com",
		"AWS Internal",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
		"[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.750 Linux/5.10.219-186.866.amzn2int.x86_64 OpenJDK_64-Bit_Server_VM/25.412-b09 java/1.8.0_412 vendor/Oracle_Corporation cfg/retry-mode/standard]",
	}
	errorCodes = []struct{ code, message string }{
		{"AccessDenied", "User: arn:aws:iam::%s:user/ci-deployer is not authorized to perform this operation because no identity-based policy allows the action"},
		{"Client.UnauthorizedOperation", "You are not authorized to perform this operation."},
		{"ThrottlingException", "Rate exceeded"},
		{"NoSuchEntityException", "The role with name app-role-%d cannot be found."},
		{"InvalidParameterValue", "Value (\"t2.nano\") for parameter instanceType is invalid."},
	}
	cipherSuites  = []string{"ECDHE-RSA-AES128-GCM-SHA256", "TLS_AES_128_GCM_SHA256", "ECDHE-RSA-AES256-GCM-SHA384"}
	tlsVersions   = []string{"TLSv1.2", "TLSv1.3"}
	eventVersions = []string{"1.08", "1.09", "1.09", "1.10", "1.11"}
	userNames     = []string{"alice", "bob", "ci-deployer", "Mary_Major", "ops-admin", "jörg.müller"}
	roleNames     = []string{"OrganizationAccountAccessRole", "app-backend", "ReadOnly", "lambda-exec", "AWSReservedSSO_AdministratorAccess_3f1c2a"}
	instanceTypes = []string{"t3.micro", "m6i.large", "c7g.xlarge", "r6a.2xlarge"}
)

// AppendRecord appends the next record, as minified JSON, to dst.
func (g *Generator) AppendRecord(dst []byte) []byte {
	g.index++
	a := apis[g.rng.IntN(len(apis))]
	w := &writer{buf: dst}
	// Records in a file are not sorted by time: jitter each record by up to ten minutes.
	eventTime := g.start.Add(time.Duration(g.index)*time.Second + time.Duration(g.rng.IntN(600))*time.Second)
	oldFormat := g.rng.IntN(50) == 0 // eventVersion 1.0-style record: no recipientAccountId, no eventID

	w.open()
	if oldFormat {
		w.str("eventVersion", "1.0")
	} else {
		w.str("eventVersion", eventVersions[g.rng.IntN(len(eventVersions))])
	}
	w.key("userIdentity")
	g.identity(w, a)
	w.str("eventTime", eventTime.Format("2006-01-02T15:04:05Z"))
	w.str("eventSource", a.source)
	w.str("eventName", a.name)
	w.str("awsRegion", g.region)
	w.str("sourceIPAddress", g.sourceIP(a))
	w.str("userAgent", userAgents[g.rng.IntN(len(userAgents))])
	failed := g.rng.IntN(12) == 0
	if failed {
		e := errorCodes[g.rng.IntN(len(errorCodes))]
		w.str("errorCode", e.code)
		msg := e.message
		switch e.code {
		case "AccessDenied":
			msg = fmt.Sprintf(msg, g.account)
		case "NoSuchEntityException":
			msg = fmt.Sprintf(msg, g.rng.IntN(100))
		}
		w.str("errorMessage", msg)
	}
	w.key("requestParameters")
	if a.request == nil {
		w.null()
	} else {
		a.request(g, w)
	}
	w.key("responseElements")
	if a.response == nil || failed {
		w.null()
	} else {
		a.response(g, w)
	}
	if a.additional != nil {
		w.key("additionalEventData")
		a.additional(g, w)
	}
	if !oldFormat {
		w.str("requestID", g.uuid())
		w.str("eventID", g.uuid())
		w.boolean("readOnly", a.readOnly)
	}
	if a.resources != nil && !failed {
		w.key("resources")
		a.resources(g, w)
	}
	if a.name == "ConsoleLogin" {
		w.str("eventType", "AwsConsoleSignIn")
	} else {
		w.str("eventType", "AwsApiCall")
	}
	if !oldFormat {
		w.boolean("managementEvent", a.category == "Management")
		w.str("recipientAccountId", g.account)
		if g.rng.IntN(10) == 0 {
			w.str("sharedEventID", g.uuid())
		}
		if g.rng.IntN(20) == 0 {
			w.str("vpcEndpointId", fmt.Sprintf("vpce-%017x", g.rng.Uint64()&0xfffffffffffffff))
		}
		w.str("eventCategory", a.category)
		if a.source != "signin.amazonaws.com" && g.rng.IntN(8) != 0 {
			w.key("tlsDetails")
			w.open()
			w.str("tlsVersion", tlsVersions[g.rng.IntN(len(tlsVersions))])
			w.str("cipherSuite", cipherSuites[g.rng.IntN(len(cipherSuites))])
			w.str("clientProvidedHostHeader", hostFor(a.source, g.region))
			w.close()
		}
		if g.rng.IntN(6) == 0 {
			w.str("sessionCredentialFromConsole", "true")
		}
	}
	w.close()
	return w.buf
}

func hostFor(source, region string) string {
	svc := source[:len(source)-len(".amazonaws.com")]
	if svc == "s3" || svc == "iam" || svc == "sts" {
		return svc + ".amazonaws.com"
	}
	return svc + "." + region + ".amazonaws.com"
}

func (g *Generator) sourceIP(a api) string {
	switch g.rng.IntN(10) {
	case 0:
		return "AWS Internal"
	case 1:
		return "lambda.amazonaws.com"
	case 2:
		return fmt.Sprintf("2001:db8:%x::%x", g.rng.IntN(0xffff), g.rng.IntN(0xffff))
	}
	return fmt.Sprintf("%d.%d.%d.%d", 192+g.rng.IntN(8), g.rng.IntN(256), g.rng.IntN(256), 1+g.rng.IntN(254))
}

func (g *Generator) uuid() string {
	a, b := g.rng.Uint64(), g.rng.Uint64()
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", a>>32, (a>>16)&0xffff, a&0xfff, 0x8000|(b>>48)&0x3fff, b&0xffffffffffff)
}

func (g *Generator) accessKey(prefix string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	b := []byte(prefix)
	for len(b) < 20 {
		b = append(b, alphabet[g.rng.IntN(len(alphabet))])
	}
	return string(b)
}

func (g *Generator) identity(w *writer, a api) {
	w.open()
	switch k := g.rng.IntN(20); {
	case k < 7: // IAM user
		user := g.users[g.rng.IntN(len(g.users))]
		w.str("type", "IAMUser")
		w.str("principalId", user.id)
		w.str("arn", "arn:aws:iam::"+g.account+":user/"+user.name)
		w.str("accountId", g.account)
		w.str("accessKeyId", user.accessKey)
		w.str("userName", user.name)
		if g.rng.IntN(2) == 0 {
			w.key("sessionContext")
			w.open()
			w.key("attributes")
			w.open()
			w.str("creationDate", g.start.Add(-time.Duration(g.rng.IntN(7200))*time.Second).Format("2006-01-02T15:04:05Z"))
			w.str("mfaAuthenticated", []string{"false", "true"}[g.rng.IntN(2)])
			w.close()
			w.close()
		}
	case k < 17: // assumed role (the most common identity in real trails)
		sess := g.sessions[g.rng.IntN(len(g.sessions))]
		role, roleID, session := roleNames[sess.role], g.roleIDs[sess.role], sess.name
		w.str("type", "AssumedRole")
		w.str("principalId", roleID+":"+session)
		w.str("arn", "arn:aws:sts::"+g.account+":assumed-role/"+role+"/"+session)
		w.str("accountId", g.account)
		w.str("accessKeyId", sess.accessKey)
		w.key("sessionContext")
		w.open()
		w.key("sessionIssuer")
		w.open()
		w.str("type", "Role")
		w.str("principalId", roleID)
		w.str("arn", "arn:aws:iam::"+g.account+":role/"+role)
		w.str("accountId", g.account)
		w.str("userName", role)
		w.close()
		if g.rng.IntN(3) == 0 {
			w.key("webIdFederationData")
			w.open()
			w.close()
		}
		w.key("attributes")
		w.open()
		w.str("creationDate", g.start.Add(-time.Duration(g.rng.IntN(3600))*time.Second).Format("2006-01-02T15:04:05Z"))
		w.str("mfaAuthenticated", "false")
		w.close()
		if g.rng.IntN(4) == 0 {
			w.str("sourceIdentity", "")
			w.str("ec2RoleDelivery", "2.0")
		}
		w.close()
		if g.rng.IntN(5) == 0 {
			w.str("invokedBy", "cloudformation.amazonaws.com")
		}
	case k < 19: // AWS service
		w.str("type", "AWSService")
		w.str("invokedBy", []string{"lambda.amazonaws.com", "autoscaling.amazonaws.com", "config.amazonaws.com"}[g.rng.IntN(3)])
	default: // root
		w.str("type", "Root")
		w.str("principalId", g.account)
		w.str("arn", "arn:aws:iam::"+g.account+":root")
		w.str("accountId", g.account)
		w.str("accessKeyId", g.sessions[0].accessKey)
	}
	w.close()
}
