package firehosemetricsreceiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver"

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/config/configopaque"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/awsconfig"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver/internal/metricstream"
)

const (
	defaultEndpoint           = "0.0.0.0:4433"
	defaultMaxRequestBodySize = 64 << 20 // Firehose's largest body before compression
	defaultConsumeTimeout     = 60 * time.Second
	// defaultDedupWindow covers Firehose's default 300 s retry duration after its 3-minute request timeout.
	defaultDedupWindow     = 15 * time.Minute
	defaultRefreshInterval = 5 * time.Minute
	// firehoseRequestTimeout is how long Firehose waits for an answer before it retries.
	firehoseRequestTimeout = 3 * time.Minute
	// maxAccessKeyLength is the longest access key Firehose can be configured with.
	maxAccessKeyLength = 4096
	minRefreshInterval = time.Minute

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
)

// Config is the configuration of the firehosemetrics receiver.
type Config struct {
	// ServerConfig is the HTTP server: endpoint (default 0.0.0.0:4433), tls, max_request_body_size (default 64 MiB,
	// enforced on the received bytes and again on the decompressed body), timeouts (read_header_timeout 10s,
	// read_timeout 60s, write_timeout 3m, keepalive idle_timeout 120s), ...
	ServerConfig confighttp.ServerConfig `mapstructure:",squash"`

	// MaxConcurrentRequests bounds the requests served at once (default 256). A request beyond it is answered 503 at
	// once, without reading its body; Firehose retries it. Health checks (GET/HEAD) are not counted.
	MaxConcurrentRequests int `mapstructure:"max_concurrent_requests"`

	// MaxRequestHeaderSize bounds the request line and headers, in bytes (default 256 KiB); larger requests are
	// answered 431 before they reach the receiver.
	MaxRequestHeaderSize int `mapstructure:"max_request_header_size"`

	// Path is the URL path Firehose posts to (default "/"). GET or HEAD on it answers 200 for load-balancer health checks.
	Path string `mapstructure:"path"`

	// AccessKeys are the accepted values of X-Amz-Firehose-Access-Key. Several keys allow rotation. When at least one is
	// set, a request without the header or with another value is refused with 401.
	AccessKeys []configopaque.String `mapstructure:"access_keys"`

	// Format of the metric stream records: auto (default, detected per record), json, opentelemetry0.7, opentelemetry1.0.
	Format metricstream.Format `mapstructure:"format"`

	// Naming of the produced metrics: logzio (default, the series Logz.io's hosted endpoint produces) or otel.
	Naming metricstream.Naming `mapstructure:"naming"`

	// Namespaces keeps only data points of these CloudWatch namespaces; "all-namespaces" (default) keeps everything.
	Namespaces []string `mapstructure:"namespaces"`

	// MaxRecordSize caps each base64-decoded record (default 1,024,000 bytes, Firehose's own maximum).
	MaxRecordSize int `mapstructure:"max_record_size"`

	// ConsumeTimeout bounds how long a request waits for the pipeline before it is answered 503 (default 60s). It must
	// stay under Firehose's 3-minute request timeout.
	ConsumeTimeout time.Duration `mapstructure:"consume_timeout"`

	// DedupWindow is how long an accepted request is remembered by stream and request id, so that a Firehose retry of
	// it (after a timeout or a lost answer) is answered 200 without delivering the metrics twice (default 15m; 0
	// turns it off). Set it above the stream's retry duration plus Firehose's 3-minute request timeout.
	DedupWindow time.Duration `mapstructure:"dedup_window"`

	// LogzioName is the p8s_logzio_name label used when a request has no P8S_LOGZIO_NAME common attribute (naming: logzio).
	// Empty: logzio-otlp-metrics-stream, the hosted endpoint's default.
	LogzioName string `mapstructure:"p8s_logzio_name"`

	// ResourceTags reads resource tags with the Resource Groups Tagging API.
	ResourceTags ResourceTagsConfig `mapstructure:"resource_tags"`

	_ struct{}
}

// ResourceTagsConfig configures the tag cache built from the Resource Groups Tagging API (GetResources).
type ResourceTagsConfig struct {
	// Enabled turns the tag cache on (default false).
	Enabled bool `mapstructure:"enabled"`
	// RefreshInterval is how often the tags are listed again (default 5m, minimum 1m).
	RefreshInterval time.Duration `mapstructure:"refresh_interval"`
	// Regions to list; default: the region below, or the SDK's default region.
	Regions []string `mapstructure:"regions"`
	// InfoMetric emits aws_resource_info = 1 per tagged resource after every refresh (default true).
	InfoMetric bool `mapstructure:"info_metric"`
	// Enrich adds tag_<key> labels directly to the data points of a tagged resource (default false).
	Enrich bool `mapstructure:"enrich"`
	// AWS access: region, endpoint, profile, static keys, role_arn, external_id, session_name.
	AWS awsconfig.Config `mapstructure:",squash"`

	_ struct{}
}

// Validate reports configuration mistakes with what to change.
func (cfg *Config) Validate() error {
	var errs []error
	if cfg.ServerConfig.MaxRequestBodySize <= 0 {
		errs = append(errs, errors.New("max_request_body_size must be a positive number of bytes (default 64 MiB, Firehose's largest request)"))
	}
	if len(cfg.ServerConfig.CompressionAlgorithms) > 0 {
		errs = append(errs, errors.New("compression_algorithms is not supported: the receiver decompresses Firehose's gzip itself, with its own limits; remove the option"))
	}
	if cfg.MaxConcurrentRequests <= 0 {
		errs = append(errs, fmt.Errorf("max_concurrent_requests must be positive (default %d)", defaultMaxConcurrentRequests))
	}
	if cfg.MaxRequestHeaderSize < minRequestHeaderSize {
		errs = append(errs, fmt.Errorf("max_request_header_size must be at least %d bytes, room for Firehose's headers (default %d)", minRequestHeaderSize, defaultMaxRequestHeaderSize))
	}
	if !strings.HasPrefix(cfg.Path, "/") {
		errs = append(errs, fmt.Errorf("path %q must start with '/'", cfg.Path))
	}
	for i, key := range cfg.AccessKeys {
		if key == "" {
			errs = append(errs, fmt.Errorf("access_keys[%d] is empty: remove it or set the key configured on the Firehose stream", i))
		}
		if len(key) > maxAccessKeyLength {
			errs = append(errs, fmt.Errorf("access_keys[%d] is longer than Firehose's limit of %d bytes", i, maxAccessKeyLength))
		}
	}
	if err := cfg.decoderOptions().Validate(); err != nil {
		errs = append(errs, err)
	}
	if cfg.MaxRecordSize <= 0 {
		errs = append(errs, fmt.Errorf("max_record_size must be positive (default %d bytes)", defaultMaxRecordSize))
	} else if cfg.ServerConfig.MaxRequestBodySize > 0 && int64(cfg.MaxRecordSize) > cfg.ServerConfig.MaxRequestBodySize {
		errs = append(errs, errors.New("max_record_size cannot be larger than max_request_body_size"))
	}
	if cfg.ConsumeTimeout <= 0 || cfg.ConsumeTimeout >= firehoseRequestTimeout {
		errs = append(errs, fmt.Errorf("consume_timeout must be positive and under Firehose's %s request timeout (default %s)", firehoseRequestTimeout, defaultConsumeTimeout))
	}
	if cfg.DedupWindow < 0 {
		errs = append(errs, fmt.Errorf("dedup_window must not be negative (default %s; 0 turns deduplication off)", defaultDedupWindow))
	}
	if err := cfg.ResourceTags.validate(cfg.Namespaces); err != nil {
		errs = append(errs, fmt.Errorf("resource_tags: %w", err))
	}
	return errors.Join(errs...)
}

func (rt *ResourceTagsConfig) validate(namespaces []string) error {
	if !rt.Enabled {
		if rt.Enrich {
			return errors.New("enrich needs enabled: true")
		}
		return nil
	}
	var errs []error
	if rt.RefreshInterval < minRefreshInterval {
		errs = append(errs, fmt.Errorf("refresh_interval must be at least %s (the Tagging API is rate-limited; default %s)", minRefreshInterval, defaultRefreshInterval))
	}
	for i, region := range rt.Regions {
		if strings.TrimSpace(region) == "" {
			errs = append(errs, fmt.Errorf("regions[%d] is empty", i))
		}
	}
	if !rt.InfoMetric && !rt.Enrich {
		errs = append(errs, errors.New("with info_metric: false and enrich: false the tags would be read for nothing: enable one or set enabled: false"))
	}
	if _, err := resourceTypeFilters(namespaces); err != nil {
		errs = append(errs, err)
	}
	if err := rt.AWS.Validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func (cfg *Config) decoderOptions() metricstream.Options {
	return metricstream.Options{Format: cfg.Format, Naming: cfg.Naming, Namespaces: cfg.Namespaces, LogzioName: cfg.LogzioName}
}
