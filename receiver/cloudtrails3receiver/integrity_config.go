// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver"

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"go.uber.org/zap"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/integrity"
)

// Values of integrity.alert.
const (
	alertLog    = "log"
	alertRecord = "record"
)

const defaultIntegrityMissingAfter = 30 * time.Minute

// IntegrityConfig turns on CloudTrail log-file integrity validation: the receiver also reads the CloudTrail-Digest/
// files of each account/region, checks their signatures and chain, and compares the SHA-256 of every log file it
// read with the hash its digest lists.
type IntegrityConfig struct {
	// Enabled turns validation on (polling mode only).
	Enabled bool `mapstructure:"enabled"`
	// PublicKeys are PEM files holding CloudTrail's public keys ("RSA PUBLIC KEY" or "PUBLIC KEY" blocks). Keys they
	// do not hold are fetched with CloudTrail's ListPublicKeys in the digest's region (cached); with every key here
	// the receiver never calls CloudTrail.
	PublicKeys []string `mapstructure:"public_keys"`
	// Alert says how verdicts are reported besides the WARN log line and the counter of every non-valid verdict:
	// "log" (default) adds nothing; "record" also sends every verdict as its own log record
	// (logzio.type=cloudtrail-integrity) through the pipeline.
	Alert string `mapstructure:"alert"`
	// MissingAfter is how long after a digest is read a log file it lists may still be read before it is reported
	// missing; it is also how long a read log file waits for a digest after the digest period closed before it is
	// reported unlisted.
	MissingAfter time.Duration `mapstructure:"missing_after"`
	// Endpoint overrides the CloudTrail endpoint used for ListPublicKeys (a VPC endpoint). The receiver's endpoint
	// option applies to S3 only.
	Endpoint string `mapstructure:"endpoint"`

	_ struct{}
}

func (c *IntegrityConfig) validate(sqsMode bool) error {
	if !c.Enabled {
		return nil
	}
	var errs []error
	if sqsMode {
		errs = append(errs, errors.New("integrity is supported in polling mode only: remove sqs.queue_url, or set integrity.enabled: false"))
	}
	if c.Alert != alertLog && c.Alert != alertRecord {
		errs = append(errs, fmt.Errorf("integrity.alert %q must be %q or %q", c.Alert, alertLog, alertRecord))
	}
	if c.MissingAfter <= 0 {
		errs = append(errs, errors.New("integrity.missing_after must be positive, e.g. 30m"))
	}
	if len(c.PublicKeys) > 0 {
		if _, err := integrity.LoadPEMKeys(c.PublicKeys...); err != nil {
			errs = append(errs, fmt.Errorf("integrity.public_keys: %w", err))
		}
	}
	if c.Endpoint != "" {
		if u, err := url.Parse(c.Endpoint); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("integrity.endpoint %q must be an absolute http:// or https:// URL", c.Endpoint))
		}
	}
	return errors.Join(errs...)
}

// newIntegrityChecker loads the public keys and returns the checker, or nil when integrity is off. Log files are
// judged from the start time on a first run (or without storage, when every file since start_time is read again),
// and from now on when the run resumes a stored position: files the previous run read are not hashed again, and
// would otherwise be reported unlisted or missing.
func (r *cloudTrailReceiver) newIntegrityChecker(start time.Time, resumed bool) (*integrityChecker, error) {
	if !r.cfg.Integrity.Enabled {
		return nil, nil
	}
	keys, err := integrity.LoadPEMKeys(r.cfg.Integrity.PublicKeys...)
	if err != nil {
		return nil, fmt.Errorf("integrity.public_keys: %w", err)
	}
	newAPI := r.newCloudTrailClient
	if newAPI == nil {
		newAPI = func(ctx context.Context, region string) (cloudTrailAPI, error) {
			return newCloudTrailClient(ctx, r.cfg, region, r.sdkRetry, r.settings.Logger)
		}
	}
	since := start
	if resumed && r.cfg.StorageID != nil {
		if now := r.now().UTC().Truncate(time.Minute); now.After(since) {
			since = now
		}
	}
	r.settings.Logger.Info("CloudTrail integrity validation is on: judging log files delivered since",
		zap.Time("since", since), zap.Int("public_key_fingerprints", keys.Len()), zap.String("alert", r.cfg.Integrity.Alert))
	return newIntegrityChecker(r.cfg, keys, newAPI, since, r.telemetry, r.settings.Logger), nil
}
