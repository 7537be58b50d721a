// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package aws_test

import (
	"fmt"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"
)

// cfnTemplate is a CloudFormation template parsed into YAML nodes, so that short-form tags (!Ref, !Sub, ...) and
// line numbers are kept.
type cfnTemplate struct {
	name       string
	root       *yaml.Node
	parameters map[string]*yaml.Node
	conditions map[string]*yaml.Node
	resources  map[string]*yaml.Node
	outputs    map[string]*yaml.Node
}

// topLevelSections are the sections CloudFormation accepts at the top of a template.
var topLevelSections = map[string]bool{
	"AWSTemplateFormatVersion": true, "Description": true, "Metadata": true, "Parameters": true, "Rules": true,
	"Mappings": true, "Conditions": true, "Transform": true, "Resources": true, "Outputs": true,
}

func loadTemplate(path string) (*cfnTemplate, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseTemplate(path, raw)
}

// parseTemplate parses a template and reports structural problems: not one YAML mapping, unknown or duplicate keys,
// missing sections.
func parseTemplate(name string, raw []byte) (*cfnTemplate, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("%s: not valid YAML: %w", name, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: the template must be one YAML mapping", name)
	}
	if dup := duplicateKey(&doc); dup != "" {
		return nil, fmt.Errorf("%s: %s", name, dup)
	}
	t := &cfnTemplate{name: name, root: doc.Content[0]}
	for _, e := range entries(t.root) {
		if !topLevelSections[e.key] {
			return nil, fmt.Errorf("%s: line %d: unknown top-level section %q", name, e.keyNode.Line, e.key)
		}
	}
	if v := lookup(t.root, "AWSTemplateFormatVersion"); v == nil || v.Value != "2010-09-09" {
		return nil, fmt.Errorf("%s: AWSTemplateFormatVersion must be \"2010-09-09\"", name)
	}
	if lookup(t.root, "Resources") == nil {
		return nil, fmt.Errorf("%s: no Resources section", name)
	}
	t.parameters = section(t.root, "Parameters")
	t.conditions = section(t.root, "Conditions")
	t.resources = section(t.root, "Resources")
	t.outputs = section(t.root, "Outputs")
	return t, nil
}

// requiredParameters are the parameters without a Default: the ones a user must give.
func (t *cfnTemplate) requiredParameters() []string {
	var names []string
	for _, e := range entries(lookup(t.root, "Parameters")) {
		if lookup(e.value, "Default") == nil {
			names = append(names, e.key)
		}
	}
	return names
}

func (t *cfnTemplate) resourceType(name string) string {
	if r := t.resources[name]; r != nil {
		if typ := lookup(r, "Type"); typ != nil {
			return typ.Value
		}
	}
	return ""
}

func (t *cfnTemplate) resourcesOfType(typ string) []string {
	var names []string
	for _, e := range entries(lookup(t.root, "Resources")) {
		if t.resourceType(e.key) == typ {
			names = append(names, e.key)
		}
	}
	return names
}

type entry struct {
	key     string
	keyNode *yaml.Node
	value   *yaml.Node
}

// entries are the key/value pairs of a mapping node, in template order (none for other nodes).
func entries(n *yaml.Node) []entry {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	out := make([]entry, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		out = append(out, entry{key: n.Content[i].Value, keyNode: n.Content[i], value: n.Content[i+1]})
	}
	return out
}

func lookup(n *yaml.Node, key string) *yaml.Node {
	for _, e := range entries(n) {
		if e.key == key {
			return e.value
		}
	}
	return nil
}

func section(root *yaml.Node, name string) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	for _, e := range entries(lookup(root, name)) {
		out[e.key] = e.value
	}
	return out
}

// duplicateKey describes the first mapping key that appears twice in the same mapping, or "".
func duplicateKey(n *yaml.Node) string {
	if n.Kind == yaml.MappingNode {
		seen := map[string]bool{}
		for _, e := range entries(n) {
			if seen[e.key] {
				return fmt.Sprintf("line %d: duplicate key %q", e.keyNode.Line, e.key)
			}
			seen[e.key] = true
		}
	}
	for _, c := range n.Content {
		if d := duplicateKey(c); d != "" {
			return d
		}
	}
	return ""
}

// shortForms maps CloudFormation's YAML short-form tags to the long-form function names.
var shortForms = map[string]string{
	"!Ref": "Ref", "!Condition": "Condition", "!GetAtt": "Fn::GetAtt", "!Sub": "Fn::Sub", "!If": "Fn::If",
	"!Equals": "Fn::Equals", "!Not": "Fn::Not", "!And": "Fn::And", "!Or": "Fn::Or", "!Select": "Fn::Select",
	"!Split": "Fn::Split", "!Join": "Fn::Join", "!Base64": "Fn::Base64", "!FindInMap": "Fn::FindInMap",
	"!GetAZs": "Fn::GetAZs", "!ImportValue": "Fn::ImportValue", "!Cidr": "Fn::Cidr",
}

// function reports whether n is an intrinsic function call, in short form (!Ref X) or long form ({Ref: X},
// {"Fn::Sub": ...}), and returns the long-form name and the argument. A tag that is not a CloudFormation function
// gives the name "!<tag>" so that callers can report it.
func function(n *yaml.Node) (name string, arg *yaml.Node, ok bool) {
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		long, known := shortForms[n.Tag]
		if !known {
			return n.Tag, n, true
		}
		untagged := *n
		untagged.Tag = ""
		return long, &untagged, true
	}
	if n.Kind == yaml.MappingNode && len(n.Content) == 2 {
		key, value := n.Content[0].Value, n.Content[1]
		switch {
		case key == "Ref", strings.HasPrefix(key, "Fn::"):
			return key, value, true
		case key == "Condition" && value.Kind == yaml.ScalarNode:
			return key, value, true
		}
	}
	return "", nil, false
}

// getAttTarget splits a Fn::GetAtt argument ("Res.Attr" or [Res, Attr]) into the resource and the attribute.
func getAttTarget(arg *yaml.Node) (resource, attribute string, ok bool) {
	switch arg.Kind {
	case yaml.ScalarNode:
		resource, attribute, ok = strings.Cut(arg.Value, ".")
		return resource, attribute, ok
	case yaml.SequenceNode:
		if len(arg.Content) == 2 && arg.Content[0].Kind == yaml.ScalarNode && arg.Content[1].Kind == yaml.ScalarNode {
			return arg.Content[0].Value, arg.Content[1].Value, true
		}
	}
	return "", "", false
}

// subVariables are the ${Name} and ${Res.Attr} references of a Fn::Sub string; ${!Literal} is not a reference.
func subVariables(s string) []string {
	var names []string
	for {
		start := strings.Index(s, "${")
		if start < 0 {
			return names
		}
		end := strings.Index(s[start:], "}")
		if end < 0 {
			return names
		}
		name := s[start+2 : start+end]
		if !strings.HasPrefix(name, "!") {
			names = append(names, strings.TrimSpace(name))
		}
		s = s[start+end+1:]
	}
}

// subArguments splits a Fn::Sub argument ("string" or [string, {Var: value}]) into the string and the variable map.
func subArguments(arg *yaml.Node) (format *yaml.Node, vars *yaml.Node, ok bool) {
	switch arg.Kind {
	case yaml.ScalarNode:
		return arg, nil, true
	case yaml.SequenceNode:
		if len(arg.Content) == 2 && arg.Content[0].Kind == yaml.ScalarNode && arg.Content[1].Kind == yaml.MappingNode {
			return arg.Content[0], arg.Content[1], true
		}
	}
	return nil, nil, false
}
