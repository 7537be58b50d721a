// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Package inflate decompresses gzip (RFC 1952) streams of DEFLATE (RFC 1951) data for the CloudTrail decoder, the
// collector's largest single cost after compressing what it sends: gunzipping a trail log file took a quarter of the
// binary's CPU with github.com/klauspost/compress/gzip.
//
// It decodes the same streams to the same bytes and refuses the same damaged ones as compress/gzip and klauspost's
// gzip (differential tests and FuzzReader hold it to both), but decodes faster:
//   - it reads the input a 64-bit word at a time into a bit buffer that always holds the longest symbol (a length
//     code, its extra bits, a distance code and its extra bits: 48 bits), instead of a byte at a time;
//   - its Huffman tables are two-level lookup tables that give a symbol's meaning (literal, length or distance base
//     and extra bits) in one load for codes up to 10 (literal/length) or 8 (distance) bits;
//   - it decodes up to three literals per refill;
//   - it writes into a flat buffer that keeps the 32 KiB window in front of what it decodes, copying a short match as
//     32 bytes at once whatever its length (no loop whose exit the processor mispredicts) and a long one that does not
//     overlap itself with one memmove;
//   - it hands its output out in place (Next), so the CloudTrail decoder does not copy it: bytes the caller keeps
//     (Keep) are never written over: decoding continues in a new buffer, and the matches that reach back before it
//     read the old one (no window to copy).
//
// BenchmarkGunzip, beside the code, measures it against klauspost/compress on a CloudTrail file: 1,370 against
// 870 MB/s of decompressed output on the 2-core test machine. It is worth its code only while it stays clearly ahead.
package inflate // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/inflate"
