// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package aws_test

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// pseudoParameters can be referenced without being declared.
var pseudoParameters = map[string]bool{
	"AWS::AccountId": true, "AWS::NotificationARNs": true, "AWS::NoValue": true, "AWS::Partition": true,
	"AWS::Region": true, "AWS::StackId": true, "AWS::StackName": true, "AWS::URLSuffix": true,
}

// resourceAttributes is the allow-list of resource types the templates may use, with the attributes Fn::GetAtt may
// read from each (CloudFormation's return values of the type).
var resourceAttributes = map[string][]string{
	"AWS::CloudWatch::MetricStream":        {"Arn", "CreationDate", "LastUpdateDate", "State"},
	"AWS::IAM::Role":                       {"Arn", "RoleId"},
	"AWS::KinesisFirehose::DeliveryStream": {"Arn"},
	"AWS::Logs::LogGroup":                  {"Arn"},
	"AWS::Logs::LogStream":                 {},
	"AWS::Logs::SubscriptionFilter":        {},
	"AWS::S3::Bucket":                      {"Arn", "DomainName", "DualStackDomainName", "RegionalDomainName", "WebsiteURL"},
}

var resourceKeys = map[string]bool{
	"Type": true, "Properties": true, "DependsOn": true, "Condition": true, "DeletionPolicy": true,
	"UpdateReplacePolicy": true, "Metadata": true,
}

var parameterTypes = map[string]bool{"String": true, "Number": true, "CommaDelimitedList": true, "List<Number>": true}

// functionArity is the number of list items each list-taking function needs (min, max).
var functionArity = map[string][2]int{
	"Fn::If": {3, 3}, "Fn::Equals": {2, 2}, "Fn::Not": {1, 1}, "Fn::And": {2, 10}, "Fn::Or": {2, 10},
	"Fn::Select": {2, 2}, "Fn::Split": {2, 2}, "Fn::Join": {2, 2},
}

// checkTemplate returns every problem CloudFormation (or a careful reviewer) would find without deploying: references
// to undeclared parameters, resources, attributes and conditions; unknown functions and resource types; bad arity;
// parameters and conditions never used; malformed parameter declarations and IAM policy documents.
func checkTemplate(t *cfnTemplate) []string {
	c := &checker{t: t, usedParams: map[string]bool{}, usedConditions: map[string]bool{}}
	c.checkParameters()
	c.checkParameterGroups()
	for _, e := range entries(lookup(t.root, "Conditions")) {
		c.walk(e.value, true)
	}
	for _, e := range entries(lookup(t.root, "Resources")) {
		c.checkResource(e.key, e.value)
	}
	for _, e := range entries(lookup(t.root, "Outputs")) {
		if lookup(e.value, "Value") == nil {
			c.problem(e.keyNode, "output %s has no Value", e.key)
		}
		if cond := lookup(e.value, "Condition"); cond != nil {
			c.useCondition(cond, cond.Value)
		}
		c.walk(e.value, false)
	}
	for _, e := range entries(lookup(t.root, "Parameters")) {
		if !c.usedParams[e.key] {
			c.problem(e.keyNode, "parameter %s is never used", e.key)
		}
	}
	for _, e := range entries(lookup(t.root, "Conditions")) {
		if !c.usedConditions[e.key] {
			c.problem(e.keyNode, "condition %s is never used", e.key)
		}
	}
	return c.problems
}

type checker struct {
	t              *cfnTemplate
	problems       []string
	usedParams     map[string]bool
	usedConditions map[string]bool
}

func (c *checker) problem(n *yaml.Node, format string, args ...any) {
	c.problems = append(c.problems, fmt.Sprintf("%s:%d: %s", c.t.name, n.Line, fmt.Sprintf(format, args...)))
}

func (c *checker) checkParameters() {
	for _, e := range entries(lookup(c.t.root, "Parameters")) {
		typ := lookup(e.value, "Type")
		if typ == nil || !parameterTypes[typ.Value] {
			c.problem(e.keyNode, "parameter %s: Type must be one of String, Number, CommaDelimitedList, List<Number>", e.key)
			continue
		}
		if p := lookup(e.value, "AllowedPattern"); p != nil {
			if _, err := regexp.Compile(p.Value); err != nil {
				c.problem(p, "parameter %s: AllowedPattern does not compile: %v", e.key, err)
			}
		}
		def := lookup(e.value, "Default")
		if def == nil {
			continue
		}
		if _, err := validateParameter(e.key, e.value, def.Value); err != nil {
			c.problem(def, "the Default is not an allowed value: %v", err)
		}
	}
}

// checkParameterGroups: when the console's parameter groups are declared, they list every parameter once and only
// declared parameters (a parameter left out is shown apart, under "Other parameters").
func (c *checker) checkParameterGroups() {
	groups := lookup(lookup(lookup(c.t.root, "Metadata"), "AWS::CloudFormation::Interface"), "ParameterGroups")
	if groups == nil {
		return
	}
	listed := map[string]int{}
	for _, g := range groups.Content {
		params := lookup(g, "Parameters")
		if params == nil || params.Kind != yaml.SequenceNode {
			c.problem(g, "a parameter group needs a Parameters list")
			continue
		}
		for _, p := range params.Content {
			listed[p.Value]++
			if c.t.parameters[p.Value] == nil {
				c.problem(p, "ParameterGroups lists %s, which is not a parameter", p.Value)
			}
		}
	}
	for _, e := range entries(lookup(c.t.root, "Parameters")) {
		if listed[e.key] != 1 {
			c.problem(e.keyNode, "parameter %s appears %d times in ParameterGroups, want once", e.key, listed[e.key])
		}
	}
}

func (c *checker) checkResource(name string, r *yaml.Node) {
	for _, e := range entries(r) {
		if !resourceKeys[e.key] {
			c.problem(e.keyNode, "resource %s: unknown attribute %s", name, e.key)
		}
	}
	typ := lookup(r, "Type")
	if typ == nil {
		c.problem(r, "resource %s has no Type", name)
	} else if _, ok := resourceAttributes[typ.Value]; !ok {
		c.problem(typ, "resource %s: type %s is not on the allow-list of known AWS types", name, typ.Value)
	}
	props := lookup(r, "Properties")
	if props != nil && props.Kind != yaml.MappingNode {
		c.problem(props, "resource %s: Properties must be a mapping", name)
	}
	if typ != nil {
		c.checkPropertyNames(name, typ.Value, props)
	}
	if cond := lookup(r, "Condition"); cond != nil {
		c.useCondition(cond, cond.Value)
	}
	if deps := lookup(r, "DependsOn"); deps != nil {
		names := []*yaml.Node{deps}
		if deps.Kind == yaml.SequenceNode {
			names = deps.Content
		}
		for _, d := range names {
			if c.t.resources[d.Value] == nil {
				c.problem(d, "resource %s depends on %s, which is not a resource", name, d.Value)
			}
		}
	}
	c.walk(lookup(r, "Properties"), false)
}

// walk checks every function call under n. inConditions is true inside the Conditions section, where Ref may only
// name parameters.
func (c *checker) walk(n *yaml.Node, inConditions bool) {
	if n == nil {
		return
	}
	if name, arg, ok := function(n); ok {
		c.checkFunction(n, name, arg, inConditions)
		c.walkChildren(arg, inConditions)
		return
	}
	if n.Kind == yaml.MappingNode {
		for _, e := range entries(n) {
			if e.key == "PolicyDocument" || e.key == "AssumeRolePolicyDocument" {
				c.checkPolicyShape(e.value)
			}
		}
	}
	c.walkChildren(n, inConditions)
}

func (c *checker) walkChildren(n *yaml.Node, inConditions bool) {
	if n.Kind == yaml.ScalarNode {
		return
	}
	for _, child := range n.Content {
		c.walk(child, inConditions)
	}
}

func (c *checker) checkFunction(n *yaml.Node, name string, arg *yaml.Node, inConditions bool) {
	if arity, ok := functionArity[name]; ok {
		if arg.Kind != yaml.SequenceNode || len(arg.Content) < arity[0] || len(arg.Content) > arity[1] {
			c.problem(n, "%s takes a list of %d to %d items", name, arity[0], arity[1])
			return
		}
	}
	switch name {
	case "Ref":
		c.useName(n, arg.Value, inConditions, "Ref")
	case "Fn::GetAtt":
		resource, attribute, ok := getAttTarget(arg)
		if !ok {
			c.problem(n, "Fn::GetAtt takes Resource.Attribute or [Resource, Attribute]")
			return
		}
		c.useAttribute(n, resource, attribute, inConditions)
	case "Fn::Sub":
		format, vars, ok := subArguments(arg)
		if !ok {
			c.problem(n, "Fn::Sub takes a string or [string, {variable: value}]")
			return
		}
		local := map[string]bool{}
		for _, e := range entries(vars) {
			local[e.key] = true
		}
		for _, v := range subVariables(format.Value) {
			if local[v] {
				continue
			}
			if resource, attribute, isAtt := strings.Cut(v, "."); isAtt {
				c.useAttribute(n, resource, attribute, inConditions)
			} else {
				c.useName(n, v, inConditions, "Fn::Sub variable")
			}
		}
	case "Fn::If":
		c.useCondition(arg.Content[0], arg.Content[0].Value)
	case "Condition":
		c.useCondition(n, arg.Value)
	case "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or", "Fn::Select", "Fn::Split", "Fn::Join":
		// Arity checked above; the items are walked by the caller.
	default:
		c.problem(n, "%s is not a function these templates may use", name)
	}
}

func (c *checker) useName(n *yaml.Node, name string, inConditions bool, what string) {
	switch {
	case pseudoParameters[name]:
	case c.t.parameters[name] != nil:
		c.usedParams[name] = true
	case c.t.resources[name] != nil && inConditions:
		c.problem(n, "%s %s names a resource: conditions may only use parameters", what, name)
	case c.t.resources[name] != nil:
	default:
		c.problem(n, "%s %s does not resolve to a parameter, resource or pseudo parameter", what, name)
	}
}

func (c *checker) useAttribute(n *yaml.Node, resource, attribute string, inConditions bool) {
	if inConditions {
		c.problem(n, "Fn::GetAtt %s.%s in a condition: conditions may only use parameters", resource, attribute)
		return
	}
	if c.t.resources[resource] == nil {
		c.problem(n, "Fn::GetAtt %s.%s: %s is not a resource", resource, attribute, resource)
		return
	}
	typ := c.t.resourceType(resource)
	if allowed, known := resourceAttributes[typ]; known && !slices.Contains(allowed, attribute) {
		c.problem(n, "Fn::GetAtt %s.%s: %s has no attribute %s (it has %v)", resource, attribute, typ, attribute, allowed)
	}
}

func (c *checker) useCondition(n *yaml.Node, name string) {
	if c.t.conditions[name] == nil {
		c.problem(n, "condition %s is not defined in Conditions", name)
		return
	}
	c.usedConditions[name] = true
}

// checkPolicyShape checks what can be checked before evaluation: the policy language version and a statement list.
func (c *checker) checkPolicyShape(doc *yaml.Node) {
	if v := lookup(doc, "Version"); v == nil || v.Value != "2012-10-17" || v.Tag == "!!timestamp" {
		c.problem(doc, "IAM policy document: Version must be the string \"2012-10-17\"")
	}
	if s := lookup(doc, "Statement"); s == nil || s.Kind != yaml.SequenceNode || len(s.Content) == 0 {
		c.problem(doc, "IAM policy document: Statement must be a non-empty list")
	}
}

// validateParameter applies a parameter declaration's constraints to a value the way CloudFormation does before it
// creates anything, and returns the value as a template sees it (a string, or a []any of strings for lists).
func validateParameter(name string, decl *yaml.Node, value string) (any, error) {
	typ := lookup(decl, "Type").Value
	if allowed := lookup(decl, "AllowedValues"); allowed != nil {
		if !slices.ContainsFunc(allowed.Content, func(n *yaml.Node) bool { return n.Value == value }) {
			return nil, fmt.Errorf("parameter %s: %q is not one of the AllowedValues", name, value)
		}
	}
	switch typ {
	case "Number":
		v, err := strconv.ParseFloat(value, 64)
		if err != nil {
			return nil, fmt.Errorf("parameter %s: %q is not a number", name, value)
		}
		if err := bound(name, "MinValue", decl, v, func(limit float64) bool { return v >= limit }); err != nil {
			return nil, err
		}
		if err := bound(name, "MaxValue", decl, v, func(limit float64) bool { return v <= limit }); err != nil {
			return nil, err
		}
		return value, nil
	case "CommaDelimitedList", "List<Number>":
		var items []any
		for _, item := range strings.Split(value, ",") {
			items = append(items, strings.TrimSpace(item))
		}
		return items, nil
	}
	length := float64(len(value))
	if err := bound(name, "MinLength", decl, length, func(limit float64) bool { return length >= limit }); err != nil {
		return nil, err
	}
	if err := bound(name, "MaxLength", decl, length, func(limit float64) bool { return length <= limit }); err != nil {
		return nil, err
	}
	if p := lookup(decl, "AllowedPattern"); p != nil {
		// CloudFormation matches the whole value against the pattern.
		re, err := regexp.Compile(`^(?:` + p.Value + `)$`)
		if err != nil {
			return nil, fmt.Errorf("parameter %s: AllowedPattern: %w", name, err)
		}
		if !re.MatchString(value) {
			return nil, fmt.Errorf("parameter %s: %q does not match the AllowedPattern %s", name, value, p.Value)
		}
	}
	return value, nil
}

func bound(name, key string, decl *yaml.Node, v float64, ok func(limit float64) bool) error {
	n := lookup(decl, key)
	if n == nil {
		return nil
	}
	limit, err := strconv.ParseFloat(n.Value, 64)
	if err != nil {
		return fmt.Errorf("parameter %s: %s %q is not a number", name, key, n.Value)
	}
	if !ok(limit) {
		return fmt.Errorf("parameter %s: %v is outside %s %v", name, v, key, limit)
	}
	return nil
}
