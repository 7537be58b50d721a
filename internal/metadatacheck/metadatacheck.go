// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Package metadatacheck compares a component's metadata.yaml with its hand-written internal/metadata telemetry
// builder. cmd/mdatagen cannot be built from the Go module proxy at this release line (its
// go.opentelemetry.io/collector/internal/schemagen v0.161.0 is refused), so the builders are written by hand in
// mdatagen's shape; this check keeps the two from drifting: every metric declared is built with the same name, unit
// and instrument kind, and nothing else is built.
package metadatacheck // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/metadatacheck"

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"slices"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// Instrument is one metric as declared or as built.
type Instrument struct {
	Name, Unit, Kind string
}

type metadataFile struct {
	Telemetry struct {
		Metrics map[string]struct {
			Unit string `yaml:"unit"`
			Sum  *struct {
				ValueType string `yaml:"value_type"`
				Monotonic bool   `yaml:"monotonic"`
			} `yaml:"sum"`
			Gauge *struct {
				ValueType string `yaml:"value_type"`
				Async     bool   `yaml:"async"`
			} `yaml:"gauge"`
			Histogram *struct {
				ValueType string `yaml:"value_type"`
			} `yaml:"histogram"`
		} `yaml:"metrics"`
	} `yaml:"telemetry"`
}

// Declared reads the metrics of metadata.yaml, with the instrument kind mdatagen would build for each (e.g.
// Int64Counter for a monotonic int sum) and the otelcol_ prefix the collector adds to component telemetry.
func Declared(path string) ([]Instrument, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var md metadataFile
	if err := yaml.Unmarshal(data, &md); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var out []Instrument
	for name, m := range md.Telemetry.Metrics {
		var kind string
		switch {
		case m.Sum != nil && m.Sum.Monotonic:
			kind = valueType(m.Sum.ValueType) + "Counter"
		case m.Sum != nil:
			kind = valueType(m.Sum.ValueType) + "UpDownCounter"
		case m.Gauge != nil && m.Gauge.Async:
			kind = valueType(m.Gauge.ValueType) + "ObservableGauge"
		case m.Gauge != nil:
			kind = valueType(m.Gauge.ValueType) + "Gauge"
		case m.Histogram != nil:
			kind = valueType(m.Histogram.ValueType) + "Histogram"
		default:
			return nil, fmt.Errorf("%s: metric %s is neither a sum, a gauge nor a histogram", path, name)
		}
		out = append(out, Instrument{Name: "otelcol_" + name, Unit: m.Unit, Kind: kind})
	}
	sortInstruments(out)
	return out, nil
}

func valueType(t string) string {
	if t == "double" {
		return "Float64"
	}
	return "Int64"
}

// Built reads the instruments a telemetry builder source file creates: every builder.meter.<Kind>("name", ...,
// metric.WithUnit("unit")) call.
func Built(path string) ([]Instrument, error) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		return nil, err
	}
	var out []Instrument
	ast.Inspect(file, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		recv, ok := sel.X.(*ast.SelectorExpr)
		if !ok || recv.Sel.Name != "meter" {
			return true
		}
		name, ok := stringLit(call.Args[0])
		if !ok {
			return true
		}
		inst := Instrument{Name: name, Kind: sel.Sel.Name}
		for _, arg := range call.Args[1:] {
			if opt, ok := arg.(*ast.CallExpr); ok {
				if f, ok := opt.Fun.(*ast.SelectorExpr); ok && f.Sel.Name == "WithUnit" && len(opt.Args) == 1 {
					inst.Unit, _ = stringLit(opt.Args[0])
				}
			}
		}
		out = append(out, inst)
		return true
	})
	sortInstruments(out)
	return out, nil
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

func sortInstruments(s []Instrument) {
	slices.SortFunc(s, func(a, b Instrument) int {
		switch {
		case a.Name < b.Name:
			return -1
		case a.Name > b.Name:
			return 1
		}
		return 0
	})
}
