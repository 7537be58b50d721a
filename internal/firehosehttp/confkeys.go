// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosehttp // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosehttp"

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"go.opentelemetry.io/collector/confmap"
)

// CheckKeys refuses the keys of conf that no option of configType (a receiver's Config, squashed fields included)
// takes, naming the component, and checks the keep-alive durations that confighttp moves out of sight while decoding.
//
// confmap decodes a struct with a squashed Unmarshaler (confighttp.ServerConfig) with IgnoreUnused: a misspelt option
// would be ignored without a word. Unknown keys are therefore looked for here.
func CheckKeys(conf *confmap.Conf, configType reflect.Type, component string) error {
	if unknown := unknownKeys(conf.ToStringMap(), configType, ""); len(unknown) > 0 {
		return fmt.Errorf("has invalid keys: %s (not options of %s: check the spelling against the receiver's README)", strings.Join(unknown, ", "), component)
	}
	// confighttp's Unmarshal moves keepalive::idle_timeout into a deprecated field (as is the deprecated idle_timeout):
	// check them while they are at hand.
	var idle struct {
		Keepalive struct {
			IdleTimeout time.Duration `mapstructure:"idle_timeout"`
		} `mapstructure:"keepalive"`
		IdleTimeout time.Duration `mapstructure:"idle_timeout"`
	}
	if conf.IsSet("keepalive::idle_timeout") || conf.IsSet("idle_timeout") {
		if err := conf.Unmarshal(&idle, confmap.WithIgnoreUnused()); err == nil {
			return errors.Join(CheckDuration("keepalive::idle_timeout", idle.Keepalive.IdleTimeout, "120s"),
				CheckDuration("idle_timeout", idle.IdleTimeout, "120s"))
		}
	}
	return nil
}

// UnmarshalConfig decodes conf into a receiver's configuration: endpoint is its embedded EndpointConfig, plain the
// whole configuration as a type without an Unmarshal method (type plainConfig Config).
//
// confmap runs the Unmarshal of a squashed field only one level down, and confighttp.ServerConfig's (which folds the
// keepalive section and refuses mixed representations) sits two levels down in a receiver's Config. So the endpoint's
// options are decoded on their own, where ServerConfig is one level down, and put back after the receiver's options
// were decoded.
func UnmarshalConfig(conf *confmap.Conf, endpoint *EndpointConfig, plain any) error {
	decoded := *endpoint
	if err := conf.Unmarshal(&decoded, confmap.WithIgnoreUnused()); err != nil {
		return err
	}
	if err := conf.Unmarshal(plain, confmap.WithIgnoreUnused()); err != nil {
		return err
	}
	*endpoint = decoded
	return nil
}

// unknownKeys lists the keys of m that no field of t (a struct, squashed fields included) takes, recursing into the
// maps of fields that are plain tagged structs (resource_tags). Keys of other fields (tls, auth, cors, ...) are left
// to their own decoding.
func unknownKeys(m map[string]any, t reflect.Type, path string) []string {
	fields := map[string]reflect.Type{}
	collectFields(t, fields)
	var unknown []string
	for key, value := range m {
		ft, ok := fields[strings.ToLower(key)]
		if !ok {
			unknown = append(unknown, path+key)
			continue
		}
		if sub, isMap := value.(map[string]any); isMap && ft.Kind() == reflect.Struct && hasTaggedField(ft) {
			unknown = append(unknown, unknownKeys(sub, ft, path+key+"::")...)
		}
	}
	sort.Strings(unknown)
	return unknown
}

// collectFields maps the mapstructure names of t's exported fields to their types, descending into squashed fields.
func collectFields(t reflect.Type, into map[string]reflect.Type) {
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		parts := strings.Split(f.Tag.Get("mapstructure"), ",")
		switch {
		case parts[0] == "-":
		case slices.Contains(parts[1:], "squash") && f.Type.Kind() == reflect.Struct:
			collectFields(f.Type, into)
		case parts[0] == "":
			into[strings.ToLower(f.Name)] = f.Type
		default:
			into[strings.ToLower(parts[0])] = f.Type
		}
	}
}

func hasTaggedField(t reflect.Type) bool {
	for i := range t.NumField() {
		if f := t.Field(i); f.IsExported() && f.Tag.Get("mapstructure") != "" {
			return true
		}
	}
	return false
}
