// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver"

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"go.uber.org/zap"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/integrity"
)

const (
	// publicKeyLookBack is the time range asked of ListPublicKeys before a digest's end time.
	publicKeyLookBack = 24 * time.Hour
	// unknownKeyRetry is how long a fingerprint ListPublicKeys did not return is not asked for again.
	unknownKeyRetry = 10 * time.Minute
)

// cloudTrailAPI is the part of the CloudTrail client the receiver uses.
type cloudTrailAPI interface {
	ListPublicKeys(ctx context.Context, in *cloudtrail.ListPublicKeysInput, optFns ...func(*cloudtrail.Options)) (*cloudtrail.ListPublicKeysOutput, error)
}

// publicKeyAPI finds digest keys with CloudTrail's ListPublicKeys in one region and caches them by fingerprint
// (keys are per region; the digest's fingerprint is the one ListPublicKeys returns).
type publicKeyAPI struct {
	client cloudTrailAPI
	region string

	mu      sync.Mutex
	keys    map[string]*rsa.PublicKey
	unknown map[string]time.Time // fingerprint → when ListPublicKeys last did not return it
}

func newPublicKeyAPI(client cloudTrailAPI, region string) *publicKeyAPI {
	return &publicKeyAPI{client: client, region: region, keys: map[string]*rsa.PublicKey{}, unknown: map[string]time.Time{}}
}

// Key implements integrity.KeySource. A failing call returns an error that does not wrap integrity.ErrUnknownKey,
// so that the digest is read again later instead of being judged.
func (p *publicKeyAPI) Key(ctx context.Context, fingerprint string, at time.Time) (*rsa.PublicKey, error) {
	fp := strings.ToLower(fingerprint)
	p.mu.Lock()
	defer p.mu.Unlock()
	if pub, ok := p.keys[fp]; ok {
		return pub, nil
	}
	if last, ok := p.unknown[fp]; ok && time.Since(last) < unknownKeyRetry {
		return nil, fmt.Errorf("%w %s: ListPublicKeys in %s does not return it", integrity.ErrUnknownKey, fingerprint, p.region)
	}
	end := at
	if now := time.Now(); end.After(now) {
		end = now
	}
	in := &cloudtrail.ListPublicKeysInput{StartTime: aws.Time(end.Add(-publicKeyLookBack)), EndTime: aws.Time(end)}
	for {
		out, err := p.client.ListPublicKeys(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("calling CloudTrail ListPublicKeys in %s (the credentials need cloudtrail:ListPublicKeys, or set integrity.public_keys): %w", p.region, err)
		}
		for _, k := range out.PublicKeyList {
			pub, err := integrity.ParsePublicKeyDER(k.Value)
			if err != nil || k.Fingerprint == nil {
				continue // not a key CloudTrail signs with; a digest naming it will not verify
			}
			p.keys[strings.ToLower(aws.ToString(k.Fingerprint))] = pub
		}
		if aws.ToString(out.NextToken) == "" {
			break
		}
		in.NextToken = out.NextToken
	}
	if pub, ok := p.keys[fp]; ok {
		delete(p.unknown, fp)
		return pub, nil
	}
	for f, last := range p.unknown {
		if time.Since(last) >= unknownKeyRetry {
			delete(p.unknown, f) // bounded by the fingerprints seen in the last unknownKeyRetry
		}
	}
	p.unknown[fp] = time.Now()
	return nil, fmt.Errorf("%w %s: ListPublicKeys in %s does not return it", integrity.ErrUnknownKey, fingerprint, p.region)
}

// keyChain asks each source in turn; the first one that knows the key wins.
type keyChain []integrity.KeySource

// The error wraps integrity.ErrUnknownKey only when every source said it has no such key; when a source failed
// (ListPublicKeys unreachable), only the failures are returned.
func (c keyChain) Key(ctx context.Context, fingerprint string, at time.Time) (*rsa.PublicKey, error) {
	var unknown, failed []error
	for _, s := range c {
		pub, err := s.Key(ctx, fingerprint, at)
		switch {
		case err == nil:
			return pub, nil
		case errors.Is(err, integrity.ErrUnknownKey):
			unknown = append(unknown, err)
		default:
			failed = append(failed, err)
		}
	}
	if len(failed) > 0 {
		return nil, errors.Join(failed...)
	}
	return nil, errors.Join(unknown...)
}

// newCloudTrailClient builds the CloudTrail client of one region with the receiver's AWS settings.
func newCloudTrailClient(ctx context.Context, cfg *Config, region string, retrySettings sdkRetry, logger *zap.Logger) (cloudTrailAPI, error) {
	awsCfg, err := cfg.Config.Load(ctx, logger)
	if err != nil {
		return nil, err
	}
	awsCfg.Retryer = retrySettings.retryer
	return cloudtrail.NewFromConfig(awsCfg, func(o *cloudtrail.Options) {
		o.Region = region
		// endpoint is the bucket's (an S3-compatible server, an S3 VPC endpoint): CloudTrail has its own.
		o.BaseEndpoint = nil
		if cfg.Integrity.Endpoint != "" {
			o.BaseEndpoint = aws.String(cfg.Integrity.Endpoint)
		}
	}), nil
}
