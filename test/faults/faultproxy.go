// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package faults // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/test/faults"

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Fault is what the proxy does to one request.
type Fault int

const (
	// Pass forwards the request and its answer unchanged.
	Pass Fault = iota
	// InternalError answers 500 with S3's InternalError XML body.
	InternalError
	// SlowDown answers 503 with S3's SlowDown XML body (throttling).
	SlowDown
	// ResetMidBody forwards the answer's headers and half of its body, then resets the connection (TCP RST).
	ResetMidBody
	// StallMidBody forwards half of the body, stops sending for the proxy's stall time, then sends the rest.
	StallMidBody
)

func (f Fault) String() string {
	switch f {
	case Pass:
		return "pass"
	case InternalError:
		return "500 InternalError"
	case SlowDown:
		return "503 SlowDown"
	case ResetMidBody:
		return "reset mid-body"
	case StallMidBody:
		return "stalled read"
	}
	return fmt.Sprintf("fault(%d)", int(f))
}

// ProxyRequest is what a ProxyPlan sees of a request.
type ProxyRequest struct {
	Method string
	// Key is the object key of a GetObject (path-style /<bucket>/<key>); empty for listings and bucket operations.
	Key string
	// Attempt counts the requests for the same Key (1 for the first); 0 when Key is empty.
	Attempt int
}

// ProxyPlan chooses the fault for a request.
type ProxyPlan func(r ProxyRequest) Fault

// FirstGetOfEachObject fails the first GetObject of every object with the next fault of faults (round robin);
// later attempts pass. Every object therefore meets one transient fault and must still be read completely.
func FirstGetOfEachObject(faults ...Fault) ProxyPlan {
	var mu sync.Mutex
	next := 0
	return func(r ProxyRequest) Fault {
		if r.Key == "" || r.Attempt != 1 {
			return Pass
		}
		mu.Lock()
		defer mu.Unlock()
		f := faults[next%len(faults)]
		next++
		return f
	}
}

// RandomFaults gives each request matching only (nil: every request) a random fault of faults with probability p.
func RandomFaults(seed uint64, p float64, only func(ProxyRequest) bool, faults ...Fault) ProxyPlan {
	var mu sync.Mutex
	rng := rand.New(rand.NewPCG(seed, ^seed))
	return func(r ProxyRequest) Fault {
		if only != nil && !only(r) {
			return Pass
		}
		mu.Lock()
		defer mu.Unlock()
		if rng.Float64() >= p {
			return Pass
		}
		return faults[rng.IntN(len(faults))]
	}
}

// Listings matches ListObjectsV2 and other bucket-level requests.
func Listings(r ProxyRequest) bool { return r.Key == "" }

// Plans combines plans: the first one that injects a fault wins.
func Plans(plans ...ProxyPlan) ProxyPlan {
	return func(r ProxyRequest) Fault {
		for _, p := range plans {
			if f := p(r); f != Pass {
				return f
			}
		}
		return Pass
	}
}

// FaultProxy is a reverse proxy in front of an S3 server that injects faults. It forwards requests unchanged,
// including the Host header, so SigV4 signatures stay valid.
type FaultProxy struct {
	URL string

	target    *url.URL
	transport *http.Transport
	stall     time.Duration

	mu       sync.Mutex
	plan     ProxyPlan
	attempts map[string]int
	injected map[Fault]int
	requests int
}

// NewFaultProxy starts a proxy to target; a stalled read lasts stall. It is closed when the test ends.
func NewFaultProxy(t testing.TB, target string, stall time.Duration) *FaultProxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatalf("fault proxy target %q: %v", target, err)
	}
	p := &FaultProxy{
		target:    u,
		transport: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 32},
		stall:     stall,
		attempts:  map[string]int{},
		injected:  map[Fault]int{},
	}
	server := httptest.NewServer(http.HandlerFunc(p.serveHTTP))
	p.URL = server.URL
	t.Cleanup(func() {
		server.CloseClientConnections()
		server.Close()
		p.transport.CloseIdleConnections()
	})
	return p
}

// SetPlan installs the plan; nil forwards everything.
func (p *FaultProxy) SetPlan(plan ProxyPlan) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.plan = plan
}

// Injected returns how many times each fault was injected.
func (p *FaultProxy) Injected() map[Fault]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[Fault]int, len(p.injected))
	for k, v := range p.injected {
		out[k] = v
	}
	return out
}

// Requests is the number of requests the proxy received.
func (p *FaultProxy) Requests() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.requests
}

func (p *FaultProxy) classify(r *http.Request) (ProxyRequest, ProxyPlan) {
	pr := ProxyRequest{Method: r.Method}
	// Path-style: /<bucket>/<key>. A GET with a key and without list parameters is a GetObject.
	parts := strings.SplitN(strings.TrimPrefix(r.URL.Path, "/"), "/", 2)
	if r.Method == http.MethodGet && len(parts) == 2 && parts[1] != "" {
		pr.Key = parts[1]
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.requests++
	if pr.Key != "" {
		p.attempts[pr.Key]++
		pr.Attempt = p.attempts[pr.Key]
	}
	return pr, p.plan
}

func (p *FaultProxy) serveHTTP(w http.ResponseWriter, r *http.Request) {
	pr, plan := p.classify(r)
	fault := Pass
	if plan != nil {
		fault = plan(pr)
	}
	if fault != Pass {
		p.mu.Lock()
		p.injected[fault]++
		p.mu.Unlock()
	}
	switch fault {
	case InternalError:
		_, _ = io.Copy(io.Discard, r.Body)
		writeS3Error(w, http.StatusInternalServerError, "InternalError", "We encountered an internal error. Please try again.")
		return
	case SlowDown:
		_, _ = io.Copy(io.Discard, r.Body)
		writeS3Error(w, http.StatusServiceUnavailable, "SlowDown", "Please reduce your request rate.")
		return
	}

	out := r.Clone(r.Context())
	out.RequestURI = ""
	out.URL.Scheme, out.URL.Host = p.target.Scheme, p.target.Host
	out.Host = r.Host // the signed host: the proxy's own address
	resp, err := p.transport.RoundTrip(out)
	if err != nil {
		http.Error(w, "fault proxy: upstream: "+err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	var src io.Reader = resp.Body
	size := resp.ContentLength
	if fault != Pass && resp.StatusCode == http.StatusOK && size < 0 {
		// A chunked answer: buffer it (test objects are small) so half of it can be sent with a Content-Length.
		data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
		if err != nil {
			http.Error(w, "fault proxy: upstream body: "+err.Error(), http.StatusBadGateway)
			return
		}
		src, size = bytes.NewReader(data), int64(len(data))
		resp.Header.Set("Content-Length", strconv.FormatInt(size, 10))
	}
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.StatusCode)
	if fault == Pass || resp.StatusCode != http.StatusOK || size < 2 {
		_, _ = io.Copy(w, src)
		return
	}
	if _, err := io.CopyN(w, src, size/2); err != nil {
		return
	}
	rc := http.NewResponseController(w)
	_ = rc.Flush()
	switch fault {
	case ResetMidBody:
		conn, buf, err := rc.Hijack()
		if err != nil {
			panic(fmt.Sprintf("fault proxy: hijacking the connection: %v", err)) // only HTTP/1 is served
		}
		_ = buf.Flush()
		if tcp, ok := conn.(*net.TCPConn); ok {
			_ = tcp.SetLinger(0) // close with RST instead of FIN
		}
		conn.Close()
	case StallMidBody:
		ctx, cancel := context.WithTimeout(r.Context(), p.stall)
		<-ctx.Done()
		cancel()
		_, _ = io.Copy(w, src)
	}
}

// writeS3Error answers like S3 does, with an XML error document.
func writeS3Error(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<Error><Code>%s</Code><Message>%s</Message><RequestId>faultproxy</RequestId><HostId>faultproxy</HostId></Error>`, code, message)
}
