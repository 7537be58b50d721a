// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Package awsconfig is the one place where the distribution's components turn user configuration into an aws.Config:
// region, endpoint override, and credentials from the default chain, a shared profile, static keys or an assumed IAM role.
package awsconfig // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/awsconfig"

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"go.opentelemetry.io/collector/config/configopaque"
)

// Config selects the AWS region, an optional endpoint override and the credentials a component uses.
//
// Credentials are resolved in this order:
//   - access_key_id + secret_access_key (+ session_token) when set;
//   - otherwise the profile when set (shared config and credentials files);
//   - otherwise the SDK's default chain (environment, shared files, web identity / IRSA, ECS, EC2 instance metadata).
//
// When role_arn is set, the credentials above are only used to call STS AssumeRole, and the component then works with the
// role's temporary credentials (refreshed before they expire). external_id is sent with AssumeRole when set.
type Config struct {
	// Region is the AWS region of the resource the component talks to (for example the bucket's region).
	Region string `mapstructure:"region"`
	// Endpoint overrides the service endpoint, e.g. for an S3-compatible server or a VPC endpoint. It applies to every
	// client built from this config, STS included.
	Endpoint string `mapstructure:"endpoint"`
	// Profile selects a named profile from the shared AWS config and credentials files.
	Profile string `mapstructure:"profile"`
	// AccessKeyID and SecretAccessKey are static credentials; both or neither must be set.
	AccessKeyID     configopaque.String `mapstructure:"access_key_id"`
	SecretAccessKey configopaque.String `mapstructure:"secret_access_key"`
	// SessionToken goes with temporary static credentials.
	SessionToken configopaque.String `mapstructure:"session_token"`
	// RoleARN is an IAM role to assume through STS.
	RoleARN string `mapstructure:"role_arn"`
	// ExternalID is the external ID the role's trust policy requires (cross-account access). It guards the role against
	// the confused-deputy problem like a shared secret, so it is never printed (print-config, logs).
	ExternalID configopaque.String `mapstructure:"external_id"`
	// SessionName names the assumed-role session (shows in the account's CloudTrail). Default "otelcol-logzio-aws".
	SessionName string `mapstructure:"session_name"`

	_ struct{}
}

// regionPattern matches AWS region codes: us-east-1, us-gov-west-1, cn-north-1, us-isob-east-1, eusc-de-east-1, ...
var regionPattern = regexp.MustCompile(`^[a-z]{2,4}(-[a-z]+){1,3}-[0-9]+$`)

// DefaultSessionName is the role session name used when session_name is not set.
const DefaultSessionName = "otelcol-logzio-aws"

// Validate reports configuration mistakes with what to change.
func (c Config) Validate() error {
	var errs []error
	if (c.AccessKeyID == "") != (c.SecretAccessKey == "") {
		errs = append(errs, errors.New("access_key_id and secret_access_key must be set together (or both left empty to use the default credential chain)"))
	}
	if c.SessionToken != "" && c.AccessKeyID == "" {
		errs = append(errs, errors.New("session_token needs access_key_id and secret_access_key"))
	}
	if c.Profile != "" && c.AccessKeyID != "" {
		errs = append(errs, errors.New("set either profile or access_key_id/secret_access_key, not both"))
	}
	if c.RoleARN == "" {
		if c.ExternalID != "" {
			errs = append(errs, errors.New("external_id is only used with role_arn: set role_arn or remove external_id"))
		}
		if c.SessionName != "" {
			errs = append(errs, errors.New("session_name is only used with role_arn: set role_arn or remove session_name"))
		}
	} else if !strings.HasPrefix(c.RoleARN, "arn:") || !strings.Contains(c.RoleARN, ":role/") {
		errs = append(errs, fmt.Errorf("role_arn %q is not an IAM role ARN (expected arn:aws:iam::<account>:role/<name>)", c.RoleARN))
	}
	if c.SessionName != "" && (len(c.SessionName) < 2 || len(c.SessionName) > 64) {
		errs = append(errs, errors.New("session_name must be 2 to 64 characters long"))
	}
	if c.Region != "" && c.Endpoint == "" && !regionPattern.MatchString(c.Region) {
		// With an endpoint override (an S3-compatible server) the region is whatever that server expects.
		errs = append(errs, fmt.Errorf("region %q is not an AWS region code: write it in lowercase with a hyphen before the number, e.g. us-east-1 or eu-west-1", c.Region))
	}
	if c.Endpoint != "" {
		u, err := url.Parse(c.Endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("endpoint %q must be an absolute http:// or https:// URL", c.Endpoint))
		}
	}
	return errors.Join(errs...)
}
