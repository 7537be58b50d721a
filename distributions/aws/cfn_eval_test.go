// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package aws_test

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// noValue is what AWS::NoValue evaluates to: the property or list item disappears.
var noValue = &struct{ noValue bool }{true}

// pseudoValues are the values pseudo parameters take in an evaluated stack.
var pseudoValues = map[string]string{
	"AWS::AccountId": "123456789012", "AWS::Partition": "aws", "AWS::Region": "us-east-1",
	"AWS::StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/test/1", "AWS::StackName": "test",
	"AWS::URLSuffix": "amazonaws.com",
}

// stack evaluates a template for given parameter values the way CloudFormation would, without AWS: parameters are
// validated against their declarations, conditions and functions are resolved, AWS::NoValue removes what it
// replaces. A resource's Ref evaluates to "ref(Name)" and Fn::GetAtt to "getatt(Name.Attribute)".
type stack struct {
	t          *cfnTemplate
	params     map[string]any
	conditions map[string]bool
}

// newStack validates the given parameters like CloudFormation does before creating a stack: unknown names, missing
// required parameters and values outside the declared constraints are errors.
func newStack(t *cfnTemplate, given map[string]string) (*stack, error) {
	s := &stack{t: t, params: map[string]any{}, conditions: map[string]bool{}}
	for name := range given {
		if t.parameters[name] == nil {
			return nil, fmt.Errorf("parameter %s is not declared", name)
		}
	}
	var errs []error
	for name, decl := range t.parameters {
		raw, ok := given[name]
		if !ok {
			def := lookup(decl, "Default")
			if def == nil {
				errs = append(errs, fmt.Errorf("parameter %s is required", name))
				continue
			}
			raw = def.Value
		}
		v, err := validateParameter(name, decl, raw)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		s.params[name] = v
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return s, nil
}

// resource returns a resource's evaluated Properties, or nil when its Condition is false.
func (s *stack) resource(name string) (map[string]any, error) {
	r := s.t.resources[name]
	if r == nil {
		return nil, fmt.Errorf("no resource %s", name)
	}
	if cond := lookup(r, "Condition"); cond != nil {
		on, err := s.condition(cond.Value)
		if err != nil || !on {
			return nil, err
		}
	}
	v, err := s.eval(lookup(r, "Properties"))
	if err != nil {
		return nil, fmt.Errorf("resource %s: %w", name, err)
	}
	props, _ := v.(map[string]any)
	return props, nil
}

func (s *stack) condition(name string) (bool, error) {
	if v, ok := s.conditions[name]; ok {
		return v, nil
	}
	n := s.t.conditions[name]
	if n == nil {
		return false, fmt.Errorf("condition %s is not defined", name)
	}
	v, err := s.eval(n)
	if err != nil {
		return false, fmt.Errorf("condition %s: %w", name, err)
	}
	b, ok := v.(bool)
	if !ok {
		return false, fmt.Errorf("condition %s is not a boolean (%v)", name, v)
	}
	s.conditions[name] = b
	return b, nil
}

// eval resolves n into a string, bool, []any, map[string]any or noValue.
func (s *stack) eval(n *yaml.Node) (any, error) {
	if n == nil {
		return nil, nil
	}
	if name, arg, ok := function(n); ok {
		v, err := s.call(name, arg)
		if err != nil {
			return nil, fmt.Errorf("line %d: %s: %w", n.Line, name, err)
		}
		return v, nil
	}
	switch n.Kind {
	case yaml.MappingNode:
		out := map[string]any{}
		for _, e := range entries(n) {
			v, err := s.eval(e.value)
			if err != nil {
				return nil, err
			}
			if v != noValue {
				out[e.key] = v
			}
		}
		return out, nil
	case yaml.SequenceNode:
		out := []any{}
		for _, c := range n.Content {
			v, err := s.eval(c)
			if err != nil {
				return nil, err
			}
			if v != noValue {
				out = append(out, v)
			}
		}
		return out, nil
	case yaml.AliasNode:
		return s.eval(n.Alias)
	}
	return n.Value, nil
}

func (s *stack) call(name string, arg *yaml.Node) (any, error) {
	if arity, ok := functionArity[name]; ok && (arg.Kind != yaml.SequenceNode || len(arg.Content) < arity[0] || len(arg.Content) > arity[1]) {
		return nil, fmt.Errorf("takes a list of %d to %d items", arity[0], arity[1])
	}
	switch name {
	case "Ref":
		return s.ref(arg.Value)
	case "Fn::GetAtt":
		resource, attribute, _ := getAttTarget(arg)
		return "getatt(" + resource + "." + attribute + ")", nil
	case "Condition":
		return s.condition(arg.Value)
	case "Fn::Sub":
		return s.sub(arg)
	case "Fn::If":
		on, err := s.condition(arg.Content[0].Value)
		if err != nil {
			return nil, err
		}
		if on {
			return s.eval(arg.Content[1])
		}
		return s.eval(arg.Content[2])
	}
	items, err := s.evalItems(arg)
	if err != nil {
		return nil, err
	}
	switch name {
	case "Fn::Equals":
		return fmt.Sprint(items[0]) == fmt.Sprint(items[1]), nil
	case "Fn::Not":
		b, ok := items[0].(bool)
		if !ok {
			return nil, fmt.Errorf("argument is not a condition (%v)", items[0])
		}
		return !b, nil
	case "Fn::And", "Fn::Or":
		result := name == "Fn::And"
		for _, item := range items {
			b, ok := item.(bool)
			if !ok {
				return nil, fmt.Errorf("argument is not a condition (%v)", item)
			}
			if name == "Fn::And" {
				result = result && b
			} else {
				result = result || b
			}
		}
		return result, nil
	case "Fn::Join":
		list, ok := items[1].([]any)
		if !ok {
			return nil, fmt.Errorf("the second argument is not a list (%v)", items[1])
		}
		parts := make([]string, len(list))
		for i, item := range list {
			str, ok := item.(string)
			if !ok {
				return nil, fmt.Errorf("list item %d is not a string (%v)", i, item)
			}
			parts[i] = str
		}
		return strings.Join(parts, fmt.Sprint(items[0])), nil
	case "Fn::Split":
		str, ok := items[1].(string)
		if !ok {
			return nil, fmt.Errorf("the second argument is not a string (%v)", items[1])
		}
		var out []any
		for _, part := range strings.Split(str, fmt.Sprint(items[0])) {
			out = append(out, part)
		}
		return out, nil
	case "Fn::Select":
		index, err := strconv.Atoi(fmt.Sprint(items[0]))
		list, ok := items[1].([]any)
		if err != nil || !ok {
			return nil, fmt.Errorf("takes [index, list], got %v", items)
		}
		if index < 0 || index >= len(list) {
			return nil, fmt.Errorf("index %d is outside the list of %d items (CloudFormation fails the stack)", index, len(list))
		}
		return list[index], nil
	}
	return nil, fmt.Errorf("evaluating %s is not supported", name)
}

func (s *stack) evalItems(arg *yaml.Node) ([]any, error) {
	if arg.Kind != yaml.SequenceNode {
		return nil, errors.New("the argument must be a list")
	}
	items := make([]any, len(arg.Content))
	for i, c := range arg.Content {
		v, err := s.eval(c)
		if err != nil {
			return nil, err
		}
		items[i] = v
	}
	return items, nil
}

func (s *stack) ref(name string) (any, error) {
	if name == "AWS::NoValue" {
		return noValue, nil
	}
	if v, ok := pseudoValues[name]; ok {
		return v, nil
	}
	if v, ok := s.params[name]; ok {
		if list, isList := v.([]any); isList {
			return slices.Clone(list), nil
		}
		return v, nil
	}
	if s.t.resources[name] != nil {
		return "ref(" + name + ")", nil
	}
	return nil, fmt.Errorf("%s does not resolve", name)
}

func (s *stack) sub(arg *yaml.Node) (any, error) {
	format, varsNode, ok := subArguments(arg)
	if !ok {
		return nil, errors.New("takes a string or [string, {variable: value}]")
	}
	vars := map[string]string{}
	for _, e := range entries(varsNode) {
		v, err := s.eval(e.value)
		if err != nil {
			return nil, err
		}
		str, isString := v.(string)
		if !isString {
			return nil, fmt.Errorf("variable %s is not a string (%v)", e.key, v)
		}
		vars[e.key] = str
	}
	var out strings.Builder
	rest := format.Value
	for {
		start := strings.Index(rest, "${")
		end := strings.Index(rest[max(start, 0):], "}")
		if start < 0 || end < 0 {
			out.WriteString(rest)
			return out.String(), nil
		}
		out.WriteString(rest[:start])
		name := rest[start+2 : start+end]
		rest = rest[start+end+1:]
		if literal, isLiteral := strings.CutPrefix(name, "!"); isLiteral {
			out.WriteString("${" + literal + "}")
			continue
		}
		value, err := s.subVariable(strings.TrimSpace(name), vars)
		if err != nil {
			return nil, err
		}
		out.WriteString(value)
	}
}

func (s *stack) subVariable(name string, vars map[string]string) (string, error) {
	if v, ok := vars[name]; ok {
		return v, nil
	}
	if resource, attribute, isAtt := strings.Cut(name, "."); isAtt {
		return "getatt(" + resource + "." + attribute + ")", nil
	}
	v, err := s.ref(name)
	if err != nil {
		return "", err
	}
	str, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("${%s} is not a string (a list parameter cannot be substituted)", name)
	}
	return str, nil
}

// policyStatements returns the statements of an evaluated IAM policy document.
func policyStatements(doc any) ([]map[string]any, error) {
	m, ok := doc.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("policy document is not a mapping: %v", doc)
	}
	if m["Version"] != "2012-10-17" {
		return nil, fmt.Errorf("policy Version is %v, want 2012-10-17", m["Version"])
	}
	list, ok := m["Statement"].([]any)
	if !ok {
		return nil, fmt.Errorf("policy Statement is not a list: %v", m["Statement"])
	}
	var out []map[string]any
	for i, item := range list {
		st, ok := item.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("statement %d is not a mapping", i)
		}
		out = append(out, st)
	}
	return out, nil
}

// stringList returns a string or a list of strings as a list.
func stringList(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, item := range v {
			out = append(out, fmt.Sprint(item))
		}
		return out
	}
	return nil
}

// allowedActions is the sorted set of actions the Allow statements of a policy document grant.
func allowedActions(doc any) ([]string, error) {
	statements, err := policyStatements(doc)
	if err != nil {
		return nil, err
	}
	set := map[string]bool{}
	for _, st := range statements {
		if st["Effect"] == "Allow" {
			for _, a := range stringList(st["Action"]) {
				set[a] = true
			}
		}
	}
	return slices.Sorted(maps.Keys(set)), nil
}

// dig walks an evaluated value along map keys and list indexes.
func dig(v any, path ...any) any {
	for _, p := range path {
		switch key := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[key]
		case int:
			l, ok := v.([]any)
			if !ok || key >= len(l) {
				return nil
			}
			v = l[key]
		}
	}
	return v
}
