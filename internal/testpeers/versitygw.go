// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package testpeers // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/testpeers"

import (
	"strconv"
	"testing"
	"time"
)

// S3Server is an S3-compatible endpoint and the credentials it accepts.
type S3Server struct {
	Endpoint  string
	Region    string
	AccessKey string
	SecretKey string
}

const (
	versityAccessKey = "testpeer-access"
	versitySecretKey = "testpeer-secret-0123456789"
)

var versityPeer peer

// VersityGW returns the shared versitygw of this test binary: a real S3 server (posix backend in a temporary directory)
// that checks SigV4 signatures, so a request signed with wrong credentials gets 403 SignatureDoesNotMatch.
// State is not reset between tests: give each test its own bucket (UniqueName).
func VersityGW(t testing.TB) *S3Server {
	t.Helper()
	versityPeer.start(t, func(p *peer) error {
		bin, ok := findBinary("VERSITYGW", "versitygw")
		if !ok {
			return p.errMissing("versitygw not found: run `make peers` (go install github.com/versity/versitygw/cmd/versitygw@v1.8.0 into bin/) or set VERSITYGW")
		}
		port, err := freePort()
		if err != nil {
			return err
		}
		p.port = port
		// The data directory is created inside the peer's temporary directory by launchProcess; posix needs it to exist.
		if err := p.launchProcess("versitygw",
			[]string{"ROOT_ACCESS_KEY=" + versityAccessKey, "ROOT_SECRET_KEY=" + versitySecretKey},
			"/bin/sh", "-c", `mkdir -p data && exec "$0" --port 127.0.0.1:`+strconv.Itoa(port)+` --quiet posix "$PWD/data"`, bin); err != nil {
			return err
		}
		return p.waitHTTP("versitygw", p.baseURL()+"/", 30*time.Second)
	})
	return &S3Server{Endpoint: versityPeer.baseURL(), Region: "us-east-1", AccessKey: versityAccessKey, SecretKey: versitySecretKey}
}
