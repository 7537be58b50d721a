// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehoselogsreceiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehoselogsreceiver"

import (
	"errors"
	"fmt"
	"reflect"

	"go.opentelemetry.io/collector/confmap"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/confighint"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosehttp"
)

const (
	// defaultEndpoint is the listen address: the port after the firehosemetrics receiver's 4433, so that both run in
	// one collector with their defaults.
	defaultEndpoint = "0.0.0.0:4434"
	// defaultMaxDecompressedRecordSize bounds what one gzip record may decompress to. A record is at most 1,000 KiB
	// compressed (Firehose's limit) and CloudWatch Logs JSON compresses about 5 to 15 times: 16 MiB leaves room.
	defaultMaxDecompressedRecordSize = 16 << 20
	// defaultMaxDecompressedRequestSize bounds what all the records of one request decompress to together: the log
	// records of a request are held in memory until the pipeline takes them.
	defaultMaxDecompressedRequestSize = 256 << 20
)

// Format is how the records of a stream are read.
type Format string

const (
	// FormatAuto reads a gzip record, or a record that is one JSON object with a messageType, as a subscription
	// document; anything else as extracted messages.
	FormatAuto Format = "auto"
	// FormatSubscription: every record is a CloudWatch Logs subscription document, gzip-compressed as CloudWatch Logs
	// sends it, or decompressed by Firehose (decompression on, message extraction off).
	FormatSubscription Format = "subscription"
	// FormatMessages: every record holds log messages only, one per line (Firehose decompression with message
	// extraction on).
	FormatMessages Format = "messages"
)

// Config is the configuration of the firehoselogs receiver.
type Config struct {
	// EndpointConfig is the Firehose HTTP endpoint (internal/firehosehttp): endpoint (default 0.0.0.0:4434), tls,
	// max_request_body_size, the server timeouts, max_concurrent_requests, max_request_header_size, path,
	// access_keys, allow_unauthenticated, max_record_size, consume_timeout and dedup_window.
	firehosehttp.EndpointConfig `mapstructure:",squash"`

	// Format of the records: auto (default), subscription or messages.
	Format Format `mapstructure:"format"`

	// MaxDecompressedRecordSize caps what one gzip record decompresses to, in bytes (default 16 MiB); over it the
	// request is answered 400.
	MaxDecompressedRecordSize int `mapstructure:"max_decompressed_record_size"`

	// MaxDecompressedRequestSize caps what the records of one request decompress to together, in bytes (default
	// 256 MiB); over it the request is answered 400.
	MaxDecompressedRequestSize int64 `mapstructure:"max_decompressed_request_size"`

	// CloudTrail says what becomes of the messages that are CloudTrail records (cloudtrail_config.go).
	CloudTrail CloudTrailConfig `mapstructure:"cloudtrail"`

	_ struct{}
}

// contribOptions are option names of contrib's awsfirehosereceiver that users bring along, with what to write here.
var contribOptions = []confighint.Hint{
	{Name: "access_key", Message: "access_key is the awsfirehosereceiver's name: this receiver takes a list, access_keys: [<the Firehose stream's access key>] (several keys for a rotation)"},
	{Name: "record_type", Message: "record_type is the awsfirehosereceiver's option: this receiver reads CloudWatch Logs subscriptions only; remove it (format: auto reads compressed and decompressed subscription records and extracted messages)"},
	{Name: "encoding", Message: "encoding is the awsfirehosereceiver's option: this receiver reads CloudWatch Logs subscriptions only; remove it, or set format: subscription or messages (default auto)"},
}

// plainConfig is Config without its Unmarshal method, so that Unmarshal can decode into it.
type plainConfig Config

// Unmarshal names this receiver's options when contrib's awsfirehosereceiver names are used, refuses misspelt
// options, and decodes the endpoint's options with confighttp's own Unmarshal (firehosehttp.UnmarshalConfig).
func (cfg *Config) Unmarshal(conf *confmap.Conf) error {
	if err := confighint.Check(conf, contribOptions); err != nil {
		return err
	}
	if err := firehosehttp.CheckKeys(conf, reflect.TypeFor[Config](), "firehoselogs"); err != nil {
		return err
	}
	if err := firehosehttp.UnmarshalConfig(conf, &cfg.EndpointConfig, (*plainConfig)(cfg)); err != nil {
		return err
	}
	return cfg.CloudTrail.unmarshalStrict(conf)
}

// Validate reports configuration mistakes with what to change.
func (cfg *Config) Validate() error {
	errs := []error{cfg.EndpointConfig.Check(), cfg.CloudTrail.validate()}
	switch cfg.Format {
	case FormatAuto, FormatSubscription, FormatMessages:
	default:
		errs = append(errs, fmt.Errorf("format %q is not supported: use auto (default), subscription or messages", cfg.Format))
	}
	if cfg.MaxDecompressedRecordSize <= 0 {
		errs = append(errs, fmt.Errorf("max_decompressed_record_size must be a positive number of bytes (default %d)", defaultMaxDecompressedRecordSize))
	}
	if cfg.MaxDecompressedRequestSize <= 0 {
		errs = append(errs, fmt.Errorf("max_decompressed_request_size must be a positive number of bytes (default %d)", defaultMaxDecompressedRequestSize))
	} else if int64(cfg.MaxDecompressedRecordSize) > cfg.MaxDecompressedRequestSize {
		errs = append(errs, errors.New("max_decompressed_record_size cannot be larger than max_decompressed_request_size"))
	}
	return errors.Join(errs...)
}
