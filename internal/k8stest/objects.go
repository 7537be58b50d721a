// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Package k8stest is what the tests of the Kubernetes deployment files share: the plain manifests
// (distributions/kubernetes) and the Helm chart (distributions/helm). It decodes multi-document YAML strictly into
// k8s.io/api types, finds workloads, containers, environment variables, volumes and ports, resolves a container's
// environment into the collector configuration it mounts, and runs `otelcol-logzio-aws validate` on that
// configuration. Each test package keeps its own checks.
package k8stest // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/k8stest"

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

// Kinds maps apiVersion/kind to a new object of the matching type: the kinds a test accepts besides the built-in
// ones (a custom resource whose type the test defines).
type Kinds map[string]func() metav1.Object

// builtin are the kinds every set of objects may hold; any kind that is neither built in nor passed to Parse (a
// Secret above all) is refused.
var builtin = Kinds{
	"v1/ServiceAccount":             func() metav1.Object { return &corev1.ServiceAccount{} },
	"v1/ConfigMap":                  func() metav1.Object { return &corev1.ConfigMap{} },
	"v1/Service":                    func() metav1.Object { return &corev1.Service{} },
	"apps/v1/Deployment":            func() metav1.Object { return &appsv1.Deployment{} },
	"apps/v1/StatefulSet":           func() metav1.Object { return &appsv1.StatefulSet{} },
	"networking.k8s.io/v1/Ingress":  func() metav1.Object { return &networkingv1.Ingress{} },
	"policy/v1/PodDisruptionBudget": func() metav1.Object { return &policyv1.PodDisruptionBudget{} },
}

// Objects is a set of Kubernetes documents (a manifest file, the output of `helm template`), every document decoded
// strictly into its type and indexed by its metadata.name.
type Objects struct {
	Source          string // where the documents come from, for messages
	ServiceAccounts map[string]*corev1.ServiceAccount
	ConfigMaps      map[string]*corev1.ConfigMap
	Services        map[string]*corev1.Service
	Deployments     map[string]*appsv1.Deployment
	StatefulSets    map[string]*appsv1.StatefulSet
	Ingresses       map[string]*networkingv1.Ingress
	PDBs            map[string]*policyv1.PodDisruptionBudget
	// Extra holds the objects of the kinds passed to Parse, by apiVersion/kind, then by name.
	Extra map[string]map[string]metav1.Object
}

var documentSeparator = regexp.MustCompile(`(?m)^---\s*$`)

// Decode is Parse that fails the test on an error.
func Decode(t testing.TB, source, data string, extra Kinds) *Objects {
	t.Helper()
	o, err := Parse(source, data, extra)
	require.NoError(t, err)
	return o
}

// Parse decodes every document of data strictly (an unknown or duplicate field is an error) into the type of its
// apiVersion/kind: a built-in kind or one of extra. A document of another kind, or without metadata.name, is an error;
// a document of nothing but comments is skipped.
func Parse(source, data string, extra Kinds) (*Objects, error) {
	o := &Objects{
		Source:          source,
		ServiceAccounts: map[string]*corev1.ServiceAccount{},
		ConfigMaps:      map[string]*corev1.ConfigMap{},
		Services:        map[string]*corev1.Service{},
		Deployments:     map[string]*appsv1.Deployment{},
		StatefulSets:    map[string]*appsv1.StatefulSet{},
		Ingresses:       map[string]*networkingv1.Ingress{},
		PDBs:            map[string]*policyv1.PodDisruptionBudget{},
		Extra:           map[string]map[string]metav1.Object{},
	}
	for i, doc := range documentSeparator.Split(data, -1) {
		if strings.TrimSpace(stripComments(doc)) == "" {
			continue
		}
		var tm metav1.TypeMeta
		if err := yaml.Unmarshal([]byte(doc), &tm); err != nil {
			return nil, fmt.Errorf("%s document %d: %w", source, i, err)
		}
		kind := tm.APIVersion + "/" + tm.Kind
		newObject, ok := builtin[kind]
		if !ok {
			newObject, ok = extra[kind]
		}
		if !ok {
			return nil, fmt.Errorf("%s document %d: unexpected apiVersion/kind %s:\n%s", source, i, kind, doc)
		}
		obj := newObject()
		if err := yaml.UnmarshalStrict([]byte(doc), obj); err != nil {
			return nil, fmt.Errorf("%s document %d (%s): unknown or duplicate field: %w\n%s", source, i, tm.Kind, err, doc)
		}
		name := obj.GetName()
		if name == "" {
			return nil, fmt.Errorf("%s document %d (%s) has no metadata.name", source, i, tm.Kind)
		}
		switch v := obj.(type) {
		case *corev1.ServiceAccount:
			o.ServiceAccounts[name] = v
		case *corev1.ConfigMap:
			o.ConfigMaps[name] = v
		case *corev1.Service:
			o.Services[name] = v
		case *appsv1.Deployment:
			o.Deployments[name] = v
		case *appsv1.StatefulSet:
			o.StatefulSets[name] = v
		case *networkingv1.Ingress:
			o.Ingresses[name] = v
		case *policyv1.PodDisruptionBudget:
			o.PDBs[name] = v
		default:
			if o.Extra[kind] == nil {
				o.Extra[kind] = map[string]metav1.Object{}
			}
			o.Extra[kind][name] = obj
		}
	}
	return o, nil
}

// ExtraOf returns the objects of one of the extra kinds, with their own type.
func ExtraOf[T metav1.Object](o *Objects, kind string) map[string]T {
	out := map[string]T{}
	for name, obj := range o.Extra[kind] {
		out[name] = obj.(T)
	}
	return out
}

func stripComments(doc string) string {
	var b strings.Builder
	for _, line := range strings.Split(doc, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "#") {
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

// Workload is a Deployment or StatefulSet: its kind, name, replicas (1 when unset), selector, pod template and, for a
// StatefulSet, its volumeClaimTemplates.
type Workload struct {
	Kind, Name string
	Replicas   int32
	Selector   *metav1.LabelSelector
	Pod        corev1.PodTemplateSpec
	Claims     []corev1.PersistentVolumeClaim
}

// Workloads are the Deployments and StatefulSets of o.
func (o *Objects) Workloads() []Workload {
	var out []Workload
	for _, d := range o.Deployments {
		out = append(out, Workload{Kind: "Deployment", Name: d.Name, Replicas: replicas(d.Spec.Replicas), Selector: d.Spec.Selector, Pod: d.Spec.Template})
	}
	for _, s := range o.StatefulSets {
		out = append(out, Workload{Kind: "StatefulSet", Name: s.Name, Replicas: replicas(s.Spec.Replicas), Selector: s.Spec.Selector, Pod: s.Spec.Template, Claims: s.Spec.VolumeClaimTemplates})
	}
	return out
}

func replicas(p *int32) int32 {
	if p == nil {
		return 1
	}
	return *p
}
