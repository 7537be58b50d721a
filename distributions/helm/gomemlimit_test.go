// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package helm

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/k8stest"
)

// TestGoMemLimitFollowsTheMemoryLimit: 80 % of limits.memory in whole MiB, for binary and decimal quantities and a
// plain number of bytes (which a values file hands to the templates as a float).
func TestGoMemLimitFollowsTheMemoryLimit(t *testing.T) {
	for _, tc := range []struct{ flag, limit, want string }{
		{"--set-string", "512Mi", "409MiB"},
		{"--set-string", "1Gi", "819MiB"},
		{"--set-string", "2Gi", "1638MiB"},
		{"--set-string", "1500M", "1144MiB"},
		{"--set-string", "1.5Gi", "1228MiB"},
		{"--set-string", "536870912", "409MiB"},
		{"--set-json", "536870912", "409MiB"},
	} {
		t.Run(tc.flag+"="+tc.limit, func(t *testing.T) {
			out, err := helmTemplate(t, []string{"sqs-gateway.yaml"}, tc.flag, "resources.limits.memory="+tc.limit)
			require.NoError(t, err)
			c := decode(t, out).Workloads()[0].Pod.Spec.Containers[0]
			q := resource.MustParse(tc.limit)
			assert.Equal(t, fmt.Sprintf("%dMiB", q.Value()*8/10/(1<<20)), tc.want, "the expectation itself")
			assert.Equal(t, tc.want, k8stest.FindEnv(c, "GOMEMLIMIT").Value)
			limit := c.Resources.Limits[corev1.ResourceMemory]
			assert.Equal(t, q.Value(), limit.Value(), "the limit as given")
		})
	}
}
