package firehosemetricsreceiver

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// TestMetricStreamTemplate statically validates distributions/aws/metric-stream.yaml: it parses as YAML, has the
// resources the setup needs, and every Ref, GetAtt, Sub variable and condition name resolves.
func TestMetricStreamTemplate(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "distributions", "aws", "metric-stream.yaml"))
	require.NoError(t, err)
	var doc yaml.Node
	require.NoError(t, yaml.Unmarshal(raw, &doc))
	require.Equal(t, yaml.DocumentNode, doc.Kind)
	root := doc.Content[0]

	params := mapKeys(t, section(root, "Parameters"))
	resources := mapKeys(t, section(root, "Resources"))
	conditions := mapKeys(t, section(root, "Conditions"))
	for _, name := range []string{"CollectorUrl", "AccessKey", "Namespaces", "P8sLogzioName"} {
		assert.Contains(t, params, name)
	}
	resourceTypes := map[string]string{}
	for name, node := range mapEntries(section(root, "Resources")) {
		resourceTypes[name] = scalar(mapEntries(node)["Type"])
	}
	assert.Equal(t, "AWS::CloudWatch::MetricStream", resourceTypes["MetricStream"])
	assert.Equal(t, "AWS::KinesisFirehose::DeliveryStream", resourceTypes["DeliveryStream"])
	assert.True(t, mapEntries(section(root, "Parameters"))["AccessKey"] != nil &&
		scalar(mapEntries(mapEntries(section(root, "Parameters"))["AccessKey"])["NoEcho"]) == "true", "the access key parameter is NoEcho")

	pseudo := map[string]bool{"AWS::AccountId": true, "AWS::Region": true, "AWS::NoValue": true, "AWS::Partition": true, "AWS::StackName": true, "AWS::URLSuffix": true}
	refOK := func(name string) bool { return params[name] || resources[name] || pseudo[name] }
	subVar := regexp.MustCompile(`\$\{([^}!]+)\}`)
	checked := 0
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		switch n.Tag {
		case "!Ref":
			checked++
			assert.True(t, refOK(n.Value), "!Ref %s (line %d) does not resolve", n.Value, n.Line)
		case "!GetAtt":
			checked++
			res, _, _ := strings.Cut(n.Value, ".")
			assert.True(t, resources[res], "!GetAtt %s (line %d) names no resource", n.Value, n.Line)
		case "!Sub":
			for _, m := range subVar.FindAllStringSubmatch(n.Value, -1) {
				checked++
				name, _, _ := strings.Cut(m[1], ".")
				assert.True(t, refOK(name), "!Sub variable %s (line %d) does not resolve", m[1], n.Line)
			}
		case "!If":
			require.Equal(t, yaml.SequenceNode, n.Kind, "line %d", n.Line)
			require.Len(t, n.Content, 3, "!If takes [condition, then, else] (line %d)", n.Line)
			checked++
			assert.True(t, conditions[n.Content[0].Value], "!If condition %s (line %d) is not defined", n.Content[0].Value, n.Line)
		}
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				switch n.Content[i].Value {
				case "Ref":
					checked++
					assert.True(t, refOK(n.Content[i+1].Value), "Ref %s (line %d)", n.Content[i+1].Value, n.Line)
				case "Condition":
					if n.Content[i+1].Kind != yaml.ScalarNode {
						continue // an IAM policy condition block, not a template condition
					}
					checked++
					assert.True(t, conditions[n.Content[i+1].Value], "Condition %s (line %d)", n.Content[i+1].Value, n.Line)
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(root)
	assert.Greater(t, checked, 40, "the walk found the template's references")
}

func section(root *yaml.Node, name string) *yaml.Node {
	return mapEntries(root)[name]
}

func mapEntries(n *yaml.Node) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	if n == nil || n.Kind != yaml.MappingNode {
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		out[n.Content[i].Value] = n.Content[i+1]
	}
	return out
}

func mapKeys(t *testing.T, n *yaml.Node) map[string]bool {
	t.Helper()
	require.NotNil(t, n)
	out := map[string]bool{}
	for k := range mapEntries(n) {
		out[k] = true
	}
	return out
}

func scalar(n *yaml.Node) string {
	if n == nil {
		return ""
	}
	return n.Value
}
