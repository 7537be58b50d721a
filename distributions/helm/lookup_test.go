// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package helm

import (
	"net"
	"path"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

func boolToInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func matches(selector, labels map[string]string) bool {
	if len(selector) == 0 {
		return false
	}
	for k, v := range selector {
		if labels[k] != v {
			return false
		}
	}
	return true
}

func pickLabels(labels, keys map[string]string) map[string]string {
	out := map[string]string{}
	for k := range keys {
		if v, ok := labels[k]; ok {
			out[k] = v
		}
	}
	return out
}

func findMount(c corev1.Container, dir string) (corev1.VolumeMount, bool) {
	for _, m := range c.VolumeMounts {
		if path.Clean(m.MountPath) == path.Clean(dir) {
			return m, true
		}
	}
	return corev1.VolumeMount{}, false
}

func findVolume(pod corev1.PodSpec, name string) *corev1.Volume {
	for i := range pod.Volumes {
		if pod.Volumes[i].Name == name {
			return &pod.Volumes[i]
		}
	}
	return nil
}

func findEnv(c corev1.Container, name string) *corev1.EnvVar {
	for i := range c.Env {
		if c.Env[i].Name == name {
			return &c.Env[i]
		}
	}
	return nil
}

// containerPort resolves a port reference (number or name) to a declared container port number.
func containerPort(t *testing.T, c corev1.Container, ref intstr.IntOrString) int {
	t.Helper()
	for _, p := range c.Ports {
		if (ref.Type == intstr.String && p.Name == ref.StrVal) || (ref.Type == intstr.Int && p.ContainerPort == ref.IntVal) {
			return int(p.ContainerPort)
		}
	}
	t.Fatalf("container %s declares no port %s", c.Name, ref.String())
	return 0
}

func portOf(t *testing.T, endpoint string) int {
	t.Helper()
	_, port, err := net.SplitHostPort(endpoint)
	require.NoError(t, err, endpoint)
	n, err := strconv.Atoi(port)
	require.NoError(t, err)
	return n
}
