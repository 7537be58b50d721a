// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosemetricsreceiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver"

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"go.opentelemetry.io/collector/confmap"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/awsconfig"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/confighint"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosehttp"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver/internal/metricstream"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver/internal/resourcetags"
)

const (
	// defaultEndpoint is the listen address; the firehoselogs receiver's default is the next port.
	defaultEndpoint        = "0.0.0.0:4433"
	defaultRefreshInterval = 5 * time.Minute
	minRefreshInterval     = time.Minute
	// unitlessBelow: a YAML number without a unit decodes as nanoseconds, so a duration under a millisecond is taken
	// for one.
	unitlessBelow = time.Millisecond
)

// Config is the configuration of the firehosemetrics receiver.
type Config struct {
	// EndpointConfig is the Firehose HTTP endpoint (internal/firehosehttp): endpoint (default 0.0.0.0:4433), tls,
	// max_request_body_size, the server timeouts, max_concurrent_requests, max_request_header_size, path,
	// access_keys, allow_unauthenticated, max_record_size, consume_timeout and dedup_window.
	firehosehttp.EndpointConfig `mapstructure:",squash"`

	// Format of the metric stream records: auto (default, detected per record), json, opentelemetry0.7, opentelemetry1.0.
	Format metricstream.Format `mapstructure:"format"`

	// Naming of the produced metrics: logzio (default, the series Logz.io's hosted endpoint produces) or otel.
	Naming metricstream.Naming `mapstructure:"naming"`

	// Namespaces keeps only data points of these CloudWatch namespaces; "all-namespaces" (default) keeps everything.
	Namespaces []string `mapstructure:"namespaces"`

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

// plainConfig is Config without its Unmarshal method, so that Unmarshal can decode into it.
type plainConfig Config

// Unmarshal names this receiver's options when contrib's awsfirehosereceiver names are used (confmap alone would
// only report "invalid keys"), refuses misspelt options, and decodes the endpoint's options with confighttp's own
// Unmarshal (firehosehttp.UnmarshalConfig).
func (cfg *Config) Unmarshal(conf *confmap.Conf) error {
	if err := confighint.Check(conf, contribOptions); err != nil {
		return err
	}
	if err := firehosehttp.CheckKeys(conf, reflect.TypeFor[Config](), "firehosemetrics"); err != nil {
		return err
	}
	return firehosehttp.UnmarshalConfig(conf, &cfg.EndpointConfig, (*plainConfig)(cfg))
}

// Validate reports configuration mistakes with what to change.
func (cfg *Config) Validate() error {
	errs := []error{cfg.EndpointConfig.Check()}
	if err := cfg.decoderOptions().Validate(); err != nil {
		errs = append(errs, err)
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
		errs = append(errs, firehosehttp.CheckDuration("refresh_interval", rt.RefreshInterval, "5m"))
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
	if _, err := resourcetags.ResourceTypeFilters(namespaces); err != nil {
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
