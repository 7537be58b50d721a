// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrailtest"
)

// decodeTapped runs DecodeHoldingLast with a Tap that collects the decompressed bytes.
func decodeTapped(t *testing.T, opts Options, r io.Reader) (decompressed []byte, tap *Tap, st Stats, err error) {
	t.Helper()
	var seen bytes.Buffer
	tap = &Tap{Decompressed: &seen}
	st, _, err = NewDecoder(opts).DecodeHoldingLast(context.Background(), r, testObject, testObserved, tap, func(plog.Logs) error { return nil })
	return seen.Bytes(), tap, st, err
}

func gzipped(t *testing.T, members ...[]byte) []byte {
	t.Helper()
	var out bytes.Buffer
	for _, m := range members {
		w := gzipWriter(&out)
		_, err := w.Write(m)
		require.NoError(t, err)
		require.NoError(t, w.Close())
	}
	return out.Bytes()
}

// TestTapSeesTheWholeDecompressedObject: the Tap is told every decompressed byte once, whitespace after the JSON
// document included, whatever the records become (event selection drops some here), and the stored size.
func TestTapSeesTheWholeDecompressedObject(t *testing.T) {
	content := append(cloudtrailtest.Body(7, 300, "123456789012", "us-east-1", genStart), " \n\n"...)
	sel, err := NewSelector(SelectionConfig{Exclude: []EventRule{{ReadOnly: new(bool)}}})
	require.NoError(t, err)
	for name, object := range map[string][]byte{
		"gzip":            gzipped(t, content),
		"plain JSON":      content,
		"multi-member gz": gzipped(t, content[:10], content[10:]),
	} {
		for _, opts := range []Options{{}, {Selection: sel}, {PassThrough: true}} {
			t.Run(name, func(t *testing.T) {
				seen, tap, st, err := decodeTapped(t, opts, bytes.NewReader(object))
				require.NoError(t, err)
				assert.Equal(t, content, seen)
				assert.Equal(t, int64(len(object)), tap.ObjectBytes)
				assert.Equal(t, int64(len(content)), st.DecompressedBytes)
			})
		}
	}
}

// TestReadErrorsAreClassifiedOnce: a failing object reader is ErrObjectRead (gzip or not, before or after the first
// byte), bad or truncated gzip data is ErrCorrupt, and the Tap learns how much was read either way.
func TestReadErrorsAreClassifiedOnce(t *testing.T) {
	errConn := errors.New("connection reset by peer")
	file := cloudtrailtest.File(10, 300, "123456789012", "us-east-1", genStart)
	body := cloudtrailtest.Body(10, 300, "123456789012", "us-east-1", genStart)
	for name, data := range map[string][]byte{"gzip": file[:len(file)/2], "plain": body[:len(body)/2], "before any byte": nil, "gzip header": file[:5]} {
		t.Run("broken/"+name, func(t *testing.T) {
			_, tap, _, err := decodeTapped(t, Options{}, &errReader{data: data, err: errConn})
			require.ErrorIs(t, err, ErrObjectRead)
			require.ErrorIs(t, err, errConn)
			assert.NotErrorIs(t, err, ErrCorrupt)
			assert.Equal(t, int64(len(data)), tap.ObjectBytes)
		})
	}
	for name, data := range map[string][]byte{"not gzip": []byte("\x1f\x8bnot gzip"), "truncated gzip": file[:len(file)/2], "empty": nil} {
		t.Run("corrupt/"+name, func(t *testing.T) {
			_, tap, _, err := decodeTapped(t, Options{}, bytes.NewReader(data))
			require.ErrorIs(t, err, ErrCorrupt)
			assert.NotErrorIs(t, err, ErrObjectRead)
			assert.Equal(t, int64(len(data)), tap.ObjectBytes)
		})
	}
}

// TestTapIsNotKeptByThePool: a decode without a Tap after one with it does not write to the old Tap.
func TestTapIsNotKeptByThePool(t *testing.T) {
	file := cloudtrailtest.File(3, 20, "123456789012", "us-east-1", genStart)
	d := NewDecoder(Options{})
	var seen bytes.Buffer
	tap := &Tap{Decompressed: &seen}
	_, _, err := d.DecodeHoldingLast(context.Background(), bytes.NewReader(file), testObject, testObserved, tap, func(plog.Logs) error { return nil })
	require.NoError(t, err)
	n := seen.Len()
	_, err = d.Decode(context.Background(), bytes.NewReader(file), testObject, testObserved, func(plog.Logs) error { return nil })
	require.NoError(t, err)
	assert.Equal(t, n, seen.Len())
	assert.Equal(t, int64(len(file)), tap.ObjectBytes)
}
