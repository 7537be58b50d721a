// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package metricstream

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"testing"

	prw "github.com/open-telemetry/opentelemetry-collector-contrib/pkg/translator/prometheusremotewrite"
	"github.com/prometheus/prometheus/prompb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pmetric"
)

// These helpers measure what the Logz.io exporter does with the decoder's output, to size exporter-side changes.
// exporterSettings are the exporter's remote-write translator settings (exporter/logzioexporter/metrics.go).
var exporterSettings = prw.Settings{
	AddMetricSuffixes:   false,
	TranslationStrategy: "UnderscoreEscapingWithoutSuffixes",
	DisableTargetInfo:   true,
	DisableScopeInfo:    true,
}

// translateCopyingResource is what the exporter does today: copy the whole batch, copy every resource attribute
// onto the data points (the data point's own attribute wins), then translate.
func translateCopyingResource(md pmetric.Metrics) (map[string]*prompb.TimeSeries, error) {
	out := pmetric.NewMetrics()
	md.CopyTo(out)
	for _, rm := range out.ResourceMetrics().All() {
		resourceAttrs := rm.Resource().Attributes()
		for _, sm := range rm.ScopeMetrics().All() {
			for _, m := range sm.Metrics().All() {
				for _, dp := range m.Gauge().DataPoints().All() {
					for k, v := range resourceAttrs.All() {
						if _, exists := dp.Attributes().Get(k); !exists {
							v.CopyTo(dp.Attributes().PutEmpty(k))
						}
					}
				}
			}
		}
	}
	return prw.FromMetrics(out, exporterSettings)
}

// translatePerResource is the alternative this package's benchmarks size: translate each ResourceMetrics on its own
// with its attributes as external labels (the translator already lets data-point attributes win over them), so no
// attribute is copied. It moves the resources out of md, as an exporter declaring MutatesData would be allowed to.
// Valid as is for this decoder's resource attributes (non-empty strings, already valid label names); a general
// exporter would sanitise the keys and skip empty values first.
func translatePerResource(md pmetric.Metrics) (map[string]*prompb.TimeSeries, error) {
	all := map[string]*prompb.TimeSeries{}
	single := pmetric.NewMetrics()
	for _, rm := range md.ResourceMetrics().All() {
		settings := exporterSettings
		settings.ExternalLabels = make(map[string]string, rm.Resource().Attributes().Len())
		for k, v := range rm.Resource().Attributes().All() {
			settings.ExternalLabels[k] = v.AsString()
		}
		single.ResourceMetrics().RemoveIf(func(pmetric.ResourceMetrics) bool { return true })
		rm.MoveTo(single.ResourceMetrics().AppendEmpty())
		series, err := prw.FromMetrics(single, settings)
		if err != nil {
			return nil, err
		}
		for _, ts := range series {
			all[strconv.Itoa(len(all))] = ts
		}
	}
	return all, nil
}

func renderSeries(tss map[string]*prompb.TimeSeries) []string {
	var out []string
	for _, ts := range tss {
		labels := map[string]string{}
		name := ""
		for _, l := range ts.Labels {
			if l.Name == "__name__" {
				name = l.Value
				continue
			}
			labels[l.Name] = l.Value
		}
		for _, s := range ts.Samples {
			out = append(out, fmt.Sprintf("%s{%s} %s @%d", name, renderLabels(labels),
				strconv.FormatFloat(s.Value, 'f', -1, 64), s.Timestamp))
		}
	}
	slices.Sort(out)
	return out
}

// TestExporterTranslations checks that both translations give exactly the series promSeries renders, so the
// benchmark below compares equivalent work.
func TestExporterTranslations(t *testing.T) {
	for _, sample := range []string{"otel1.0-request.json", "otel0.7-request.json", "json-request.json"} {
		t.Run(sample, func(t *testing.T) {
			md := decodeSample(t, Options{}, sample).Metrics()
			want := promSeries(md)
			copied, err := translateCopyingResource(md)
			require.NoError(t, err)
			assert.Equal(t, want, renderSeries(copied))
			perResource, err := translatePerResource(md)
			require.NoError(t, err)
			assert.Equal(t, want, renderSeries(perResource))
		})
	}
}

// BenchmarkDecodeAndTranslate decodes the benchmark request with the logzio naming and translates it to Prometheus
// series the way the exporter does (translate=copy-resource) or with per-resource external labels
// (translate=external-labels). The per-data-point figures cover decoding and translation.
func BenchmarkDecodeAndTranslate(b *testing.B) {
	translations := map[string]func(pmetric.Metrics) (map[string]*prompb.TimeSeries, error){
		"copy-resource":   translateCopyingResource,
		"external-labels": translatePerResource,
	}
	for _, format := range []Format{FormatJSON, FormatOTel10} {
		for _, name := range slices.Sorted(maps.Keys(translations)) {
			translate := translations[name]
			b.Run(fmt.Sprintf("format=%s/translate=%s", format, name), func(b *testing.B) {
				records := benchRecordsFor(format)
				d, err := NewDecoder(Options{})
				if err != nil {
					b.Fatal(err)
				}
				points := benchRecords * benchPointsPerRecord
				meter := startPerPointMeter(b)
				for b.Loop() {
					batch := d.NewBatch(map[string]string{"P8S_LOGZIO_NAME": "bench"})
					for _, r := range records {
						if err := batch.AddRecord(r); err != nil {
							b.Fatal(err)
						}
					}
					series, err := translate(batch.Metrics())
					if err != nil {
						b.Fatal(err)
					}
					if len(series) != 4*points {
						b.Fatalf("%d series, want %d", len(series), 4*points)
					}
				}
				meter.report(b, points)
			})
		}
	}
}
