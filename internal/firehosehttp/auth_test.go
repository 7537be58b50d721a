// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosehttp

import (
	"crypto/subtle"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"go.opentelemetry.io/collector/config/configopaque"
)

func TestAccessKeysUseConstantTimeCompare(t *testing.T) {
	assert.Equal(t, reflect.ValueOf(subtle.ConstantTimeCompare).Pointer(), reflect.ValueOf(constantTimeCompare).Pointer(),
		"keys must be compared with crypto/subtle.ConstantTimeCompare")
}

// Every configured key is compared on every request, also when the first one matches (no early exit), and the
// compared values all have the same length (digests), whatever the key lengths.
func TestAccessKeysCompareEveryKeyWithoutEarlyExit(t *testing.T) {
	var lengths []int
	constantTimeCompare = func(x, y []byte) int {
		lengths = append(lengths, len(x), len(y))
		return subtle.ConstantTimeCompare(x, y)
	}
	t.Cleanup(func() { constantTimeCompare = subtle.ConstantTimeCompare })

	keys := newAccessKeys([]configopaque.String{"first-key", "a-much-longer-second-key-used-for-rotation", "k3"})
	for _, tt := range []struct {
		presented string
		present   bool
		want      bool
	}{
		{"first-key", true, true},
		{"k3", true, true},
		{"a-much-longer-second-key-used-for-rotation", true, true},
		{"first-ke", true, false},
		{"first-key ", true, false},
		{"", true, false},
		{"", false, false},
	} {
		lengths = nil
		assert.Equal(t, tt.want, keys.authorize(tt.presented, tt.present), "key %q", tt.presented)
		assert.Len(t, lengths, 2*3, "all three keys compared for %q", tt.presented)
		for _, l := range lengths {
			assert.Equal(t, 32, l)
		}
	}
}

func TestNoAccessKeysAuthorizesEverything(t *testing.T) {
	keys := newAccessKeys(nil)
	assert.False(t, keys.required())
	assert.True(t, keys.authorize("", false))
	assert.True(t, keys.authorize("anything", true))
}
