// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosehttp // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosehttp"

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/config/configoptional"
)

const (
	defaultMaxRequestBodySize = 64 << 20 // Firehose's largest body before compression
	defaultConsumeTimeout     = 60 * time.Second
	// defaultDedupWindow covers Firehose's default 300 s retry duration after its 3-minute request timeout.
	defaultDedupWindow = 15 * time.Minute
	// firehoseRequestTimeout is how long Firehose waits for an answer before it retries.
	firehoseRequestTimeout = 3 * time.Minute
	// maxAccessKeyLength is the longest access key Firehose can be configured with.
	maxAccessKeyLength = 4096

	// Server defaults that keep a slow or hostile client from holding a connection for ever. Firehose sends its
	// headers at once and a whole request well within its own 3-minute request timeout.
	defaultReadHeaderTimeout = 10 * time.Second
	defaultReadTimeout       = 60 * time.Second
	// defaultWriteTimeout runs from the end of the headers to the end of the answer (body read, consume_timeout and
	// answer): an answer later than Firehose's request timeout is not read by anyone.
	defaultWriteTimeout = firehoseRequestTimeout
	defaultIdleTimeout  = 120 * time.Second
	// defaultMaxConcurrentRequests bounds the requests served at once; Firehose delivers with a few concurrent requests
	// per stream.
	defaultMaxConcurrentRequests = 256
	// defaultMaxRequestHeaderSize covers Firehose's largest headers: up to 50 common attributes of 256 + 1,024
	// characters, an access key of 4,096 bytes, a 2,048-byte source ARN.
	defaultMaxRequestHeaderSize = 256 << 10
	// minRequestHeaderSize leaves room for a full-size access key and source ARN besides the other headers.
	minRequestHeaderSize = 16 << 10

	// minDuration is the minimum of every duration option (0 stays "off" where it is): below it a value is surely a
	// mistake, most often a number written without a unit (a bare 60 is 60ns).
	minDuration = time.Second
	// unitlessBelow: a YAML number without a unit decodes as nanoseconds, so a duration under a millisecond is taken
	// for one.
	unitlessBelow = time.Millisecond
)

// EndpointConfig is the part of a Firehose receiver's configuration that the HTTP endpoint contract needs. A receiver
// embeds it anonymously with `mapstructure:",squash"`, decodes it with UnmarshalConfig and adds Check's errors to its
// own Validate.
type EndpointConfig struct {
	// ServerConfig is the HTTP server: endpoint, tls, max_request_body_size (default 64 MiB, enforced on the received
	// bytes and again on the decompressed body), timeouts (read_header_timeout 10s, read_timeout 60s, write_timeout
	// 3m, keepalive idle_timeout 120s), ...
	ServerConfig confighttp.ServerConfig `mapstructure:",squash"`

	// MaxConcurrentRequests bounds the requests served at once (default 256). A request beyond it is answered 503 at
	// once, without reading its body; Firehose retries it. Health checks (GET/HEAD) are not counted.
	MaxConcurrentRequests int `mapstructure:"max_concurrent_requests"`

	// MaxRequestHeaderSize bounds the request line and headers, in bytes (default 256 KiB); larger requests are
	// answered 431 before they reach the receiver.
	MaxRequestHeaderSize int `mapstructure:"max_request_header_size"`

	// Path is the URL path Firehose posts to (default "/"). GET or HEAD on it answers 200 for load-balancer health checks.
	Path string `mapstructure:"path"`

	// AccessKeys are the accepted values of X-Amz-Firehose-Access-Key. Several keys allow rotation. A request without
	// the header or with another value is refused with 401. Required unless AllowUnauthenticated is set.
	AccessKeys []configopaque.String `mapstructure:"access_keys"`

	// AllowUnauthenticated accepts requests from any client without access_keys. An unauthenticated endpoint is a
	// decision (e.g. a private network where something else authenticates), not a default.
	AllowUnauthenticated bool `mapstructure:"allow_unauthenticated"`

	// MaxRecordSize caps each base64-decoded record (default 1,024,000 bytes, Firehose's own maximum).
	MaxRecordSize int `mapstructure:"max_record_size"`

	// ConsumeTimeout bounds how long a request waits for the pipeline before it is answered 503 (default 60s). It must
	// stay under Firehose's 3-minute request timeout.
	ConsumeTimeout time.Duration `mapstructure:"consume_timeout"`

	// DedupWindow is how long an accepted request is remembered by stream and request id, so that a Firehose retry of
	// it (after a timeout or a lost answer) is answered 200 without delivering the data twice (default 15m; 0 turns it
	// off). Set it above the stream's retry duration plus Firehose's 3-minute request timeout.
	DedupWindow time.Duration `mapstructure:"dedup_window"`

	_ struct{}
}

// NewDefaultEndpointConfig is the endpoint's default configuration listening on endpoint (host:port).
func NewDefaultEndpointConfig(endpoint string) EndpointConfig {
	server := confighttp.NewDefaultServerConfig()
	server.NetAddr.Endpoint = endpoint
	server.MaxRequestBodySize = defaultMaxRequestBodySize
	server.ReadHeaderTimeout = defaultReadHeaderTimeout
	server.ReadTimeout = defaultReadTimeout
	server.WriteTimeout = defaultWriteTimeout
	server.Keepalive = configoptional.Some(confighttp.KeepaliveServerConfig{IdleTimeout: defaultIdleTimeout})
	return EndpointConfig{
		ServerConfig:          server,
		MaxConcurrentRequests: defaultMaxConcurrentRequests,
		MaxRequestHeaderSize:  defaultMaxRequestHeaderSize,
		Path:                  "/",
		MaxRecordSize:         defaultMaxRecordSize,
		ConsumeTimeout:        defaultConsumeTimeout,
		DedupWindow:           defaultDedupWindow,
	}
}

// Check reports the endpoint options' mistakes with what to change. It is not named Validate: the collector calls
// Validate on every field of a configuration, and the receiver's own Validate includes these errors already.
func (c *EndpointConfig) Check() error {
	var errs []error
	switch c.ServerConfig.NetAddr.Transport {
	case "", "tcp", "tcp4", "tcp6":
		if err := validateEndpoint(c.ServerConfig.NetAddr.Endpoint); err != nil {
			errs = append(errs, err)
		}
	}
	switch {
	case len(c.AccessKeys) == 0 && !c.AllowUnauthenticated:
		errs = append(errs, errors.New("access_keys is empty: set access_keys to the Firehose stream's access key, e.g. access_keys: [${env:FIREHOSE_ACCESS_KEY}], or set allow_unauthenticated: true to accept requests from any client"))
	case len(c.AccessKeys) > 0 && c.AllowUnauthenticated:
		errs = append(errs, errors.New("allow_unauthenticated: true and access_keys are both set: remove allow_unauthenticated to require the keys, or remove access_keys"))
	}
	server := c.ServerConfig
	errs = append(errs,
		CheckDuration("read_header_timeout", server.ReadHeaderTimeout, "10s"),
		CheckDuration("read_timeout", server.ReadTimeout, "60s"),
		CheckDuration("write_timeout", server.WriteTimeout, "3m"),
	)
	// A config built in code holds the keep-alive settings in Keepalive; after unmarshaling confighttp has moved them
	// to its deprecated fields, and CheckKeys checked them.
	if ka := server.Keepalive.Get(); ka != nil {
		errs = append(errs, CheckDuration("keepalive::idle_timeout", ka.IdleTimeout, "120s"))
	}
	if c.ServerConfig.MaxRequestBodySize <= 0 {
		errs = append(errs, errors.New("max_request_body_size must be a positive number of bytes (default 64 MiB, Firehose's largest request)"))
	}
	if len(c.ServerConfig.CompressionAlgorithms) > 0 {
		errs = append(errs, errors.New("compression_algorithms is not supported: the receiver decompresses Firehose's gzip itself, with its own limits; remove the option"))
	}
	if c.MaxConcurrentRequests <= 0 {
		errs = append(errs, fmt.Errorf("max_concurrent_requests must be positive (default %d)", defaultMaxConcurrentRequests))
	}
	if c.MaxRequestHeaderSize < minRequestHeaderSize {
		errs = append(errs, fmt.Errorf("max_request_header_size must be at least %d bytes, room for Firehose's headers (default %d)", minRequestHeaderSize, defaultMaxRequestHeaderSize))
	}
	if !strings.HasPrefix(c.Path, "/") {
		errs = append(errs, fmt.Errorf("path %q must start with '/'", c.Path))
	}
	for i, key := range c.AccessKeys {
		if key == "" {
			errs = append(errs, fmt.Errorf("access_keys[%d] is empty: remove it or set the key configured on the Firehose stream; written as ${env:NAME}, that environment variable is unset or empty (the shipped config reads FIREHOSE_ACCESS_KEY)", i))
		}
		if len(key) > maxAccessKeyLength {
			errs = append(errs, fmt.Errorf("access_keys[%d] is longer than Firehose's limit of %d bytes", i, maxAccessKeyLength))
		}
	}
	if c.MaxRecordSize <= 0 {
		errs = append(errs, fmt.Errorf("max_record_size must be positive (default %d bytes)", defaultMaxRecordSize))
	} else if c.ServerConfig.MaxRequestBodySize > 0 && int64(c.MaxRecordSize) > c.ServerConfig.MaxRequestBodySize {
		errs = append(errs, errors.New("max_record_size cannot be larger than max_request_body_size"))
	}
	if c.ConsumeTimeout <= 0 || c.ConsumeTimeout >= firehoseRequestTimeout {
		errs = append(errs, fmt.Errorf("consume_timeout must be positive and under Firehose's %s request timeout (default %s)", firehoseRequestTimeout, defaultConsumeTimeout))
	} else {
		errs = append(errs, CheckDuration("consume_timeout", c.ConsumeTimeout, "60s"))
	}
	if c.DedupWindow < 0 {
		errs = append(errs, fmt.Errorf("dedup_window must not be negative (default %s; 0 turns deduplication off)", defaultDedupWindow))
	} else {
		errs = append(errs, CheckDuration("dedup_window", c.DedupWindow, "15m (0 turns deduplication off)"))
	}
	return errors.Join(errs...)
}

// CheckDuration refuses a positive duration under a second, saying how to write it (example: a valid value).
func CheckDuration(name string, d time.Duration, example string) error {
	switch {
	case d <= 0:
		return nil
	case d < unitlessBelow:
		return fmt.Errorf("%s is %s: durations need a unit, e.g. %s", name, d, example)
	case d < minDuration:
		return fmt.Errorf("%s is %s, below its minimum of %s: e.g. %s", name, d, minDuration, example)
	}
	return nil
}

// validateEndpoint wants host:port: a scheme or path (https://0.0.0.0:4433) fails only when the listener opens, with
// "too many colons".
func validateEndpoint(endpoint string) error {
	const fix = "write host:port, e.g. 0.0.0.0:4433"
	switch {
	case endpoint == "":
		return errors.New("endpoint is empty: " + fix)
	case strings.Contains(endpoint, "://"):
		return fmt.Errorf("endpoint %q has a scheme: %s (set tls: for HTTPS, path: for the URL path)", endpoint, fix)
	case strings.Contains(endpoint, "/"):
		return fmt.Errorf("endpoint %q has a path: %s (set path: for the URL path)", endpoint, fix)
	}
	if _, port, err := net.SplitHostPort(endpoint); err != nil || port == "" {
		return fmt.Errorf("endpoint %q has no port: %s", endpoint, fix)
	}
	return nil
}
