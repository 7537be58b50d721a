// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package logzioexporter // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/exporter/logzioexporter"

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"go.opentelemetry.io/collector/config/configcompression"
	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/config/configretry"
	"go.opentelemetry.io/collector/exporter/exporterhelper"
)

const (
	// defaultMaxRequestBytes is the uncompressed body size Logz.io's own senders use per request.
	defaultMaxRequestBytes = 3 * 1024 * 1024
	// listenerMaxRequestBytes is the listener's documented hard limit on a request body.
	listenerMaxRequestBytes = 10 * 1024 * 1024
	// minMaxRequestBytes keeps max_request_bytes large enough for ordinary log lines.
	minMaxRequestBytes = 1024
	// listenerMaxLineBytes is the listener's documented limit for one log line.
	listenerMaxLineBytes = 500_000

	defaultRegion  = "us"
	defaultLogType = "cloudtrail"
	logsPort       = "8071"
	metricsPort    = "8053"
)

// labelNamePattern is the Prometheus label name syntax; external labels are sent as they are.
var labelNamePattern = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)

// regions lists the Logz.io region codes the exporter knows; see listenerHost.
var regions = []string{"us", "au", "ca", "eu", "uk"}

// Config is the configuration of the logzio exporter.
type Config struct {
	// ClientConfig holds the HTTP client settings shared by both signals (tls, proxy_url, headers, timeout, ...).
	// Its endpoint is not used (see logs.endpoint and metrics.endpoint); its compression applies to log requests only.
	ClientConfig  confighttp.ClientConfig                                  `mapstructure:",squash"`
	QueueConfig   configoptional.Optional[exporterhelper.QueueBatchConfig] `mapstructure:"sending_queue"`
	BackOffConfig configretry.BackOffConfig                                `mapstructure:"retry_on_failure"`

	// Region is the Logz.io region code of the account: us (default), au, ca, eu or uk.
	Region string `mapstructure:"region"`

	Logs    LogsConfig    `mapstructure:"logs"`
	Metrics MetricsConfig `mapstructure:"metrics"`

	// prevent unkeyed literal initialization
	_ struct{}
}

// LogsConfig configures the bulk log listener path.
type LogsConfig struct {
	// Token is the log shipping token of the Logz.io logs account.
	Token configopaque.String `mapstructure:"token"`
	// Endpoint overrides the listener URL derived from the region, e.g. https://listener-eu.logz.io:8071.
	Endpoint string `mapstructure:"endpoint"`
	// Type is the Logz.io log type used when a record has no logzio.type attribute.
	Type string `mapstructure:"type"`
	// MaxRequestBytes caps the uncompressed body of one request.
	MaxRequestBytes int `mapstructure:"max_request_bytes"`
}

// MetricsConfig configures the Prometheus remote-write metrics listener path.
type MetricsConfig struct {
	// Token is the metrics (Prometheus) shipping token of the Logz.io metrics account.
	Token configopaque.String `mapstructure:"token"`
	// Endpoint overrides the listener URL derived from the region, e.g. https://listener-eu.logz.io:8053.
	Endpoint string `mapstructure:"endpoint"`
	// ExternalLabels are added to every series, e.g. p8s_logzio_name.
	ExternalLabels map[string]string `mapstructure:"external_labels"`
}

// Validate checks the configuration. Whether a token is present is checked per signal when a pipeline
// creates the exporter, since a pipeline that uses one signal only needs that signal's token.
func (cfg *Config) Validate() error {
	var errs []error
	if !slices.Contains(regions, cfg.Region) {
		errs = append(errs, fmt.Errorf("region %q is not a Logz.io region: use one of %s, or set logs.endpoint/metrics.endpoint", cfg.Region, strings.Join(regions, ", ")))
	}
	if cfg.ClientConfig.Endpoint != "" {
		errs = append(errs, errors.New("endpoint is not used by the logzio exporter: set region, or logs.endpoint and metrics.endpoint"))
	}
	if cfg.Logs.Token == "" && cfg.Metrics.Token == "" {
		errs = append(errs, errors.New("no token: set logs.token for logs pipelines and/or metrics.token for metrics pipelines"))
	}
	switch cfg.ClientConfig.Compression {
	case configcompression.TypeGzip, "", "none":
	default:
		errs = append(errs, fmt.Errorf("compression %q is not supported for log requests: use gzip (default) or none", cfg.ClientConfig.Compression))
	}
	if err := validateEndpoint("logs.endpoint", cfg.Logs.Endpoint); err != nil {
		errs = append(errs, err)
	}
	if err := validateEndpoint("metrics.endpoint", cfg.Metrics.Endpoint); err != nil {
		errs = append(errs, err)
	}
	if cfg.Logs.Type == "" || strings.ContainsFunc(cfg.Logs.Type, isSpace) {
		errs = append(errs, fmt.Errorf("logs.type %q must be a non-empty Logz.io type without spaces, e.g. cloudtrail", cfg.Logs.Type))
	}
	if cfg.Logs.MaxRequestBytes < minMaxRequestBytes || cfg.Logs.MaxRequestBytes > listenerMaxRequestBytes {
		errs = append(errs, fmt.Errorf("logs.max_request_bytes is %d: it must be between %d and %d (the listener's limit)", cfg.Logs.MaxRequestBytes, minMaxRequestBytes, listenerMaxRequestBytes))
	}
	for name, value := range cfg.Metrics.ExternalLabels {
		if !labelNamePattern.MatchString(name) || value == "" {
			errs = append(errs, fmt.Errorf("metrics.external_labels: label %q needs a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*) and a non-empty value", name))
		}
	}
	return errors.Join(errs...)
}

func validateEndpoint(setting, endpoint string) error {
	if endpoint == "" {
		return nil
	}
	u, err := url.Parse(endpoint)
	if err != nil {
		return fmt.Errorf("%s is not a URL: %w", setting, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%s must start with http:// or https://", setting)
	}
	if u.Host == "" {
		return fmt.Errorf("%s has no host", setting)
	}
	if u.Query().Has("token") {
		return fmt.Errorf("%s must not carry the token: set it in the token setting next to it", setting)
	}
	return nil
}

func isSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r'
}

// listenerHost is "listener" + "-<region>" unless the region is us + ".logz.io".
func listenerHost(region string) string {
	if region == "" || region == defaultRegion {
		return "listener.logz.io"
	}
	return "listener-" + region + ".logz.io"
}

// logsEndpoint is the bulk log listener URL, without token and type.
func (cfg *Config) logsEndpoint() string {
	if cfg.Logs.Endpoint != "" {
		return cfg.Logs.Endpoint
	}
	return "https://" + listenerHost(cfg.Region) + ":" + logsPort
}

// metricsEndpoint is the Prometheus remote-write listener URL.
func (cfg *Config) metricsEndpoint() string {
	if cfg.Metrics.Endpoint != "" {
		return cfg.Metrics.Endpoint
	}
	return "https://" + listenerHost(cfg.Region) + ":" + metricsPort
}

// maxLineBytes is the largest document the builder may produce: one line plus its newline must fit in a request.
func (cfg *Config) maxLineBytes() int {
	return min(listenerMaxLineBytes, cfg.Logs.MaxRequestBytes-1)
}
