// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package awsconfig

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/confmap"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/testpeers"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{name: "default chain", cfg: Config{}},
		{name: "static keys", cfg: Config{AccessKeyID: "AKIA", SecretAccessKey: "secret"}},
		{name: "role with external id", cfg: Config{RoleARN: "arn:aws:iam::123456789012:role/reader", ExternalID: "ext", SessionName: "ship"}},
		{name: "key without secret", cfg: Config{AccessKeyID: "AKIA"}, wantErr: "access_key_id and secret_access_key must be set together"},
		{name: "token without keys", cfg: Config{SessionToken: "tok"}, wantErr: "session_token needs access_key_id"},
		{name: "profile and keys", cfg: Config{Profile: "p", AccessKeyID: "a", SecretAccessKey: "s"}, wantErr: "either profile or access_key_id"},
		{name: "external id alone", cfg: Config{ExternalID: "ext"}, wantErr: "external_id is only used with role_arn"},
		{name: "bad role", cfg: Config{RoleARN: "reader"}, wantErr: "is not an IAM role ARN"},
		{name: "short session name", cfg: Config{RoleARN: "arn:aws:iam::1:role/r", SessionName: "x"}, wantErr: "2 to 64 characters"},
		{name: "bad endpoint", cfg: Config{Endpoint: "localhost:9000"}, wantErr: "absolute http:// or https:// URL"},
		{name: "region without hyphen", cfg: Config{Region: "eu-west1"}, wantErr: `region "eu-west1" is not an AWS region code: write it in lowercase with a hyphen before the number, e.g. us-east-1 or eu-west-1`},
		{name: "region in capitals", cfg: Config{Region: "US-EAST-1"}, wantErr: `region "US-EAST-1" is not an AWS region code: write it in lowercase with a hyphen before the number, e.g. us-east-1 or eu-west-1`},
		{name: "availability zone as region", cfg: Config{Region: "us-east-1a"}, wantErr: `region "us-east-1a" is not an AWS region code`},
		{name: "any region with an endpoint override", cfg: Config{Region: "garage", Endpoint: "http://127.0.0.1:3900"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if tt.wantErr == "" {
				assert.NoError(t, err)
				return
			}
			assert.ErrorContains(t, err, tt.wantErr)
		})
	}
}

// TestValidateAcceptsEveryRegionShape: every partition's region codes pass (commercial, GovCloud, China, ISO,
// European Sovereign Cloud).
func TestValidateAcceptsEveryRegionShape(t *testing.T) {
	for _, region := range []string{
		"us-east-1", "us-west-2", "us-gov-west-1", "us-gov-east-1", "cn-north-1", "cn-northwest-1", "ap-southeast-2",
		"ap-northeast-3", "eu-central-2", "il-central-1", "mx-central-1", "ca-west-1", "me-south-1", "af-south-1",
		"sa-east-1", "us-iso-east-1", "us-isob-east-1", "us-isof-south-1", "eu-isoe-west-1", "eusc-de-east-1",
	} {
		assert.NoError(t, Config{Region: region}.Validate(), region)
	}
}

func TestLoadStaticKeysNeverLogged(t *testing.T) {
	core, logs := observer.New(zap.DebugLevel)
	cfg := Config{Region: "eu-west-1", AccessKeyID: "AKIAMARKERKEYID", SecretAccessKey: "marker-secret-value"}
	awsCfg, err := cfg.Load(context.Background(), zap.New(core))
	require.NoError(t, err)
	assert.Equal(t, "eu-west-1", awsCfg.Region)
	creds, err := awsCfg.Credentials.Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "AKIAMARKERKEYID", creds.AccessKeyID)
	for _, entry := range logs.All() {
		for _, text := range append([]string{entry.Message}, fieldStrings(entry.ContextMap())...) {
			assert.NotContains(t, text, "AKIAMARKERKEYID")
			assert.NotContains(t, text, "marker-secret-value")
		}
	}
}

func fieldStrings(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k, v := range m {
		if s, ok := v.(string); ok {
			out = append(out, k+"="+s)
		}
	}
	return out
}

// TestAssumeRoleWithExternalID goes through a real STS (moto_server): the static keys only sign AssumeRole, and the
// resulting temporary credentials are the ones a client then uses.
func TestAssumeRoleWithExternalID(t *testing.T) {
	moto := testpeers.Moto(t)
	cfg := Config{
		Region:          moto.Region,
		Endpoint:        moto.Endpoint,
		AccessKeyID:     "AKIABASEKEY",
		SecretAccessKey: "base-secret",
		RoleARN:         "arn:aws:iam::123456789012:role/cloudtrail-reader",
		ExternalID:      "logzio-external-id",
		SessionName:     "ci-session",
	}
	require.NoError(t, cfg.Validate())
	awsCfg, err := cfg.Load(context.Background(), zap.NewNop())
	require.NoError(t, err)

	creds, err := awsCfg.Credentials.Retrieve(context.Background())
	require.NoError(t, err)
	assert.NotEqual(t, "AKIABASEKEY", creds.AccessKeyID, "the assumed role's temporary key must replace the base key")
	assert.NotEmpty(t, creds.SessionToken)
	assert.True(t, creds.CanExpire)
	assert.Contains(t, creds.Source, "AssumeRoleProvider")

	// The assumed credentials work against a service on the same endpoint.
	client := s3.NewFromConfig(awsCfg, func(o *s3.Options) { o.UsePathStyle = true })
	testpeers.CreateBucket(t, client, "assumed-role-bucket")
}

// external_id works like a shared secret between the role's owner and this collector: it is never printed, neither by
// fmt (logs, errors) nor when the configuration is marshalled (print-config), but it still decodes from the config.
func TestExternalIDIsNeverPrinted(t *testing.T) {
	const marker = "marker-external-id-4711"
	conf := confmap.NewFromStringMap(map[string]any{
		"role_arn":    "arn:aws:iam::123456789012:role/reader",
		"external_id": marker,
	})
	var cfg Config
	require.NoError(t, conf.Unmarshal(&cfg))
	require.Equal(t, marker, string(cfg.ExternalID), "the value itself is kept for AssumeRole")

	for _, text := range []string{
		fmt.Sprintf("%v", cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg), fmt.Sprintf("%v", &cfg), fmt.Sprint(cfg.ExternalID),
	} {
		assert.NotContains(t, text, marker)
	}

	out := confmap.New()
	require.NoError(t, out.Marshal(cfg))
	marshalled := fmt.Sprintf("%v", out.ToStringMap())
	assert.NotContains(t, marshalled, marker)
	assert.Contains(t, marshalled, "[REDACTED]")
}
