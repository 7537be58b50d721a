// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Package bboltcheck tells whether a bbolt database file can be opened safely, without opening it with bbolt.
//
// bbolt trusts its file. Opened read-write with NoFreelistSync (as contrib's file_storage opens it), it walks every
// page reachable from the root in a goroutine of its own and panics there at the first page that is not what the tree
// says ("Page expected to be: 90, but self identifies as 0"); nobody can recover that panic, so the process dies at
// every start. A file shorter than the pages its meta page counts is memory-mapped all the same and the first read
// past its end kills the process with SIGBUS. Check reads the file with plain reads and bounds-checked slices and
// reports those conditions, and any other structural damage, as an error before bbolt sees the file.
//
// The layout read here is bbolt's on-disk format (version 2, go.etcd.io/bbolt v1.3 to v1.5): page headers, meta pages,
// branch and leaf elements, bucket headers and inline buckets, in the byte order of the machine that wrote the file;
// every platform this distribution is built for is little-endian.
package bboltcheck // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/bboltcheck"

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
)

// On-disk constants of bbolt (internal/common in go.etcd.io/bbolt).
const (
	magic           = 0xED0CDAED
	version         = 2
	pageHeaderSize  = 16
	elementSize     = 16 // branch and leaf elements are both 16 bytes
	bucketHeader    = 16 // root page id and sequence
	branchPageFlag  = 0x01
	leafPageFlag    = 0x02
	metaPageFlag    = 0x04
	freelistFlag    = 0x10
	bucketLeafFlag  = 0x01
	noFreelist      = ^uint64(0)
	maxBucketDepth  = 64
	metaChecksumEnd = pageHeaderSize + 56 // the checksum covers the meta fields before it
)

// ErrEmpty is returned for a zero-byte file: bbolt would silently start a new database in it.
var ErrEmpty = errors.New("the file is empty (0 bytes): it holds no data, and opening it starts a new, empty database")

// DamagedError says why a file cannot be opened safely.
type DamagedError struct {
	Path   string
	Reason string
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("%s is not a usable bbolt database: %s", e.Path, e.Reason)
}

// Check returns nil when the file at path is a bbolt database whose reachable pages are all consistent, ErrEmpty
// for a zero-byte file, a *DamagedError when bbolt would refuse, panic or crash on it, and another error when the file
// cannot be read at all.
func Check(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	if info.Size() == 0 {
		return ErrEmpty
	}
	r := &recordingReader{r: f}
	reason := checkFile(r, info.Size())
	if r.err != nil { // not the file's fault (a lock held by another process, an I/O error): no verdict
		return fmt.Errorf("reading %s: %w", path, r.err)
	}
	if reason == "" {
		return nil
	}
	return &DamagedError{Path: path, Reason: reason}
}

// recordingReader remembers the first read error other than reading past the end of the file.
type recordingReader struct {
	r   io.ReaderAt
	err error
}

func (r *recordingReader) ReadAt(p []byte, off int64) (int, error) {
	n, err := r.r.ReadAt(p, off)
	if err != nil && !errors.Is(err, io.EOF) && r.err == nil {
		r.err = err
	}
	return n, err
}

// meta is the part of a meta page the check needs.
type meta struct {
	pageSize uint32
	root     uint64
	freelist uint64
	pgid     uint64
	txid     uint64
}

// checker walks one file. visited has a bit per page of the file.
type checker struct {
	r        io.ReaderAt
	size     int64
	pageSize int64
	pgid     uint64
	visited  []uint64
}

// checkFile returns "" for a sound file, else what is wrong. A malformed structure that slips past the explicit
// checks ends in a bounds-checked slice panic, recovered here and reported as damage.
func checkFile(r io.ReaderAt, size int64) (reason string) {
	defer func() {
		if p := recover(); p != nil {
			reason = fmt.Sprintf("malformed page structure (%v)", p)
		}
	}()
	m, reason := readMeta(r, size)
	if reason != "" {
		return reason
	}
	c := &checker{r: r, size: size, pageSize: int64(m.pageSize), pgid: m.pgid}
	if need := int64(m.pgid) * c.pageSize; m.pgid > uint64(size) || need > size {
		return fmt.Sprintf("the file is truncated: its meta page counts %d pages of %d bytes (%d bytes) but the file has %d bytes", m.pgid, m.pageSize, need, size)
	}
	c.visited = make([]uint64, (m.pgid+63)/64)
	c.mark(0, 1) // the two meta pages
	if m.freelist != noFreelist {
		if reason := c.checkFreelist(m.freelist); reason != "" {
			return reason
		}
	}
	_, reason = c.checkTree(m.root, 0, nil, nil)
	return reason
}

// readMeta returns the meta page bbolt would use: the valid one with the highest transaction id.
func readMeta(r io.ReaderAt, size int64) (meta, string) {
	m0, err0 := readMetaAt(r, size, 0)
	pageSize := int64(os.Getpagesize())
	if err0 == "" {
		pageSize = int64(m0.pageSize)
	}
	m1, err1 := readMetaAt(r, size, pageSize)
	if err1 != "" && err0 != "" {
		// The first meta page is damaged and its page size unknown: try the sizes bbolt is commonly built with.
		for _, ps := range []int64{4096, 16384, 65536} {
			if ps != pageSize {
				if m1, err1 = readMetaAt(r, size, ps); err1 == "" {
					break
				}
			}
		}
	}
	switch {
	case err0 != "" && err1 != "":
		return meta{}, "neither meta page is valid (first: " + err0 + "; second: " + err1 + ")"
	case err0 != "":
		return m1, ""
	case err1 != "":
		return m0, ""
	case m1.txid > m0.txid:
		return m1, ""
	default:
		return m0, ""
	}
}

func readMetaAt(r io.ReaderAt, size, off int64) (meta, string) {
	if off+metaChecksumEnd+8 > size {
		return meta{}, "beyond the end of the file"
	}
	buf := make([]byte, metaChecksumEnd+8)
	if _, err := r.ReadAt(buf, off); err != nil {
		return meta{}, "unreadable: " + err.Error()
	}
	le := binary.LittleEndian
	if flags := le.Uint16(buf[8:]); flags&metaPageFlag == 0 {
		return meta{}, fmt.Sprintf("not a meta page (flags %#x)", flags)
	}
	if le.Uint32(buf[16:]) != magic {
		return meta{}, "no bbolt magic number"
	}
	if v := le.Uint32(buf[20:]); v != version {
		return meta{}, fmt.Sprintf("format version %d (expected %d)", v, version)
	}
	h := fnv.New64a()
	h.Write(buf[pageHeaderSize:metaChecksumEnd])
	if h.Sum64() != le.Uint64(buf[metaChecksumEnd:]) {
		return meta{}, "checksum mismatch"
	}
	m := meta{
		pageSize: le.Uint32(buf[24:]),
		root:     le.Uint64(buf[32:]),
		freelist: le.Uint64(buf[48:]),
		pgid:     le.Uint64(buf[56:]),
		txid:     le.Uint64(buf[64:]),
	}
	if m.pageSize < 1024 || m.pageSize > 1<<20 || m.pageSize&(m.pageSize-1) != 0 {
		return meta{}, fmt.Sprintf("implausible page size %d", m.pageSize)
	}
	return m, ""
}

// mark records pages first..last as reachable.
func (c *checker) mark(first, last uint64) {
	for id := first; id <= last; id++ {
		c.visited[id/64] |= 1 << (id % 64)
	}
}

func (c *checker) seen(id uint64) bool { return c.visited[id/64]&(1<<(id%64)) != 0 }

// readPage reads page id with its overflow pages after checking that they lie inside the database and that no other
// reference reached them before.
func (c *checker) readPage(id uint64, wantFlags uint16) ([]byte, string) {
	if id < 2 || id >= c.pgid {
		return nil, fmt.Sprintf("a reference to page %d, outside the database's pages 2..%d", id, c.pgid-1)
	}
	var hdr [pageHeaderSize]byte
	if _, err := c.r.ReadAt(hdr[:], int64(id)*c.pageSize); err != nil {
		return nil, fmt.Sprintf("page %d is unreadable: %v", id, err)
	}
	le := binary.LittleEndian
	if got := le.Uint64(hdr[0:]); got != id {
		return nil, fmt.Sprintf("page %d identifies itself as page %d (zeroed or overwritten)", id, got)
	}
	// bbolt asserts that exactly one page-type flag is set and nothing else.
	flags := le.Uint16(hdr[8:])
	if flags == 0 || flags&^wantFlags != 0 || flags&(flags-1) != 0 {
		return nil, fmt.Sprintf("page %d has flags %#x where a %s page was expected", id, flags, flagName(wantFlags))
	}
	overflow := uint64(le.Uint32(hdr[12:]))
	last := id + overflow
	if last >= c.pgid {
		return nil, fmt.Sprintf("page %d runs past the database's last page", id)
	}
	for p := id; p <= last; p++ {
		if c.seen(p) {
			return nil, fmt.Sprintf("page %d is referenced twice", p)
		}
	}
	c.mark(id, last)
	buf := make([]byte, int64(overflow+1)*c.pageSize)
	if _, err := c.r.ReadAt(buf, int64(id)*c.pageSize); err != nil {
		return nil, fmt.Sprintf("page %d is unreadable: %v", id, err)
	}
	return buf, ""
}

func flagName(f uint16) string {
	switch f {
	case freelistFlag:
		return "freelist"
	default:
		return "branch or leaf"
	}
}

func (c *checker) checkFreelist(id uint64) string {
	p, reason := c.readPage(id, freelistFlag)
	if reason != "" {
		return "freelist: " + reason
	}
	count := uint64(binary.LittleEndian.Uint16(p[10:]))
	start := uint64(pageHeaderSize)
	if count == 0xFFFF { // the real count is in the first element
		count = binary.LittleEndian.Uint64(p[pageHeaderSize:])
		start += 8
	}
	if count > uint64(len(p)) || start+count*8 > uint64(len(p)) {
		return fmt.Sprintf("freelist page %d counts %d ids, more than it holds", id, count)
	}
	return ""
}

// checkTree walks the B+tree whose root is page id. Keys must be sorted as bbolt's own check (which runs when contrib's
// file_storage opens a file) demands: strictly increasing within a page, not below the key that leads to the page in
// its parent (minKey) and below the parent's next key (maxKey, nil for none). It returns the subtree's largest key.
func (c *checker) checkTree(id uint64, depth int, minKey, maxKey []byte) ([]byte, string) {
	p, reason := c.readPage(id, branchPageFlag|leafPageFlag)
	if reason != "" {
		return nil, reason
	}
	return c.checkNode(p, id, depth, minKey, maxKey)
}

// checkNode checks the elements of a branch or leaf page p (a page of the file, or an inline bucket's page), their
// key order, and walks what they reference.
func (c *checker) checkNode(p []byte, id uint64, depth int, minKey, maxKey []byte) ([]byte, string) {
	le := binary.LittleEndian
	branch := le.Uint16(p[8:]) == branchPageFlag
	count := int(le.Uint16(p[10:]))
	if pageHeaderSize+count*elementSize > len(p) {
		return nil, fmt.Sprintf("page %d counts %d elements, more than it holds", id, count)
	}
	if branch && count == 0 { // bbolt's cursor reads the first element of a branch page unconditionally
		return nil, fmt.Sprintf("branch page %d has no elements", id)
	}
	previous := minKey
	for i := 0; i < count; i++ {
		e := pageHeaderSize + i*elementSize
		var key, value []byte
		if branch {
			pos, ksize := int(le.Uint32(p[e:])), int(le.Uint32(p[e+4:]))
			if pos < 0 || ksize < 0 || e+pos+ksize > len(p) || e+pos+ksize < e {
				return nil, fmt.Sprintf("page %d: key %d lies outside the page", id, i)
			}
			key = p[e+pos : e+pos+ksize]
		} else {
			pos, ksize, vsize := int(le.Uint32(p[e+4:])), int(le.Uint32(p[e+8:])), int(le.Uint32(p[e+12:]))
			end := e + pos + ksize + vsize
			if pos < 0 || ksize < 0 || vsize < 0 || end > len(p) || end < e {
				return nil, fmt.Sprintf("page %d: element %d lies outside the page", id, i)
			}
			key, value = p[e+pos:e+pos+ksize], p[e+pos+ksize:end]
		}
		if reason := keyInOrder(id, i, key, previous, maxKey); reason != "" {
			return nil, reason
		}
		previous = key
		switch {
		case branch:
			next := maxKey
			if i+1 < count {
				n := pageHeaderSize + (i+1)*elementSize
				pos, ksize := int(le.Uint32(p[n:])), int(le.Uint32(p[n+4:]))
				next = p[n+pos : n+pos+ksize]
			}
			last, reason := c.checkTree(le.Uint64(p[e+8:]), depth, key, next)
			if reason != "" {
				return nil, reason
			}
			if last != nil {
				previous = last
			}
		case le.Uint32(p[e:])&bucketLeafFlag != 0:
			if reason := c.checkBucket(value, id, depth+1); reason != "" {
				return nil, reason
			}
		}
	}
	return previous, ""
}

// keyInOrder applies bbolt's key-order rules to element i of page id.
func keyInOrder(id uint64, i int, key, previous, maxKey []byte) string {
	if previous != nil {
		cmp := bytes.Compare(previous, key)
		if cmp > 0 || (i > 0 && cmp == 0) {
			return fmt.Sprintf("page %d: key %d is out of order", id, i)
		}
	}
	if maxKey != nil && bytes.Compare(key, maxKey) >= 0 {
		return fmt.Sprintf("page %d: key %d is not below the next key of its parent page", id, i)
	}
	return ""
}

// checkBucket checks a nested bucket's value: its header and either its root page or its inline page.
func (c *checker) checkBucket(v []byte, parent uint64, depth int) string {
	if depth > maxBucketDepth {
		return fmt.Sprintf("buckets nested deeper than %d levels under page %d", maxBucketDepth, parent)
	}
	if len(v) < bucketHeader {
		return fmt.Sprintf("page %d: a bucket header of %d bytes", parent, len(v))
	}
	if root := binary.LittleEndian.Uint64(v); root != 0 {
		_, reason := c.checkTree(root, depth, nil, nil)
		return reason
	}
	inline := v[bucketHeader:]
	if len(inline) < pageHeaderSize {
		return fmt.Sprintf("page %d: an inline bucket without a page header", parent)
	}
	if flags := binary.LittleEndian.Uint16(inline[8:]); flags != leafPageFlag {
		return fmt.Sprintf("page %d: an inline bucket whose page is not a leaf (flags %#x)", parent, flags)
	}
	_, reason := c.checkNode(inline, parent, depth, nil, nil)
	return reason
}
