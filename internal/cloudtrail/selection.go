// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
)

// SelectionConfig chooses which records are decoded at all. A record ships when it matches at least one include
// rule (or there are none) and no exclude rule: exclude wins. The decision is taken on the scanned record, before
// anything is built for it.
type SelectionConfig struct {
	// Include, when not empty, keeps only the records that match at least one of these rules.
	Include []EventRule `mapstructure:"include"`
	// Exclude drops the records that match any of these rules.
	Exclude []EventRule `mapstructure:"exclude"`
}

// EventRule is a conjunction of conditions on a record's fields: it matches a record when every condition it sets
// holds. A list condition holds when the field equals one of the values; a value may be a glob, in which '*'
// stands for any run of characters (Describe*, *.amazonaws.com). A field the record does not have matches no
// value. Comparisons are case-sensitive, as CloudTrail writes the fields.
type EventRule struct {
	EventSource        []string `mapstructure:"event_source"`
	EventName          []string `mapstructure:"event_name"`
	EventCategory      []string `mapstructure:"event_category"`
	EventType          []string `mapstructure:"event_type"`
	ErrorCode          []string `mapstructure:"error_code"`
	UserIdentityType   []string `mapstructure:"user_identity_type"`
	InvokedBy          []string `mapstructure:"user_identity_invoked_by"`
	AWSRegion          []string `mapstructure:"aws_region"`
	RecipientAccountID []string `mapstructure:"recipient_account_id"`
	// ReadOnly and ManagementEvent compare the record's JSON booleans; a record without the field matches neither
	// true nor false.
	ReadOnly        *bool `mapstructure:"read_only"`
	ManagementEvent *bool `mapstructure:"management_event"`
	// Error: true holds for records with a non-empty errorCode (failed calls), false for the others.
	Error *bool `mapstructure:"error"`
}

// Enabled says whether any rule is set.
func (c *SelectionConfig) Enabled() bool { return len(c.Include) > 0 || len(c.Exclude) > 0 }

// Validate reports rules that cannot work, saying what to write instead.
func (c *SelectionConfig) Validate() error {
	_, err := NewSelector(*c)
	return err
}

// Selector decides, for a scanned record, whether it ships. Build it with NewSelector; it is read-only and safe
// for concurrent use.
type Selector struct {
	include, exclude []rule
}

// NewSelector compiles the rules. It returns nil and no error when no rule is set.
func NewSelector(c SelectionConfig) (*Selector, error) {
	var errs []error
	compile := func(list string, rules []EventRule) []rule {
		out := make([]rule, 0, len(rules))
		for i := range rules {
			r, err := compileRule(&rules[i])
			if err != nil {
				errs = append(errs, fmt.Errorf("event_selection.%s[%d]: %w", list, i, err))
				continue
			}
			out = append(out, r)
		}
		return out
	}
	s := &Selector{include: compile("include", c.Include), exclude: compile("exclude", c.Exclude)}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if len(s.include) == 0 && len(s.exclude) == 0 {
		return nil, nil
	}
	return s, nil
}

// keep reports whether a record with these fields ships.
func (s *Selector) keep(f *eventFields) bool {
	if len(s.include) > 0 && !anyMatch(s.include, f) {
		return false
	}
	return !anyMatch(s.exclude, f)
}

func anyMatch(rules []rule, f *eventFields) bool {
	for i := range rules {
		if rules[i].matches(f) {
			return true
		}
	}
	return false
}

// rule is a compiled EventRule: its string conditions in a fixed order, then the boolean ones.
type rule struct {
	strings []stringCondition
	bools   []boolCondition
}

type stringCondition struct {
	field    stringField
	patterns []pattern
}

type boolCondition struct {
	field boolField
	want  bool
}

func (r *rule) matches(f *eventFields) bool {
	for i := range r.bools {
		c := &r.bools[i]
		if !f.flag(c.field).is(c.want) {
			return false
		}
	}
	for i := range r.strings {
		c := &r.strings[i]
		v, ok := f.str(c.field)
		if !ok || !matchAny(c.patterns, v) {
			return false
		}
	}
	return true
}

// optionNames maps each string field to its option name, for messages.
var optionNames = [numStringFields]string{
	selSource:       "event_source",
	selName:         "event_name",
	selCategory:     "event_category",
	selType:         "event_type",
	selErrorCode:    "error_code",
	selIdentityType: "user_identity_type",
	selInvokedBy:    "user_identity_invoked_by",
	selRegion:       "aws_region",
	selRecipient:    "recipient_account_id",
}

func compileRule(r *EventRule) (rule, error) {
	var out rule
	var errs []error
	for field, values := range [numStringFields][]string{
		selSource:       r.EventSource,
		selName:         r.EventName,
		selCategory:     r.EventCategory,
		selType:         r.EventType,
		selErrorCode:    r.ErrorCode,
		selIdentityType: r.UserIdentityType,
		selInvokedBy:    r.InvokedBy,
		selRegion:       r.AWSRegion,
		selRecipient:    r.RecipientAccountID,
	} {
		if values == nil {
			continue
		}
		name := optionNames[field]
		if len(values) == 0 {
			errs = append(errs, fmt.Errorf("%s is an empty list, which matches nothing: list at least one value (e.g. %s: [%s]) or remove it", name, name, exampleValue(stringField(field))))
			continue
		}
		c := stringCondition{field: stringField(field)}
		for _, v := range values {
			if v == "" {
				errs = append(errs, fmt.Errorf("%s has an empty value: write the value CloudTrail records (e.g. %s), or '*' for any", name, exampleValue(stringField(field))))
				continue
			}
			c.patterns = append(c.patterns, compilePattern(v))
		}
		out.strings = append(out.strings, c)
	}
	for _, b := range []struct {
		field boolField
		value *bool
	}{{flagReadOnly, r.ReadOnly}, {flagManagementEvent, r.ManagementEvent}, {flagError, r.Error}} {
		if b.value != nil {
			out.bools = append(out.bools, boolCondition{field: b.field, want: *b.value})
		}
	}
	if len(errs) > 0 {
		return rule{}, errors.Join(errs...)
	}
	if len(out.strings) == 0 && len(out.bools) == 0 {
		return rule{}, errors.New("the rule sets no condition and would match every record: give it at least one of event_source, event_name, read_only, event_category, management_event, event_type, error_code, error, user_identity_type, user_identity_invoked_by, aws_region, recipient_account_id")
	}
	return out, nil
}

func exampleValue(f stringField) string {
	switch f {
	case selSource:
		return "kms.amazonaws.com"
	case selName:
		return "Describe*"
	case selCategory:
		return "Management"
	case selType:
		return "AwsApiCall"
	case selErrorCode:
		return "AccessDenied"
	case selIdentityType:
		return "AWSService"
	case selInvokedBy:
		return "*.amazonaws.com"
	case selRegion:
		return "us-east-1"
	default:
		return "111122223333"
	}
}

// pattern is a compiled glob: the literal parts between its '*'s. A pattern without '*' is one exact part.
type pattern struct {
	first, last string
	middle      [][]byte
	wildcard    bool // the pattern contains at least one '*'
}

func compilePattern(p string) pattern {
	if !strings.Contains(p, "*") {
		return pattern{first: p}
	}
	parts := strings.Split(p, "*")
	c := pattern{first: parts[0], last: parts[len(parts)-1], wildcard: true}
	for _, m := range parts[1 : len(parts)-1] {
		if m != "" {
			c.middle = append(c.middle, []byte(m))
		}
	}
	return c
}

func matchAny(ps []pattern, v []byte) bool {
	for i := range ps {
		if ps[i].match(v) {
			return true
		}
	}
	return false
}

// match reports whether v matches: the first part is a prefix, the last a suffix, and the parts between occur in
// order without overlapping (the leftmost occurrence of each is the best choice).
func (p *pattern) match(v []byte) bool {
	if !p.wildcard {
		return string(v) == p.first
	}
	if len(v) < len(p.first)+len(p.last) || string(v[:len(p.first)]) != p.first || string(v[len(v)-len(p.last):]) != p.last {
		return false
	}
	rest := v[len(p.first) : len(v)-len(p.last)]
	for _, part := range p.middle {
		i := bytes.Index(rest, part)
		if i < 0 {
			return false
		}
		rest = rest[i+len(part):]
	}
	return true
}
