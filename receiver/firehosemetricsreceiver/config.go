package firehosemetricsreceiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver"

import (
	"errors"
	"fmt"
	"net"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/confmap"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/awsconfig"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/confighint"
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

	// minDuration is the minimum of every duration option (0 stays "off" where it is): below it a value is surely a
	// mistake, most often a number written without a unit (a bare 60 is 60ns).
	minDuration = time.Second
	// unitlessBelow: a YAML number without a unit decodes as nanoseconds, so a duration under a millisecond is taken
	// for one.
	unitlessBelow = time.Millisecond
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

	// AccessKeys are the accepted values of X-Amz-Firehose-Access-Key. Several keys allow rotation. A request without
	// the header or with another value is refused with 401. Required unless AllowUnauthenticated is set.
	AccessKeys []configopaque.String `mapstructure:"access_keys"`

	// AllowUnauthenticated accepts requests from any client without access_keys. An unauthenticated endpoint is a
	// decision (e.g. a private network where something else authenticates), not a default.
	AllowUnauthenticated bool `mapstructure:"allow_unauthenticated"`

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

// contribOptions are option names of contrib's awsfirehosereceiver that users bring along, with what to write here.
var contribOptions = []confighint.Hint{
	{Name: "access_key", Message: "access_key is the awsfirehosereceiver's name: this receiver takes a list, access_keys: [<the Firehose stream's access key>] (several keys for a rotation)"},
	{Name: "record_type", Message: "record_type is the awsfirehosereceiver's option: this receiver reads CloudWatch metric streams only; remove it (format: auto detects json, opentelemetry0.7 and opentelemetry1.0)"},
	{Name: "encoding", Message: "encoding is the awsfirehosereceiver's option: this receiver reads CloudWatch metric streams only; remove it, or set format: json, opentelemetry0.7 or opentelemetry1.0 (default auto)"},
}

// plainConfig is Config without its Unmarshal method, so that Unmarshal can decode into it. Its ServerConfig field
// keeps its squash tag, so confmap still runs confighttp.ServerConfig's own Unmarshal on it.
type plainConfig Config

// Unmarshal names this receiver's options when contrib's awsfirehosereceiver names are used: confmap alone would
// only report "invalid keys".
func (cfg *Config) Unmarshal(conf *confmap.Conf) error {
	if err := confighint.Check(conf, contribOptions); err != nil {
		return err
	}
	// confmap decodes a struct with a squashed Unmarshaler (ServerConfig) with IgnoreUnused: a misspelt option would be
	// ignored without a word. Unknown keys are therefore looked for here.
	if unknown := unknownKeys(conf.ToStringMap(), reflect.TypeFor[Config](), ""); len(unknown) > 0 {
		return fmt.Errorf("has invalid keys: %s (not options of firehosemetrics: check the spelling against the receiver's README)", strings.Join(unknown, ", "))
	}
	// confighttp's Unmarshal moves keepalive::idle_timeout into a deprecated field (as is the deprecated idle_timeout):
	// check them while they are at hand.
	var idle struct {
		Keepalive struct {
			IdleTimeout time.Duration `mapstructure:"idle_timeout"`
		} `mapstructure:"keepalive"`
		IdleTimeout time.Duration `mapstructure:"idle_timeout"`
	}
	if conf.IsSet("keepalive::idle_timeout") || conf.IsSet("idle_timeout") {
		if err := conf.Unmarshal(&idle, confmap.WithIgnoreUnused()); err == nil {
			if err := errors.Join(checkDuration("keepalive::idle_timeout", idle.Keepalive.IdleTimeout, "120s"),
				checkDuration("idle_timeout", idle.IdleTimeout, "120s")); err != nil {
				return err
			}
		}
	}
	return conf.Unmarshal((*plainConfig)(cfg))
}

// unknownKeys lists the keys of m that no field of t (a struct, squashed fields included) takes, recursing into the
// maps of fields that are plain tagged structs (resource_tags). Keys of other fields (tls, auth, cors, ...) are left
// to their own decoding.
func unknownKeys(m map[string]any, t reflect.Type, path string) []string {
	fields := map[string]reflect.Type{}
	collectFields(t, fields)
	var unknown []string
	for key, value := range m {
		ft, ok := fields[strings.ToLower(key)]
		if !ok {
			unknown = append(unknown, path+key)
			continue
		}
		if sub, isMap := value.(map[string]any); isMap && ft.Kind() == reflect.Struct && hasTaggedField(ft) {
			unknown = append(unknown, unknownKeys(sub, ft, path+key+"::")...)
		}
	}
	sort.Strings(unknown)
	return unknown
}

// collectFields maps the mapstructure names of t's exported fields to their types, descending into squashed fields.
func collectFields(t reflect.Type, into map[string]reflect.Type) {
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		parts := strings.Split(f.Tag.Get("mapstructure"), ",")
		switch {
		case parts[0] == "-":
		case slices.Contains(parts[1:], "squash") && f.Type.Kind() == reflect.Struct:
			collectFields(f.Type, into)
		case parts[0] == "":
			into[strings.ToLower(f.Name)] = f.Type
		default:
			into[strings.ToLower(parts[0])] = f.Type
		}
	}
}

func hasTaggedField(t reflect.Type) bool {
	for i := range t.NumField() {
		if f := t.Field(i); f.IsExported() && f.Tag.Get("mapstructure") != "" {
			return true
		}
	}
	return false
}

// checkDuration refuses a positive duration under minDuration, saying how to write it.
func checkDuration(name string, d time.Duration, example string) error {
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

// Validate reports configuration mistakes with what to change.
func (cfg *Config) Validate() error {
	var errs []error
	switch cfg.ServerConfig.NetAddr.Transport {
	case "", "tcp", "tcp4", "tcp6":
		if err := validateEndpoint(cfg.ServerConfig.NetAddr.Endpoint); err != nil {
			errs = append(errs, err)
		}
	}
	switch {
	case len(cfg.AccessKeys) == 0 && !cfg.AllowUnauthenticated:
		errs = append(errs, errors.New("access_keys is empty: set access_keys to the Firehose stream's access key, e.g. access_keys: [${env:FIREHOSE_ACCESS_KEY}], or set allow_unauthenticated: true to accept requests from any client"))
	case len(cfg.AccessKeys) > 0 && cfg.AllowUnauthenticated:
		errs = append(errs, errors.New("allow_unauthenticated: true and access_keys are both set: remove allow_unauthenticated to require the keys, or remove access_keys"))
	}
	server := cfg.ServerConfig
	errs = append(errs,
		checkDuration("read_header_timeout", server.ReadHeaderTimeout, "10s"),
		checkDuration("read_timeout", server.ReadTimeout, "60s"),
		checkDuration("write_timeout", server.WriteTimeout, "3m"),
	)
	// A config built in code holds the keep-alive settings in Keepalive; after unmarshaling confighttp has moved them
	// to its deprecated fields, and Unmarshal checked them.
	if ka := server.Keepalive.Get(); ka != nil {
		errs = append(errs, checkDuration("keepalive::idle_timeout", ka.IdleTimeout, "120s"))
	}
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
	} else {
		errs = append(errs, checkDuration("consume_timeout", cfg.ConsumeTimeout, "60s"))
	}
	if cfg.DedupWindow < 0 {
		errs = append(errs, fmt.Errorf("dedup_window must not be negative (default %s; 0 turns deduplication off)", defaultDedupWindow))
	} else {
		errs = append(errs, checkDuration("dedup_window", cfg.DedupWindow, "15m (0 turns deduplication off)"))
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
	if rt.RefreshInterval > 0 && rt.RefreshInterval < unitlessBelow {
		errs = append(errs, checkDuration("refresh_interval", rt.RefreshInterval, "5m"))
	} else if rt.RefreshInterval < minRefreshInterval {
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
