// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package testpeers // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/testpeers"

import (
	"net/http"
	"strconv"
	"testing"
	"time"
)

// MotoServer is a running moto_server: S3, SQS (with S3 event notifications), STS, the Resource Groups Tagging API, EC2,
// Lambda and more, in one process. It accepts any credentials; its account id is 123456789012.
type MotoServer struct {
	Endpoint  string // http://127.0.0.1:<port>
	Region    string
	AccessKey string
	SecretKey string
}

// MotoAccountID is the account id moto uses in ARNs and queue URLs.
const MotoAccountID = "123456789012"

var motoPeer peer

// Moto returns the shared moto_server of this test binary with all of its state wiped, so each test starts empty.
// Tests that use Moto must not run in parallel with each other.
func Moto(t testing.TB) *MotoServer {
	t.Helper()
	motoPeer.start(t, func(p *peer) error {
		bin, ok := findBinary("MOTO_SERVER", "moto_server")
		if !ok {
			return p.errMissing("moto_server not found (it ships with the machine image's Python; set MOTO_SERVER to its path)")
		}
		port, err := freePort()
		if err != nil {
			return err
		}
		p.port = port
		if err := p.launchProcess("moto", nil, bin, "-H", "127.0.0.1", "-p", strconv.Itoa(port)); err != nil {
			return err
		}
		return p.waitHTTP("moto_server", p.baseURL()+"/moto-api/", 60*time.Second)
	})
	resp, err := http.Post(motoPeer.baseURL()+"/moto-api/reset", "application/json", nil)
	if err != nil {
		t.Fatalf("resetting moto_server: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("resetting moto_server: HTTP %d", resp.StatusCode)
	}
	return &MotoServer{Endpoint: motoPeer.baseURL(), Region: "us-east-1", AccessKey: "testing", SecretKey: "testing"}
}

// S3 describes moto's S3 service in the shape the S3 helpers take.
func (m *MotoServer) S3() *S3Server {
	return &S3Server{Endpoint: m.Endpoint, Region: m.Region, AccessKey: m.AccessKey, SecretKey: m.SecretKey}
}
