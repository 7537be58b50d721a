// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package inflate

import (
	"bytes"
	stdflate "compress/flate"
	stdgzip "compress/gzip"
	"errors"
	"io"
	"math/rand"
	"testing"
	"testing/iotest"
	"time"

	kgzip "github.com/klauspost/compress/gzip"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrailtest"
)

func gzipWith(t testing.TB, content []byte, level int, klauspost bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	if klauspost {
		zw, err := kgzip.NewWriterLevel(&buf, level)
		require.NoError(t, err)
		_, err = zw.Write(content)
		require.NoError(t, err)
		require.NoError(t, zw.Close())
	} else {
		zw, err := stdgzip.NewWriterLevel(&buf, level)
		require.NoError(t, err)
		zw.Name = "trail.json"
		zw.Comment = "a comment"
		zw.Extra = []byte("extra field")
		_, err = zw.Write(content)
		require.NoError(t, err)
		require.NoError(t, zw.Close())
	}
	return buf.Bytes()
}

// contents are the kinds of data the decoder must handle: empty, tiny, trail files, incompressible, long runs.
func contents() map[string][]byte {
	random := make([]byte, 300<<10)
	rand.New(rand.NewSource(1)).Read(random)
	runs := bytes.Repeat([]byte("a"), 200<<10)
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	return map[string][]byte{
		"empty":      nil,
		"one byte":   []byte("x"),
		"short text": []byte(`{"Records":[]}`),
		"trail 3":    cloudtrailtest.Body(1, 3, "111122223333", "us-east-1", start),
		"trail 2000": cloudtrailtest.Body(2, 2000, "111122223333", "eu-west-1", start),
		"random":     random,
		"runs":       runs,
		"mixed":      append(append(append([]byte{}, random[:70<<10]...), runs[:100<<10]...), random[100<<10:]...),
	}
}

// readAll reads r to its end through reads of the given size.
func readAll(r io.Reader, size int) ([]byte, error) {
	var out []byte
	buf := make([]byte, size)
	for {
		n, err := r.Read(buf)
		out = append(out, buf[:n]...)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
	}
}

// decodeOurs decodes a whole gzip stream with this package.
func decodeOurs(compressed []byte, readSize int, wrap func(io.Reader) io.Reader) ([]byte, error) {
	z, err := NewReader(wrap(bytes.NewReader(compressed)))
	if err != nil {
		return nil, err
	}
	return readAll(z, readSize)
}

// decodeKlauspost decodes a whole gzip stream the way the decoder did before this package.
func decodeKlauspost(compressed []byte) ([]byte, error) {
	z, err := kgzip.NewReader(bytes.NewReader(compressed))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(z)
}

func identity(r io.Reader) io.Reader { return r }

// decodeKeeping decodes a whole gzip stream with Next, keeping every chunk, and returns them joined only at the end:
// the chunks must not have been written over meanwhile.
func decodeKeeping(compressed []byte) ([]byte, error) {
	z, err := NewReader(bytes.NewReader(compressed))
	if err != nil {
		return nil, err
	}
	var chunks [][]byte
	for {
		b, err := z.Next()
		if err == io.EOF {
			return bytes.Join(chunks, nil), nil
		}
		if err != nil {
			return bytes.Join(chunks, nil), err
		}
		chunks = append(chunks, b)
		z.Keep()
	}
}

func TestDecodesWhatCompressorsWrite(t *testing.T) {
	levels := []int{stdflate.HuffmanOnly, stdflate.NoCompression, stdflate.BestSpeed, 2, 5, stdflate.DefaultCompression, stdflate.BestCompression}
	wraps := map[string]func(io.Reader) io.Reader{
		"whole":     identity,
		"one byte":  iotest.OneByteReader,
		"half":      iotest.HalfReader,
		"data+EOF":  iotest.DataErrReader,
		"3 bytes":   func(r io.Reader) io.Reader { return &chunkReader{r: r, n: 3} },
		"4099 byte": func(r io.Reader) io.Reader { return &chunkReader{r: r, n: 4099} },
	}
	for name, content := range contents() {
		for _, level := range levels {
			for _, klauspost := range []bool{false, true} {
				if klauspost && level == stdflate.HuffmanOnly {
					continue
				}
				compressed := gzipWith(t, content, level, klauspost)
				for wrapName, wrap := range wraps {
					for _, readSize := range []int{1, 7, 64 << 10} {
						if readSize == 1 && len(content) > 10<<10 || wrapName == "one byte" && len(compressed) > 50<<10 {
							continue
						}
						got, err := decodeOurs(compressed, readSize, wrap)
						require.NoError(t, err, "%s, level %d, klauspost %v, %s, reads of %d", name, level, klauspost, wrapName, readSize)
						require.True(t, bytes.Equal(content, got), "%s, level %d, klauspost %v, %s, reads of %d: output differs", name, level, klauspost, wrapName, readSize)
					}
				}
			}
		}
	}
}

type chunkReader struct {
	r io.Reader
	n int
}

func (c *chunkReader) Read(p []byte) (int, error) { return c.r.Read(p[:min(len(p), c.n)]) }

func TestMembersAreReadInTurn(t *testing.T) {
	a := []byte(`{"Records":[{"eventName":"A"}]}`)
	b := bytes.Repeat([]byte(`{"eventName":"B"}`), 5000)
	stream := append(gzipWith(t, a, 6, false), gzipWith(t, b, 1, true)...)
	stream = append(stream, gzipWith(t, nil, 6, false)...)
	got, err := decodeOurs(stream, 4096, identity)
	require.NoError(t, err)
	assert.Equal(t, append(append([]byte{}, a...), b...), got)
}

func TestEmptyInputIsEOF(t *testing.T) {
	_, err := NewReader(bytes.NewReader(nil))
	assert.ErrorIs(t, err, io.EOF)
	_, err = NewReader(bytes.NewReader([]byte{0x1f, 0x8b, 8}))
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	_, err = NewReader(bytes.NewReader([]byte("{\"Records\":[]}")))
	assert.ErrorIs(t, err, ErrHeader)
}

// TestDamageIsRefusedAsKlauspostRefusesIt cuts and flips the stream everywhere and holds the Reader to
// klauspost/compress: the same bytes when it reads the stream, an error when it refuses it.
func TestDamageIsRefusedAsKlauspostRefusesIt(t *testing.T) {
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	content := cloudtrailtest.Body(3, 4, "111122223333", "us-east-1", start)
	for _, level := range []int{stdflate.HuffmanOnly, 0, 1, 6, 9} {
		compressed := gzipWith(t, content, level, false)
		for cut := 0; cut < len(compressed); cut++ {
			compare(t, compressed[:cut])
		}
		rng := rand.New(rand.NewSource(int64(level)))
		for i := 0; i < 3000; i++ {
			damaged := append([]byte{}, compressed...)
			damaged[rng.Intn(len(damaged))] ^= 1 << rng.Intn(8)
			compare(t, damaged)
		}
	}
}

func compare(t *testing.T, stream []byte) {
	t.Helper()
	want, wantErr := decodeKlauspost(stream)
	got, err := decodeOurs(stream, 1000, identity)
	if wantErr != nil {
		require.Error(t, err, "klauspost refuses %q (%v); this package reads it", short(stream), wantErr)
		return
	}
	require.NoError(t, err, "klauspost reads %q (%d bytes); this package refuses it", short(stream), len(stream))
	require.True(t, bytes.Equal(want, got), "output differs for %q", short(stream))
	kept, err := decodeKeeping(stream)
	require.NoError(t, err)
	require.True(t, bytes.Equal(want, kept), "output read with Next and Keep differs for %q", short(stream))
}

// short is what a failure message shows of a stream: its start.
func short(stream []byte) []byte { return stream[:min(len(stream), 64)] }

func TestChecksumAndLengthAreChecked(t *testing.T) {
	compressed := gzipWith(t, []byte("hello, trail"), 6, false)
	crc := append([]byte{}, compressed...)
	crc[len(crc)-8] ^= 1
	_, err := decodeOurs(crc, 100, identity)
	assert.ErrorIs(t, err, ErrChecksum)
	size := append([]byte{}, compressed...)
	size[len(size)-1] ^= 1
	_, err = decodeOurs(size, 100, identity)
	assert.ErrorIs(t, err, ErrChecksum)
	_, err = decodeOurs(compressed[:len(compressed)-3], 100, identity)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	_, err = decodeOurs(append(append([]byte{}, compressed...), 0, 0), 100, identity)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF, "two bytes after the member start a header that ends early")
	_, err = decodeOurs(append(append([]byte{}, compressed...), bytes.Repeat([]byte{0}, 20)...), 100, identity)
	assert.ErrorIs(t, err, ErrHeader)
}

func TestReaderErrorsPassThrough(t *testing.T) {
	compressed := gzipWith(t, bytes.Repeat([]byte("trail "), 100000), 6, false)
	broken := errors.New("connection reset")
	r := io.MultiReader(bytes.NewReader(compressed[:len(compressed)/2]), iotest.ErrReader(broken))
	z, err := NewReader(r)
	require.NoError(t, err)
	_, err = io.ReadAll(z)
	assert.ErrorIs(t, err, broken)
}

func TestCorruptErrorSaysWhere(t *testing.T) {
	// A final compressed block with the reserved block type 3.
	stream := append([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}, 0x07, 0, 0, 0, 0, 0, 0, 0, 0)
	_, err := decodeOurs(stream, 100, identity)
	var corrupt *CorruptError
	require.ErrorAs(t, err, &corrupt)
	assert.Contains(t, err.Error(), "reserved block type")
	assert.Equal(t, int64(10), corrupt.Offset)
}

func TestResetReusesTheReader(t *testing.T) {
	z := new(Reader)
	for name, content := range contents() {
		require.NoError(t, z.Reset(bytes.NewReader(gzipWith(t, content, 6, true))), name)
		got, err := io.ReadAll(z)
		require.NoError(t, err, name)
		require.True(t, bytes.Equal(content, got), name)
	}
}

// Next hands out the Reader's own buffer; bytes given to the caller with Keep are never written over, the others are
// valid until the next call.
func TestNextAndKeep(t *testing.T) {
	for name, content := range contents() {
		compressed := gzipWith(t, content, 6, false)
		for _, keep := range []bool{false, true} {
			z, err := NewReader(bytes.NewReader(append(append([]byte{}, compressed...), compressed...)))
			require.NoError(t, err, name)
			var kept [][]byte
			var copied []byte
			for {
				b, err := z.Next()
				if err == io.EOF {
					require.Empty(t, b)
					break
				}
				require.NoError(t, err, name)
				require.NotEmpty(t, b, name)
				require.Equal(t, len(b), cap(b), "%s: the caller cannot append into the Reader's buffer", name)
				copied = append(copied, b...)
				if keep {
					kept = append(kept, b)
					z.Keep()
				}
			}
			want := append(append([]byte{}, content...), content...)
			require.True(t, bytes.Equal(want, copied), name)
			if keep {
				require.True(t, bytes.Equal(want, bytes.Join(kept, nil)), "%s: bytes kept were written over", name)
				// A Reset after Keep does not write over them either.
				require.NoError(t, z.Reset(bytes.NewReader(gzipWith(t, bytes.Repeat([]byte{'z'}, 300<<10), 1, true))))
				_, err = io.ReadAll(z)
				require.NoError(t, err)
				require.True(t, bytes.Equal(want, bytes.Join(kept, nil)), "%s: bytes kept were written over after Reset", name)
			}
		}
	}
}
