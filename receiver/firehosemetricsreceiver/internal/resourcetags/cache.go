// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Package resourcetags is the firehosemetrics receiver's resource_tags: a cache of the tagged AWS resources listed
// with the Resource Groups Tagging API (GetResources) on every refresh (Cache), the aws_resource_info metric built
// from each refresh (InfoMetrics), and the tag labels added to the data points of tagged resources (Enricher). The
// resource type filters come from the configured namespaces (ResourceTypeFilters). It follows Logz.io's tags Lambda
// as docs/metric-streams.md#resource-tags describes.
package resourcetags // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver/internal/resourcetags"

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	taggingtypes "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi/types"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver/internal/metadata"
)

// resourcesPerPage is the largest page GetResources returns.
const resourcesPerPage = 100

// GetResourcesAPI is the one Tagging API call the cache needs: the receiver passes one client per region (a seam for
// tests).
type GetResourcesAPI interface {
	GetResources(ctx context.Context, in *resourcegroupstaggingapi.GetResourcesInput, optFns ...func(*resourcegroupstaggingapi.Options)) (*resourcegroupstaggingapi.GetResourcesOutput, error)
}

// taggedResource is one resource with at least one tag.
type taggedResource struct {
	ARN     string
	Service string
	Region  string // the ARN's region, or the listed region when the ARN has none (S3, CloudFront, ...)
	Account string
	Tags    []label // sorted by key, original keys and values
}

// Snapshot is an immutable view of the cache, swapped atomically after each refresh.
type Snapshot struct {
	byRegion map[string][]taggedResource // listed region → resources
	index    map[enrichKey]*taggedResource
}

// enrichKey finds a resource from a data point: the data point's region ("" for resources whose ARN has no region),
// the ARN service, the dimension label and its lower-cased value.
type enrichKey struct {
	Region, Service, Label, Value string
}

func newTagSnapshot(byRegion map[string][]taggedResource) *Snapshot {
	s := &Snapshot{byRegion: byRegion, index: map[enrichKey]*taggedResource{}}
	regions := make([]string, 0, len(byRegion))
	for r := range byRegion {
		regions = append(regions, r)
	}
	sort.Strings(regions)
	for _, region := range regions {
		resources := byRegion[region]
		for i := range resources {
			res := &resources[i]
			p, _ := parseARN(res.ARN)
			for _, k := range enrichmentKeys(res.ARN) {
				key := enrichKey{Region: p.Region, Service: res.Service, Label: k.Name, Value: k.Value}
				if _, dup := s.index[key]; !dup {
					s.index[key] = res
				}
			}
		}
	}
	return s
}

// Count is the number of tagged resources in the snapshot.
func (s *Snapshot) Count() int {
	n := 0
	for _, r := range s.byRegion {
		n += len(r)
	}
	return n
}

// lookup finds the tagged resource of a data point dimension, trying the data point's region first, then resources
// whose ARN has no region.
func (s *Snapshot) lookup(region, service, labelName, lowerValue string) *taggedResource {
	if res, ok := s.index[enrichKey{Region: region, Service: service, Label: labelName, Value: lowerValue}]; ok {
		return res
	}
	if region != "" {
		return s.index[enrichKey{Service: service, Label: labelName, Value: lowerValue}]
	}
	return nil
}

// Cache lists tagged resources with GetResources on every refresh and keeps the last result.
type Cache struct {
	logger    *zap.Logger
	telemetry *metadata.TelemetryBuilder
	filters   []string
	clients   map[string]GetResourcesAPI // region → client
	snapshot  atomic.Pointer[Snapshot]
	mu        sync.Mutex // serialises refreshes
}

// NewCache returns an empty cache that lists the resources matching filters (ResourceTypeFilters) with one client per
// region, and reports its refreshes in telemetry.
func NewCache(logger *zap.Logger, telemetry *metadata.TelemetryBuilder, filters []string, clients map[string]GetResourcesAPI) *Cache {
	c := &Cache{logger: logger, telemetry: telemetry, filters: filters, clients: clients}
	c.snapshot.Store(newTagSnapshot(map[string][]taggedResource{}))
	return c
}

// current returns the last snapshot (never nil).
func (c *Cache) current() *Snapshot {
	return c.snapshot.Load()
}

// Refresh lists every region again. A region whose listing fails keeps its previous resources, so one bad call does not
// strip the tags; the error is returned (joined) for logging.
func (c *Cache) Refresh(ctx context.Context) (*Snapshot, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	previous := c.current()
	byRegion := make(map[string][]taggedResource, len(c.clients))
	var errs []error
	for region, client := range c.clients {
		resources, err := c.listRegion(ctx, region, client)
		outcome := "success"
		if err != nil {
			outcome = "failure"
			errs = append(errs, fmt.Errorf("listing tagged resources in %s: %w", region, err))
			resources = previous.byRegion[region]
		}
		byRegion[region] = resources
		c.telemetry.ReceiverFirehosemetricsTagRefreshes.Add(ctx, 1, metric.WithAttributes(
			attribute.String("outcome", outcome), attribute.String("region", region)))
	}
	snap := newTagSnapshot(byRegion)
	c.snapshot.Store(snap)
	c.telemetry.ReceiverFirehosemetricsTaggedResources.Record(ctx, int64(snap.Count()))
	return snap, errors.Join(errs...)
}

// listRegion pages through GetResources until the pagination token is empty (absent, null or ""). An expired token
// restarts the listing once from the first page.
func (c *Cache) listRegion(ctx context.Context, region string, client GetResourcesAPI) ([]taggedResource, error) {
	for attempt := 0; ; attempt++ {
		resources, err := c.listPages(ctx, region, client)
		var expired *taggingtypes.PaginationTokenExpiredException
		if errors.As(err, &expired) && attempt == 0 {
			c.logger.Info("Tagging API pagination token expired; listing again from the first page", zap.String("region", region))
			continue
		}
		return resources, err
	}
}

func (c *Cache) listPages(ctx context.Context, region string, client GetResourcesAPI) ([]taggedResource, error) {
	in := &resourcegroupstaggingapi.GetResourcesInput{
		ResourceTypeFilters: c.filters,
		ResourcesPerPage:    aws.Int32(resourcesPerPage),
	}
	paginator := resourcegroupstaggingapi.NewGetResourcesPaginator(client, in)
	var out []taggedResource
	for paginator.HasMorePages() {
		page, err := paginator.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, m := range page.ResourceTagMappingList {
			if res, ok := toTaggedResource(m, region); ok {
				out = append(out, res)
			}
		}
	}
	return out, nil
}

// toTaggedResource keeps a mapping that has an ARN and at least one tag.
func toTaggedResource(m taggingtypes.ResourceTagMapping, listedRegion string) (taggedResource, bool) {
	arn := aws.ToString(m.ResourceARN)
	if arn == "" || len(m.Tags) == 0 {
		return taggedResource{}, false
	}
	res := taggedResource{ARN: arn, Region: listedRegion}
	if p, ok := parseARN(arn); ok {
		res.Service, res.Account = p.Service, p.Account
		if p.Region != "" {
			res.Region = p.Region
		}
	}
	res.Tags = make([]label, 0, len(m.Tags))
	for _, t := range m.Tags {
		res.Tags = append(res.Tags, label{Name: aws.ToString(t.Key), Value: aws.ToString(t.Value)})
	}
	sort.Slice(res.Tags, func(i, j int) bool { return res.Tags[i].Name < res.Tags[j].Name })
	return res, true
}

// Run refreshes now and then every interval until ctx ends, calling onRefresh with each new snapshot.
func (c *Cache) Run(ctx context.Context, interval time.Duration, onRefresh func(context.Context, *Snapshot)) {
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		snap, err := c.Refresh(ctx)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			c.logger.Warn("Could not refresh resource tags; keeping the previous tags of the failed regions. Check tag:GetResources permission and the region list.", zap.Error(err))
		}
		onRefresh(ctx, snap)
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}
