// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver"

import (
	"context"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// discoverer finds every account/region subtree under <prefix>AWSLogs/ with delimiter listings: accounts (directly or
// inside organization folders o-…), then the regions under each account's CloudTrail/ (and CloudTrail-Insight/)
// folder. It never lists into other services' folders or into CloudTrail-Digest/.
type discoverer struct {
	client          s3API
	bucket          string
	prefix          string
	accounts        []string // allow-list; empty means all
	regions         []string // allow-list; empty means all
	includeInsights bool
}

// discover returns the subtrees found, sorted by key prefix.
func (d *discoverer) discover(ctx context.Context) ([]subtree, error) {
	root := d.prefix + awsLogsFolder
	top, err := d.folders(ctx, root)
	if err != nil {
		return nil, err
	}
	var found []subtree
	for _, name := range top {
		switch {
		case accountIDPattern.MatchString(name):
			more, err := d.regionsOf(ctx, subtree{Prefix: d.prefix, Account: name})
			if err != nil {
				return nil, err
			}
			found = append(found, more...)
		case orgIDPattern.MatchString(name):
			members, err := d.folders(ctx, root+name+"/")
			if err != nil {
				return nil, err
			}
			for _, account := range members {
				if !accountIDPattern.MatchString(account) {
					continue
				}
				more, err := d.regionsOf(ctx, subtree{Prefix: d.prefix, OrgID: name, Account: account})
				if err != nil {
					return nil, err
				}
				found = append(found, more...)
			}
		}
	}
	slices.SortFunc(found, func(a, b subtree) int { return strings.Compare(a.keyPrefix(), b.keyPrefix()) })
	return found, nil
}

// regionsOf lists the region folders of one account (account and org set in s).
func (d *discoverer) regionsOf(ctx context.Context, s subtree) ([]subtree, error) {
	if len(d.accounts) > 0 && !slices.Contains(d.accounts, s.Account) {
		return nil, nil
	}
	kinds := []bool{false}
	if d.includeInsights {
		kinds = append(kinds, true)
	}
	var found []subtree
	for _, insights := range kinds {
		s.Insights = insights
		regions, err := d.folders(ctx, s.accountPrefix()+s.folder()+"/")
		if err != nil {
			return nil, err
		}
		for _, region := range regions {
			if !regionFolderPattern.MatchString(region) || (len(d.regions) > 0 && !slices.Contains(d.regions, region)) {
				continue
			}
			s.Region = region
			found = append(found, s)
		}
	}
	return found, nil
}

// folders returns the names of the "folders" directly under prefix (the CommonPrefixes of a delimiter listing).
func (d *discoverer) folders(ctx context.Context, prefix string) ([]string, error) {
	var names []string
	paginator := s3.NewListObjectsV2Paginator(d.client, &s3.ListObjectsV2Input{
		Bucket:    aws.String(d.bucket),
		Prefix:    aws.String(prefix),
		Delimiter: aws.String("/"),
	})
	for paginator.HasMorePages() {
		page, err := paginator.NextPage(ctx)
		if err != nil {
			return nil, listError(d.bucket, prefix, err)
		}
		for _, cp := range page.CommonPrefixes {
			name := strings.TrimSuffix(strings.TrimPrefix(aws.ToString(cp.Prefix), prefix), "/")
			if name != "" {
				names = append(names, name)
			}
		}
	}
	return names, nil
}
