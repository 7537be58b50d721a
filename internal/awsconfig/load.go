// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package awsconfig // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/awsconfig"

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsv2config "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"go.uber.org/zap"
)

// Load resolves the configuration into an aws.Config ready for any service client. It does not call AWS: credentials are
// fetched lazily by the first request (and, for role_arn, refreshed before they expire).
func (c Config) Load(ctx context.Context, logger *zap.Logger) (aws.Config, error) {
	opts := []func(*awsv2config.LoadOptions) error{}
	if c.Region != "" {
		opts = append(opts, awsv2config.WithRegion(c.Region))
	}
	if c.Profile != "" {
		opts = append(opts, awsv2config.WithSharedConfigProfile(c.Profile))
	}
	if c.AccessKeyID != "" {
		opts = append(opts, awsv2config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(
			string(c.AccessKeyID), string(c.SecretAccessKey), string(c.SessionToken))))
	}
	if c.Endpoint != "" {
		opts = append(opts, awsv2config.WithBaseEndpoint(c.Endpoint))
	}
	cfg, err := awsv2config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("loading AWS configuration (region, profile, credentials): %w", err)
	}
	source := c.credentialSource()
	if c.RoleARN != "" {
		stsClient := sts.NewFromConfig(cfg)
		provider := stscreds.NewAssumeRoleProvider(stsClient, c.RoleARN, func(o *stscreds.AssumeRoleOptions) {
			o.RoleSessionName = c.sessionName()
			if c.ExternalID != "" {
				o.ExternalID = aws.String(string(c.ExternalID))
			}
		})
		cfg.Credentials = aws.NewCredentialsCache(provider)
		source = fmt.Sprintf("role %s assumed with %s", c.RoleARN, source)
	}
	if logger != nil {
		logger.Info("AWS access configured",
			zap.String("region", cfg.Region),
			zap.String("credentials", source),
			zap.String("endpoint", c.Endpoint))
	}
	return cfg, nil
}

func (c Config) sessionName() string {
	if c.SessionName != "" {
		return c.SessionName
	}
	return DefaultSessionName
}

// credentialSource says where the base credentials come from, for the start-up log line (never the secrets themselves).
func (c Config) credentialSource() string {
	switch {
	case c.AccessKeyID != "":
		return "static access key"
	case c.Profile != "":
		return "profile " + c.Profile
	default:
		return "default credential chain"
	}
}
