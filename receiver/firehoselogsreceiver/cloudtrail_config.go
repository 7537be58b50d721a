// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehoselogsreceiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehoselogsreceiver"

import (
	"errors"
	"fmt"

	"go.opentelemetry.io/collector/confmap"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"
)

const (
	// defaultMaxValueBytes is Logz.io's limit for one field, as the cloudtrails3 receiver's default.
	defaultMaxValueBytes = 32700
	// minMaxValueBytes is the smallest max_value_bytes other than 0, as in the cloudtrails3 receiver.
	minMaxValueBytes = 256
)

// CloudTrailConfig says what becomes of the messages that are CloudTrail records (a trail's log group): the options
// that shape a record are the cloudtrails3 receiver's, with the same names, defaults and meaning, so that the same
// settings give the same Logz.io documents on both paths.
type CloudTrailConfig struct {
	// Enabled reads each message that is a CloudTrail record as the cloudtrails3 receiver reads the record from S3
	// (default true); false ships every message as a plain log.
	Enabled bool `mapstructure:"enabled"`
	// PassThrough makes a record's body its JSON text (a string) instead of a map, as cloudtrails3's pass_through.
	PassThrough bool `mapstructure:"pass_through"`
	// SemanticAttributes adds the OpenTelemetry semantic-convention attributes, as cloudtrails3's option.
	SemanticAttributes bool `mapstructure:"semantic_attributes"`
	// MaxValueBytes cuts every longer string value and member name of a record (0 keeps them whole).
	MaxValueBytes int `mapstructure:"max_value_bytes"`
	// EventSelection decides which CloudTrail records ship, in cloudtrails3's syntax (include, exclude).
	EventSelection cloudtrail.SelectionConfig `mapstructure:"event_selection"`
}

func defaultCloudTrailConfig() CloudTrailConfig {
	return CloudTrailConfig{Enabled: true, MaxValueBytes: defaultMaxValueBytes}
}

// unmarshalStrict decodes the cloudtrail section again without ignoring unknown keys: the receiver's configuration
// is decoded with IgnoreUnused (see firehosehttp.UnmarshalConfig), which would let a misspelt event_selection rule
// field pass silently and select nothing.
func (c *CloudTrailConfig) unmarshalStrict(conf *confmap.Conf) error {
	if !conf.IsSet("cloudtrail") {
		return nil
	}
	sub, err := conf.Sub("cloudtrail")
	if err != nil {
		return err
	}
	check := defaultCloudTrailConfig()
	if err := sub.Unmarshal(&check); err != nil {
		return fmt.Errorf("cloudtrail: %w (options: enabled, pass_through, semantic_attributes, max_value_bytes, event_selection; rule fields as in the cloudtrails3 receiver's README)", err)
	}
	return nil
}

// validate reports mistakes with what to change.
func (c *CloudTrailConfig) validate() error {
	var errs []error
	if c.MaxValueBytes != 0 && c.MaxValueBytes < minMaxValueBytes {
		errs = append(errs, fmt.Errorf("cloudtrail.max_value_bytes must be 0 (strings kept whole) or at least %d (default %d, Logz.io's limit for one field)", minMaxValueBytes, defaultMaxValueBytes))
	}
	if err := c.EventSelection.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("cloudtrail.%w", err))
	}
	if !c.Enabled && (c.PassThrough || c.SemanticAttributes || c.EventSelection.Enabled()) {
		errs = append(errs, errors.New("cloudtrail.pass_through, semantic_attributes and event_selection apply to CloudTrail records only: remove them, or set cloudtrail.enabled: true"))
	}
	return errors.Join(errs...)
}

// options are the CloudTrail decoder's options for this configuration.
func (c *CloudTrailConfig) options(scopeName, scopeVersion string) (cloudtrail.Options, error) {
	selection, err := cloudtrail.NewSelector(c.EventSelection)
	if err != nil {
		return cloudtrail.Options{}, err
	}
	return cloudtrail.Options{
		MaxValueBytes:      c.MaxValueBytes,
		SemanticAttributes: c.SemanticAttributes,
		Selection:          selection,
		PassThrough:        c.PassThrough,
		ScopeName:          scopeName,
		ScopeVersion:       scopeVersion,
	}, nil
}
