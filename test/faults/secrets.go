// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package faults // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/test/faults"

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
	"testing"
)

// Secrets are the tokens and keys of one scenario, each a unique marker string that must never show up in the
// collector's logs or telemetry.
type Secrets struct {
	LogsToken     string
	AWSAccessKey  string
	AWSSecretKey  string
	FirehoseKey   string
	FirehoseKeyV2 string
	// WrongFirehoseKey is what an abusive client sends instead of a valid key: echoing it would be a leak too.
	WrongFirehoseKey string
}

// NewSecrets returns fresh markers. The AWS access key ID is a marker too: it is not a secret for AWS, but the
// suite holds the collector to the stricter rule.
func NewSecrets() Secrets {
	return Secrets{
		LogsToken:        "faultsLogsToken" + randomHex(12),
		AWSAccessKey:     "AKIAFAULTS" + strings.ToUpper(randomHex(5)),
		AWSSecretKey:     "faultsAwsSecret" + randomHex(16),
		FirehoseKey:      "faultsFirehoseKey" + randomHex(12),
		FirehoseKeyV2:    "faultsFirehoseRotated" + randomHex(12),
		WrongFirehoseKey: "faultsWrongFirehoseKey" + randomHex(12),
	}
}

func (s Secrets) all() map[string]string {
	return map[string]string{
		"logs token":                       s.LogsToken,
		"AWS access key ID":                s.AWSAccessKey,
		"AWS secret access key":            s.AWSSecretKey,
		"Firehose access key":              s.FirehoseKey,
		"rotated Firehose key":             s.FirehoseKeyV2,
		"wrong Firehose key a client sent": s.WrongFirehoseKey,
	}
}

// AssertNotLeaked fails the test when any marker appears in text (named where it came from) and reports whether
// text was clean.
func (s Secrets) AssertNotLeaked(t testing.TB, where, text string) bool {
	t.Helper()
	clean := true
	for name, marker := range s.all() {
		if i := strings.Index(text, marker); i >= 0 {
			from, to := max(0, i-200), min(len(text), i+len(marker)+100)
			t.Errorf("the %s leaked into the collector's %s:\n…%s…", name, where, text[from:to])
			clean = false
		}
	}
	return clean
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
