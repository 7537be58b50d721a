// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package resourcetags // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver/internal/resourcetags"

import (
	"sort"
	"strings"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/pmetricutil"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver/internal/metadata"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver/internal/metricstream"
)

const (
	resourceInfoMetricLogzio = "aws_resource_info"
	resourceInfoMetricOTel   = "aws.resource.info"
	otelTagAttributePrefix   = "aws.tag."
	logzioTagLabelPrefix     = "tag_"
)

// InfoMetrics builds one aws_resource_info = 1 data point per tagged resource.
//
// logzio naming: the labels of Logz.io's tags Lambda (docs/metric-streams.md#aws_resource_info-labels) — one per tag
// (key sanitised, case kept), the resource id label(s) or Arn (docs/metric-streams.md#resource-id-labels),
// logzio_agent_version — plus account and region. A tag whose sanitised key equals a label already set is left out and
// counted in the returned collisions.
//
// otel naming: metric aws.resource.info with resource attributes cloud.provider, cloud.account.id, cloud.region and data
// point attributes cloud.resource_id (the ARN) and aws.tag.<key> (original key).
func InfoMetrics(snap *Snapshot, naming metricstream.Naming, agentVersion string, now time.Time) (md pmetric.Metrics, collisions int) {
	md = pmetric.NewMetrics()
	ts := pcommon.NewTimestampFromTime(now)
	regions := make([]string, 0, len(snap.byRegion))
	for r := range snap.byRegion {
		regions = append(regions, r)
	}
	sort.Strings(regions)

	if naming == metricstream.NamingOTel {
		for _, region := range regions {
			for _, res := range snap.byRegion[region] {
				rm := md.ResourceMetrics().AppendEmpty()
				attrs := rm.Resource().Attributes()
				attrs.PutStr("cloud.provider", "aws")
				if res.Account != "" {
					attrs.PutStr("cloud.account.id", res.Account)
				}
				attrs.PutStr("cloud.region", res.Region)
				dp := newInfoGauge(rm, resourceInfoMetricOTel, ts)
				dp.Attributes().PutStr("cloud.resource_id", res.ARN)
				for _, t := range res.Tags {
					dp.Attributes().PutStr(otelTagAttributePrefix+t.Name, t.Value)
				}
			}
		}
		return md, 0
	}

	rm := md.ResourceMetrics().AppendEmpty()
	sm := rm.ScopeMetrics().AppendEmpty()
	sm.Scope().SetName(metadata.ScopeName)
	m := sm.Metrics().AppendEmpty()
	m.SetName(resourceInfoMetricLogzio)
	m.SetDescription("1 per tagged AWS resource; labels are the resource's tags and its id (from the Resource Groups Tagging API)")
	gauge := m.SetEmptyGauge()
	for _, region := range regions {
		for _, res := range snap.byRegion[region] {
			dp := gauge.DataPoints().AppendEmpty()
			dp.SetTimestamp(ts)
			dp.SetDoubleValue(1)
			attrs := dp.Attributes()
			for _, l := range resourceIDLabels(res.ARN) {
				attrs.PutStr(l.Name, l.Value)
			}
			if res.Account != "" {
				attrs.PutStr("account", res.Account)
			}
			attrs.PutStr("region", res.Region)
			if agentVersion != "" {
				attrs.PutStr("logzio_agent_version", agentVersion)
			}
			for _, t := range res.Tags {
				name := sanitizeTagKey(t.Name)
				if _, taken := attrs.Get(name); taken || name == "" {
					collisions++
					continue
				}
				attrs.PutStr(name, t.Value)
			}
		}
	}
	return md, collisions
}

func newInfoGauge(rm pmetric.ResourceMetrics, name string, ts pcommon.Timestamp) pmetric.NumberDataPoint {
	sm := rm.ScopeMetrics().AppendEmpty()
	sm.Scope().SetName(metadata.ScopeName)
	m := sm.Metrics().AppendEmpty()
	m.SetName(name)
	dp := m.SetEmptyGauge().DataPoints().AppendEmpty()
	dp.SetTimestamp(ts)
	dp.SetDoubleValue(1)
	return dp
}

// enrichmentLabelNames are the dimension label names (lower-cased, sanitised) that can identify a tagged resource.
var enrichmentLabelNames = func() map[string]bool {
	m := map[string]bool{"instanceid": true, "volumeid": true, "loadbalancer": true, "loadbalancername": true, "activityarn": true}
	for _, names := range arnResourceIDLabels {
		for _, n := range names {
			m[n] = true
		}
	}
	return m
}()

// Enricher adds the tags of the matching resource to data points (resource_tags.enrich).
type Enricher struct {
	cache  *Cache
	naming metricstream.Naming
}

// NewEnricher returns an enricher that reads the current snapshot of cache and names the tag labels after naming.
func NewEnricher(cache *Cache, naming metricstream.Naming) *Enricher {
	return &Enricher{cache: cache, naming: naming}
}

// Enrich adds tag labels to every data point whose namespace and dimensions identify a cached tagged resource, and
// returns how many data points were enriched. Labels already on a data point are never overwritten. The namespace and
// region are read from the data point, else from its resource (the logzio naming puts them there).
func (e *Enricher) Enrich(md pmetric.Metrics) int {
	snap := e.cache.current()
	if len(snap.index) == 0 {
		return 0
	}
	enriched := 0
	rms := md.ResourceMetrics()
	for i := 0; i < rms.Len(); i++ {
		rm := rms.At(i)
		resourceAttrs := rm.Resource().Attributes()
		resourceRegion := firstString(resourceAttrs, "cloud.region", "region")
		resourceNamespace := firstString(resourceAttrs, "namespace", "Namespace")
		sms := rm.ScopeMetrics()
		for j := 0; j < sms.Len(); j++ {
			ms := sms.At(j).Metrics()
			for k := 0; k < ms.Len(); k++ {
				pmetricutil.ForEachDataPointAttributes(ms.At(k), func(attrs pcommon.Map) {
					if e.enrichAttributes(snap, attrs, resourceRegion, resourceNamespace) {
						enriched++
					}
				})
			}
		}
	}
	return enriched
}

func (e *Enricher) enrichAttributes(snap *Snapshot, attrs pcommon.Map, resourceRegion, resourceNamespace string) bool {
	namespace := firstString(attrs, "namespace", "Namespace")
	if namespace == "" {
		namespace = resourceNamespace
	}
	namespace = strings.ToLower(namespace)
	services := namespaceServices[namespace]
	if len(services) == 0 {
		return false
	}
	region := firstString(attrs, "region", "cloud.region")
	if region == "" {
		region = resourceRegion
	}
	var found *taggedResource
	for k, v := range attrs.All() {
		name := sanitizeLabelName(strings.ToLower(k))
		if !enrichmentLabelNames[name] || v.Type() != pcommon.ValueTypeStr {
			continue
		}
		value := strings.ToLower(v.Str())
		for _, service := range services {
			if found = snap.lookup(region, service, name, value); found != nil {
				break
			}
		}
		if found != nil {
			break
		}
	}
	if found == nil {
		return false
	}
	for _, t := range found.Tags {
		name := otelTagAttributePrefix + t.Name
		if e.naming != metricstream.NamingOTel {
			name = logzioTagLabelPrefix + sanitizeLabelName(t.Name)
		}
		if _, exists := attrs.Get(name); !exists {
			attrs.PutStr(name, t.Value)
		}
	}
	return true
}

func firstString(attrs pcommon.Map, keys ...string) string {
	for _, k := range keys {
		if v, ok := attrs.Get(k); ok && v.Type() == pcommon.ValueTypeStr {
			return v.Str()
		}
	}
	return ""
}
