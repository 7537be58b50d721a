// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"

import (
	"errors"
	"math"
	"strconv"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/jsonlex"
)

// A tape holds one parsed JSON value (one CloudTrail record) as a flat list of nodes in document order.
// Parsing into a reusable tape first lets the decoder read eventTime, account and region before it decides
// where the record goes, and size every pdata map and slice exactly (no append growth garbage).
type tape struct {
	nodes []node
}

type nodeKind uint8

const (
	kindNull nodeKind = iota
	kindFalse
	kindTrue
	kindInt
	kindDouble
	kindString
	kindObject
	kindArray
)

type node struct {
	kind nodeKind
	// field identifies the member name among those scanFields looks for (fieldNone for the others).
	field fieldID
	// inBlob marks a string whose bytes are still in parser.blob (offset num, length count) until
	// resolveBlobStrings sets str.
	inBlob bool
	// count is the number of direct children of an object or array.
	count int32
	// end is the index just past the last descendant of an object or array (the next sibling).
	end int32
	// key is the member name when the node is a member of an object.
	key string
	str string
	num uint64 // int64 or float64 bits
}

func (n *node) int() int64      { return int64(n.num) }
func (n *node) double() float64 { return math.Float64frombits(n.num) }
func (t *tape) next(i int32) int32 {
	if k := t.nodes[i].kind; k == kindObject || k == kindArray {
		return t.nodes[i].end
	}
	return i + 1
}

// maxDepth bounds nesting so hostile input cannot exhaust the stack.
const maxDepth = 1000

// parser reads JSON values from a scanner into a tape.
type parser struct {
	scanner
	tape tape
	// blob collects the bytes of the record's strings that are not interned; they become one string per record
	// (see resolveBlobStrings) instead of one allocation per value.
	blob []byte
}

// parseRecord parses the next value (an element of Records) onto the emptied tape. A record that nests deeper
// than maxDepth is consumed without being built and reported as errTooDeep (the tape then holds nothing usable):
// the caller skips it and goes on with the next record.
func (p *parser) parseRecord() error {
	p.tape.nodes = p.tape.nodes[:0]
	p.blob = p.blob[:0]
	if err := p.parseValue("", &p.intern.record, 1); err != nil {
		return err
	}
	p.resolveBlobStrings()
	return nil
}

// skipTooDeep is called by parseObject and parseArray at the container (at p.pos) that would nest depth levels
// deep: it consumes the rest of the record structurally, across buffer refills and without copying it, and
// returns errTooDeep, which every caller passes up unchanged.
func (p *parser) skipTooDeep(depth int) error {
	// depth-1 containers enclose p.pos, the record itself included.
	k := skim{depth: depth - 1, unbounded: true}
	if err := p.skimRest(&k); err != nil {
		return err
	}
	return errTooDeep
}

// resolveBlobStrings copies the record's non-interned string bytes into one string and points the string
// nodes at their parts of it. The parts share that string's memory, which lives as long as any of them: all
// belong to the same log record.
func (p *parser) resolveBlobStrings() {
	if len(p.blob) == 0 {
		return
	}
	all := string(p.blob)
	nodes := p.tape.nodes
	for i := range nodes {
		if n := &nodes[i]; n.inBlob {
			n.str = all[n.num : n.num+uint64(n.count)]
			n.inBlob, n.num, n.count = false, 0, 0
		}
	}
}

// parseValue appends the value starting at the next byte (after whitespace) to the tape. name is the member
// name ("" for array elements); ctx is the member's keyInfo, or the array's for its elements.
func (p *parser) parseValue(name string, ctx *keyInfo, depth int) error {
	c, err := p.next()
	if err != nil {
		return err
	}
	t := &p.tape
	switch {
	case c == '"':
		b, err := p.readStringBytes()
		if err != nil {
			return err
		}
		if ctx.internValue || len(b) == 0 {
			t.nodes = append(t.nodes, node{kind: kindString, key: name, str: p.intern.stringValue(ctx, b)})
			return nil
		}
		t.nodes = append(t.nodes, node{kind: kindString, key: name, inBlob: true, count: int32(len(b)), num: uint64(len(p.blob))})
		p.blob = append(p.blob, b...)
		return nil
	case c == '{':
		return p.parseObject(name, ctx, depth)
	case c == '[':
		return p.parseArray(name, ctx, depth)
	case c == 't':
		t.nodes = append(t.nodes, node{kind: kindTrue, key: name})
		return p.expectLiteral("true")
	case c == 'f':
		t.nodes = append(t.nodes, node{kind: kindFalse, key: name})
		return p.expectLiteral("false")
	case c == 'n':
		t.nodes = append(t.nodes, node{kind: kindNull, key: name})
		return p.expectLiteral("null")
	case c == '-' || (c >= '0' && c <= '9'):
		return p.parseNumber(name)
	default:
		return p.syntaxError("expected a value, found %s", quoteByte(c))
	}
}

func (p *parser) parseObject(key string, ctx *keyInfo, depth int) error {
	if depth >= maxDepth {
		return p.skipTooDeep(depth)
	}
	p.pos++ // '{'
	t := &p.tape
	self := len(t.nodes)
	t.nodes = append(t.nodes, node{kind: kindObject, key: key})
	c, err := p.next()
	if err != nil {
		return err
	}
	count := int32(0)
	var prev *keyInfo
	if c == '}' {
		p.pos++
	} else {
		for {
			if c != '"' {
				return p.syntaxError("expected a member name, found %s", quoteByte(c))
			}
			predicted := ctx.firstChild
			if prev != nil {
				predicted = prev.next
			}
			k := predicted
			if k == nil || !k.plain || !p.consumeQuoted(k.key) {
				kb, err := p.readStringBytes()
				if err != nil {
					return err
				}
				if k == nil || k.key != string(kb) {
					k = p.intern.key(kb)
					if prev != nil {
						prev.next = k
					} else {
						ctx.firstChild = k
					}
				}
			}
			prev = k
			if err := p.expect(':', "':' after member name"); err != nil {
				return err
			}
			member := len(t.nodes)
			if err := p.parseValue(k.key, k, depth+1); err != nil {
				return err
			}
			t.nodes[member].field = k.field
			count++
			if c, err = p.next(); err != nil {
				return err
			}
			p.pos++
			if c == '}' {
				break
			}
			if c != ',' {
				p.pos--
				return p.syntaxError("expected ',' or '}' in object, found %s", quoteByte(c))
			}
			if c, err = p.next(); err != nil {
				return err
			}
		}
	}
	t.nodes[self].count = count
	t.nodes[self].end = int32(len(t.nodes))
	return nil
}

func (p *parser) parseArray(key string, ctx *keyInfo, depth int) error {
	if depth >= maxDepth {
		return p.skipTooDeep(depth)
	}
	p.pos++ // '['
	t := &p.tape
	self := len(t.nodes)
	t.nodes = append(t.nodes, node{kind: kindArray, key: key})
	c, err := p.next()
	if err != nil {
		return err
	}
	count := int32(0)
	if c == ']' {
		p.pos++
	} else {
		for {
			if err := p.parseValue("", ctx, depth+1); err != nil {
				return err
			}
			count++
			if c, err = p.next(); err != nil {
				return err
			}
			p.pos++
			if c == ']' {
				break
			}
			if c != ',' {
				p.pos--
				return p.syntaxError("expected ',' or ']' in array, found %s", quoteByte(c))
			}
		}
	}
	t.nodes[self].count = count
	t.nodes[self].end = int32(len(t.nodes))
	return nil
}

// parseNumber keeps integers that fit int64 as Int and every other number as Double. An integer beyond int64,
// or a number outside the float64 range, is kept as its literal text (a string): a double would lose digits of
// the one and cannot hold the other, and neither should fail the whole object.
func (p *parser) parseNumber(key string) error {
	b, err := p.readNumberBytes()
	if err != nil {
		return err
	}
	t := &p.tape
	if v, ok := fastInt(b); ok {
		t.nodes = append(t.nodes, node{kind: kindInt, key: key, num: uint64(v)})
		return nil
	}
	isInt, ok := jsonlex.ValidNumber(b)
	if !ok {
		return p.syntaxError("invalid number %q", b)
	}
	if isInt {
		if v, err := strconv.ParseInt(string(b), 10, 64); err == nil {
			t.nodes = append(t.nodes, node{kind: kindInt, key: key, num: uint64(v)})
			return nil
		}
		// Only ErrRange is possible after ValidNumber: keep every digit.
		t.nodes = append(t.nodes, node{kind: kindString, key: key, str: string(b)})
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil { // only ErrRange is possible after ValidNumber
		t.nodes = append(t.nodes, node{kind: kindString, key: key, str: string(b)})
		return nil
	}
	t.nodes = append(t.nodes, node{kind: kindDouble, key: key, num: math.Float64bits(f)})
	return nil
}

// fastInt parses the common case of a short canonical integer literal.
func fastInt(b []byte) (int64, bool) {
	neg := false
	i := 0
	if len(b) > 0 && b[0] == '-' {
		neg = true
		i = 1
	}
	n := len(b) - i
	if n == 0 || n > 18 || (b[i] == '0' && n > 1) {
		return 0, false
	}
	var v int64
	for ; i < len(b); i++ {
		c := b[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}

// skipValue consumes one value without building anything (for top-level members other than Records), at depth
// containers deep. It is checked as encoding/json checks it, except that raw control characters in strings pass, as
// they pass in records.
func (p *parser) skipValue(depth int) error {
	k := jsonlex.Skipper{MaxDepth: maxDepth - depth, AllowControl: true}
	for {
		if p.pos >= p.end {
			if err := p.fill(); err != nil {
				return p.eofError(err) // a member's value never ends the document
			}
		}
		n, done, err := k.Feed(p.buf[p.pos:p.end])
		p.pos += n
		switch {
		case errors.Is(err, jsonlex.ErrTooDeep):
			return p.syntaxError("nesting deeper than %d levels", maxDepth)
		case err != nil:
			return p.syntaxError("%s", err)
		case done:
			return nil
		}
	}
}
