// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Package document turns one OpenTelemetry log record into one Logz.io bulk-listener
// document: a single line of minified JSON that Logz.io ingests without retagging it
// as `logzio-invalid-log`.
//
// # Layout of a document
//
// Fields are written in this order:
//
//  1. `@timestamp`: the record's Timestamp (ObservedTimestamp when Timestamp is 0) in
//     ISO 8601 UTC with milliseconds and `Z`, e.g. `2023-07-19T21:33:41.000Z`. Omitted
//     when both timestamps are 0 (Logz.io then uses the time it received the line).
//  2. `type`: the document type (Options.DefaultType, or the string attribute
//     `logzio.type` of the record, else of the resource; that attribute is never
//     written as a field).
//  3. The body: a map body's entries become top-level fields with their original
//     names and types; any other body becomes `message` (bytes as a base64 string,
//     a slice as a JSON array, scalars keep their JSON type). An empty body writes
//     nothing.
//  4. The record's attributes, then the resource's attributes.
//  5. `log_level` (SeverityText, else the upper-case name of SeverityNumber),
//     `trace_id` and `span_id` (lower-case hex), each only when set on the record and
//     when no earlier field already has that name.
//
// The instrumentation scope is not written: a Logz.io document describes the event,
// not the library that produced it.
//
// # Name collisions at the top level
//
// Precedence is `@timestamp`/`type` > body > record attributes > resource
// attributes > derived fields (`log_level`, `trace_id`, `span_id`). When two sources
// produce the same (rewritten) name, the field of the higher source is written and the
// other one is left out: e.g. a body field `type` gives way to the document type (the
// listener may otherwise take it as the type), and a resource attribute
// `cloud.region` gives way to a record attribute `cloud.region` or a body field
// `cloud_region`. This keeps a CloudTrail record's own fields unchanged at the top
// level whatever the attributes hold.
//
// # Validity rules (docs/logzio-listeners.md#field-rules)
//
//   - Keys: every `.` is replaced by `_` at every nesting level (`cloud.account.id` →
//     `cloud_account_id`), invalid UTF-8 becomes U+FFFD, and an empty or blank key becomes `_`.
//     A key that needs no rewriting always keeps its name. When a rewritten key
//     collides with another key of the same object, the rewritten key gets the first
//     free suffix `_1`, `_2`, … (keys are visited in map order; for a key at the length
//     limit the suffix replaces its last bytes); nothing is dropped.
//   - Depth: a top-level field's value is level 1 and each enclosing object or array
//     adds one. A map or slice found at level 10 is written as a JSON string holding
//     its (unmodified) JSON, so no document is deeper than 10 levels.
//   - Field count: distinct key paths (objects included, array elements not counted
//     separately) are kept ≤ 1,000. Above that, whole top-level subtrees are written as
//     JSON strings: `requestParameters`, `responseElements`, `additionalEventData` and
//     `serviceEventDetails` first, then the others, largest first, until the document
//     fits. If the top level alone still has too many fields, the whole map body is
//     written as a JSON string in `message` instead; if even that does not fit, the
//     record is dropped with ErrDropped.
//   - Field size: string values (and the JSON strings made from subtrees) longer than
//     32,700 bytes of UTF-8 are cut on a character boundary and end with
//     `...truncated`, the whole value staying within 32,700 bytes. Keys longer than
//     that are cut the same way and end with `_truncated` (a key may not contain a dot).
//   - Line size: a line longer than Options.MaxLineBytes is rebuilt with the longest
//     string values cut first, all to one common length chosen so that the line fits.
//     Strings are never cut below 256 bytes for this; when that is not enough the record
//     is dropped and ErrDropped is returned.
//   - Escaping: control characters, `"` and `\` are escaped and invalid UTF-8 is
//     replaced by U+FFFD, so a line never holds a raw newline.
//   - Numbers: integers are written as integers; doubles in their shortest round-trip
//     form, with `.0` added to integral values so that Elasticsearch keeps mapping
//     them as floating point. JSON cannot hold NaN or infinities: they are written as
//     the strings "NaN", "Infinity" and "-Infinity".
//
// # JSON bodies
//
// A string body in a scope whose attribute JSONBodyAttribute (`logzio.body_format`) is
// JSONBodyFormat (`json`) is the JSON text of an object (the cloudtrails3 receiver's
// pass_through). Its document is the document of the map body with the same members in
// the same order, byte for byte: when one pass over the text finds it compact and
// already written as the rules above would write it (canonical escapes and numbers, no
// key to rewrite or repeated, nothing folded or cut, the field count and line size
// within limits), its members are copied into the line as they stand; otherwise the
// text is decoded into a map (see decodeJSON) and written as a map body. A body that is
// not a JSON object is written as any string body.
//
// Builder is safe for concurrent use; AppendLine writes directly from pdata into the
// caller's buffer and only takes a slower path when a limit is actually hit. AppendRecord
// writes the same line for a record of a resource prepared once (PrepareResource), without
// laying out the attribute fields its records share again for every record.
package document
