// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver"

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Folder names under AWSLogs/<account>/ that this receiver reads. CloudTrail-Digest/ and the folders of other services
// (Config/, elasticloadbalancing/, vpcflowlogs/, …) are never listed.
const (
	awsLogsFolder    = "AWSLogs/"
	trailFolder      = "CloudTrail"
	insightsFolder   = "CloudTrail-Insight"
	logFileSuffix    = ".json.gz"
	fileTimeLayout   = "20060102T1504Z"
	dateFolderLayout = "2006/01/02/"
)

var (
	orgIDPattern         = regexp.MustCompile(`^o-[a-z0-9]{10,32}$`)
	regionFolderPattern  = regexp.MustCompile(`^[a-z0-9-]+$`)
	uniqueSuffixPattern  = regexp.MustCompile(`^[^/_]+$`)
	dateComponentPattern = regexp.MustCompile(`^[0-9]+$`)
)

// subtree is one account/region folder a trail delivers into: the unit of ordering, and so of the watermark. Keys sort
// in delivery-time order only inside one subtree.
type subtree struct {
	Prefix   string // the configured key prefix: "" or ending in '/'
	OrgID    string // o-… for organization trails, else ""
	Account  string
	Region   string
	Insights bool // CloudTrail-Insight/ instead of CloudTrail/
}

func (s subtree) folder() string {
	if s.Insights {
		return insightsFolder
	}
	return trailFolder
}

// accountPrefix is the key prefix of the account folder: <prefix>AWSLogs/[<org>/]<account>/.
func (s subtree) accountPrefix() string {
	p := s.Prefix + awsLogsFolder
	if s.OrgID != "" {
		p += s.OrgID + "/"
	}
	return p + s.Account + "/"
}

// keyPrefix is the prefix every key of the subtree starts with: …/<account>/CloudTrail/<region>/.
func (s subtree) keyPrefix() string {
	return s.accountPrefix() + s.folder() + "/" + s.Region + "/"
}

// fileNamePrefix is how every file name of the subtree starts: <account>_CloudTrail_<region>_.
func (s subtree) fileNamePrefix() string {
	return s.Account + "_" + s.folder() + "_" + s.Region + "_"
}

// startAfter is the ListObjectsV2 StartAfter key that lists exactly the files delivered in minute t or later.
func (s subtree) startAfter(t time.Time) string {
	t = t.UTC()
	return s.keyPrefix() + t.Format(dateFolderLayout) + s.fileNamePrefix() + t.Format(fileTimeLayout)
}

func (s subtree) String() string {
	var b strings.Builder
	b.WriteString("account ")
	b.WriteString(s.Account)
	b.WriteString(" region ")
	b.WriteString(s.Region)
	if s.OrgID != "" {
		b.WriteString(" (organization ")
		b.WriteString(s.OrgID)
		b.WriteString(")")
	}
	if s.Insights {
		b.WriteString(" insights")
	}
	return b.String()
}

// logFile is a parsed trail log (or Insights) key.
type logFile struct {
	Subtree subtree
	// Time is the delivery minute from the file name (UTC).
	Time time.Time
}

// parseLogKey recognises a CloudTrail log file key (or an Insights file key) under prefix, following the layout in
// docs/cloudtrail-in-s3.md#object-keys: <prefix>AWSLogs/[<org>/]<acct>/CloudTrail/<region>/YYYY/MM/DD/<acct>_CloudTrail_<region>_<YYYYMMDDTHHmm>Z_<unique>.json.gz.
// Digest files, Config's files and anything else return an error saying why the key is not a trail log file.
func parseLogKey(prefix, key string) (logFile, error) {
	rest, ok := strings.CutPrefix(key, prefix+awsLogsFolder)
	if !ok {
		return logFile{}, fmt.Errorf("key is not under %q", prefix+awsLogsFolder)
	}
	parts := strings.Split(rest, "/")
	var s subtree
	s.Prefix = prefix
	switch len(parts) {
	case 7:
	case 8:
		if !orgIDPattern.MatchString(parts[0]) {
			return logFile{}, fmt.Errorf("%q is neither an account ID nor an organization ID", parts[0])
		}
		s.OrgID = parts[0]
		parts = parts[1:]
	default:
		return logFile{}, fmt.Errorf("key does not have the CloudTrail layout <account>/CloudTrail/<region>/YYYY/MM/DD/<file>")
	}
	account, folder, region, yyyy, mm, dd, name := parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], parts[6]
	if !accountIDPattern.MatchString(account) {
		return logFile{}, fmt.Errorf("%q is not a 12-digit account ID", account)
	}
	switch folder {
	case trailFolder:
	case insightsFolder:
		s.Insights = true
	default:
		return logFile{}, fmt.Errorf("folder %q is not %s/ or %s/", folder, trailFolder, insightsFolder)
	}
	if !regionFolderPattern.MatchString(region) {
		return logFile{}, fmt.Errorf("%q is not a region folder", region)
	}
	s.Account, s.Region = account, region
	t, err := parseFileName(s, name)
	if err != nil {
		return logFile{}, err
	}
	for _, c := range []string{yyyy, mm, dd} {
		if !dateComponentPattern.MatchString(c) {
			return logFile{}, fmt.Errorf("date folder %s/%s/%s is not YYYY/MM/DD", yyyy, mm, dd)
		}
	}
	if want := t.Format(dateFolderLayout); yyyy+"/"+mm+"/"+dd+"/" != want {
		return logFile{}, fmt.Errorf("date folder %s/%s/%s does not match the file name's date %s", yyyy, mm, dd, want[:10])
	}
	return logFile{Subtree: s, Time: t}, nil
}

// parseFileName checks <acct>_CloudTrail_<region>_<YYYYMMDDTHHmm>Z_<unique>.json.gz against the subtree it sits in and
// returns the delivery time.
func parseFileName(s subtree, name string) (time.Time, error) {
	base, ok := strings.CutSuffix(name, logFileSuffix)
	if !ok {
		return time.Time{}, fmt.Errorf("file name %q does not end with %s", name, logFileSuffix)
	}
	rest, ok := strings.CutPrefix(base, s.fileNamePrefix())
	if !ok {
		return time.Time{}, fmt.Errorf("file name %q does not start with %q", name, s.fileNamePrefix())
	}
	if len(rest) < len(fileTimeLayout)+2 || rest[len(fileTimeLayout)] != '_' {
		return time.Time{}, fmt.Errorf("file name %q has no <YYYYMMDDTHHmm>Z_<unique> part", name)
	}
	t, err := time.Parse(fileTimeLayout, rest[:len(fileTimeLayout)])
	if err != nil {
		return time.Time{}, fmt.Errorf("file name %q has no valid delivery time: %w", name, err)
	}
	if !uniqueSuffixPattern.MatchString(rest[len(fileTimeLayout)+1:]) {
		return time.Time{}, fmt.Errorf("file name %q has an invalid unique suffix", name)
	}
	return t.UTC(), nil
}
