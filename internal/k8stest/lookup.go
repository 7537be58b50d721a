// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package k8stest // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/k8stest"

import (
	"net"
	"path"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Matches reports whether a label selector selects labels; an empty selector selects nothing here (a Service or
// budget without one is a mistake in these files).
func Matches(selector, labels map[string]string) bool {
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

// PickLabels returns the labels whose keys are keys of keys (to compare a selector with a pod template's labels).
func PickLabels(labels, keys map[string]string) map[string]string {
	out := map[string]string{}
	for k := range keys {
		if v, ok := labels[k]; ok {
			out[k] = v
		}
	}
	return out
}

// FindMount returns the container's volume mount at dir.
func FindMount(c corev1.Container, dir string) (corev1.VolumeMount, bool) {
	for _, m := range c.VolumeMounts {
		if path.Clean(m.MountPath) == path.Clean(dir) {
			return m, true
		}
	}
	return corev1.VolumeMount{}, false
}

// FindVolume returns the pod's volume called name, or nil.
func FindVolume(pod corev1.PodSpec, name string) *corev1.Volume {
	for i := range pod.Volumes {
		if pod.Volumes[i].Name == name {
			return &pod.Volumes[i]
		}
	}
	return nil
}

// FindEnv returns the container's environment variable called name, or nil.
func FindEnv(c corev1.Container, name string) *corev1.EnvVar {
	for i := range c.Env {
		if c.Env[i].Name == name {
			return &c.Env[i]
		}
	}
	return nil
}

// ContainerPort resolves a port reference (number or name) to a declared container port number; it fails the test
// when the container declares no such port.
func ContainerPort(t testing.TB, c corev1.Container, ref intstr.IntOrString) int {
	t.Helper()
	for _, p := range c.Ports {
		if (ref.Type == intstr.String && p.Name == ref.StrVal) || (ref.Type == intstr.Int && p.ContainerPort == ref.IntVal) {
			return int(p.ContainerPort)
		}
	}
	t.Fatalf("container %s declares no port %s", c.Name, ref.String())
	return 0
}

// PortOf is the port number of a host:port endpoint.
func PortOf(t testing.TB, endpoint string) int {
	t.Helper()
	_, port, err := net.SplitHostPort(endpoint)
	require.NoError(t, err, endpoint)
	n, err := strconv.Atoi(port)
	require.NoError(t, err)
	return n
}
