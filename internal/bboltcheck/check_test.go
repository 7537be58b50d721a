// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package bboltcheck

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.etcd.io/bbolt"
)

// contribOptions are the options contrib's file_storage (v0.161.0, client.go) opens its files with.
var contribOptions = &bbolt.Options{NoFreelistSync: true, FreelistType: bbolt.FreelistMapType}

// writeDB creates a database like the ones file_storage writes (one bucket, keys of many sizes, some values larger
// than a page so that overflow pages exist) plus a nested bucket and an inline one, and returns its path and the root
// page of the big bucket.
func writeDB(t testing.TB, opts *bbolt.Options) (string, uint64) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "receiver_cloudtrails3_")
	db, err := bbolt.Open(path, 0o600, opts)
	if err != nil {
		t.Fatal(err)
	}
	var root uint64
	err = db.Update(func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte("default"))
		if err != nil {
			return err
		}
		for i := 0; i < 2000; i++ {
			v := []byte(strings.Repeat("v", i%300))
			if i%500 == 0 {
				v = []byte(strings.Repeat("big", 5000)) // an overflow page
			}
			if err := b.Put([]byte(fmt.Sprintf("position/%06d", i)), v); err != nil {
				return err
			}
		}
		nested, err := b.CreateBucket([]byte("nested"))
		if err != nil {
			return err
		}
		for i := 0; i < 500; i++ {
			if err := nested.Put([]byte(fmt.Sprintf("k%04d", i)), []byte("value")); err != nil {
				return err
			}
		}
		inline, err := b.CreateBucket([]byte("small"))
		if err != nil {
			return err
		}
		return inline.Put([]byte("k"), []byte("v"))
	})
	if err != nil {
		t.Fatal(err)
	}
	// Delete some keys in a second transaction so that freed pages exist.
	err = db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket([]byte("default"))
		for i := 0; i < 2000; i += 3 {
			if err := b.Delete([]byte(fmt.Sprintf("position/%06d", i))); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The root after the commit (a write transaction copies the pages it changes, so it must be read afterwards).
	_ = db.View(func(tx *bbolt.Tx) error {
		root = uint64(tx.Bucket([]byte("default")).Root())
		return nil
	})
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path, root
}

func pageSize() int64 { return int64(os.Getpagesize()) }

func zeroPage(t testing.TB, path string, id uint64) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(make([]byte, pageSize()), int64(id)*pageSize()); err != nil {
		t.Fatal(err)
	}
}

func TestSoundDatabases(t *testing.T) {
	for name, opts := range map[string]*bbolt.Options{"contrib options": contribOptions, "freelist synced": nil} {
		t.Run(name, func(t *testing.T) {
			path, _ := writeDB(t, opts)
			if err := Check(path); err != nil {
				t.Fatalf("a database bbolt just wrote is reported damaged: %v", err)
			}
		})
	}
}

func TestNewDatabaseIsSound(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new")
	db, err := bbolt.Open(path, 0o600, contribOptions)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := Check(path); err != nil {
		t.Fatalf("an empty bbolt database is reported damaged: %v", err)
	}
}

func TestDamage(t *testing.T) {
	cases := []struct {
		name   string
		damage func(t *testing.T, path string, root uint64)
		want   string
	}{
		{"zeroed root page", func(t *testing.T, path string, root uint64) { zeroPage(t, path, root) }, "identifies itself as page 0"},
		{"truncated", func(t *testing.T, path string, _ uint64) {
			if err := os.Truncate(path, 3*pageSize()); err != nil {
				t.Fatal(err)
			}
		}, "truncated"},
		{"both meta pages zeroed", func(t *testing.T, path string, _ uint64) {
			zeroPage(t, path, 0)
			zeroPage(t, path, 1)
		}, "neither meta page is valid"},
		{"garbage", func(t *testing.T, path string, _ uint64) {
			if err := os.WriteFile(path, []byte(strings.Repeat("not a database\n", 1000)), 0o600); err != nil {
				t.Fatal(err)
			}
		}, "neither meta page is valid"},
		{"keys out of order", func(t *testing.T, path string, root uint64) {
			swapFirstTwoLeafKeys(t, path, root)
		}, "out of order"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path, root := writeDB(t, contribOptions)
			tc.damage(t, path, root)
			err := Check(path)
			var damaged *DamagedError
			if !errors.As(err, &damaged) {
				t.Fatalf("Check = %v, want a DamagedError", err)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
				t.Fatalf("error %q does not say %q and name the file", err, tc.want)
			}
		})
	}
}

// swapFirstTwoLeafKeys finds the first leaf page under the branch page root (following first children) and swaps the first byte that differs
// between its first two keys, which breaks the key order without touching the structure.
func swapFirstTwoLeafKeys(t *testing.T, path string, root uint64) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ps := pageSize()
	page := func(id uint64) []byte { return data[int64(id)*ps : int64(id+1)*ps] }
	le := func(b []byte) uint64 { return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 }
	leaf := page(root)
	if leaf[8]&branchPageFlag == 0 {
		t.Fatalf("root page %d is not a branch page", root)
	}
	for leaf[8]&branchPageFlag != 0 { // down the first child to a leaf
		leaf = page(le(leaf[pageHeaderSize+8:]) | le(leaf[pageHeaderSize+12:])<<32)
	}
	k0pos := pageHeaderSize + int(le(leaf[pageHeaderSize+4:]))
	k1pos := pageHeaderSize + elementSize + int(le(leaf[pageHeaderSize+elementSize+4:]))
	for i := 0; ; i++ {
		if leaf[k0pos+i] != leaf[k1pos+i] {
			leaf[k0pos+i], leaf[k1pos+i] = leaf[k1pos+i], leaf[k0pos+i]
			break
		}
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestEmptyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "empty")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Check(path); !errors.Is(err, ErrEmpty) {
		t.Fatalf("Check = %v, want ErrEmpty", err)
	}
}

func TestMissingFile(t *testing.T) {
	if err := Check(filepath.Join(t.TempDir(), "absent")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Check = %v, want os.ErrNotExist", err)
	}
}

// TestBboltCrashesOnWhatCheckRefuses shows why the check exists: opened the way file_storage opens it, a file with a
// zeroed page or cut short kills the process (a panic in a goroutine of bbolt's, or SIGBUS), which no caller can
// recover. Each case runs bbolt in a child process.
func TestBboltCrashesOnWhatCheckRefuses(t *testing.T) {
	if path := os.Getenv("BBOLTCHECK_OPEN"); path != "" {
		db, err := bbolt.Open(path, 0o600, contribOptions)
		if err == nil {
			_ = db.View(func(tx *bbolt.Tx) error {
				return tx.ForEach(func(_ []byte, b *bbolt.Bucket) error { return b.ForEach(func(_, _ []byte) error { return nil }) })
			})
			db.Close()
		}
		fmt.Println("bbolt survived:", err)
		return
	}
	for name, damage := range map[string]func(t *testing.T, path string, root uint64){
		"zeroed root page": func(t *testing.T, path string, root uint64) { zeroPage(t, path, root) },
		"truncated": func(t *testing.T, path string, _ uint64) {
			if err := os.Truncate(path, 3*pageSize()); err != nil {
				t.Fatal(err)
			}
		},
	} {
		t.Run(name, func(t *testing.T) {
			path, root := writeDB(t, contribOptions)
			damage(t, path, root)
			if Check(path) == nil {
				t.Fatal("Check accepts the damaged file")
			}
			cmd := exec.Command(os.Args[0], "-test.run=^TestBboltCrashesOnWhatCheckRefuses$")
			cmd.Env = append(os.Environ(), "BBOLTCHECK_OPEN="+path)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("bbolt opened the damaged file without crashing; the check may be stricter than needed:\n%s", out)
			}
			t.Logf("bbolt on the damaged file: %v; %s", err, firstLine(string(out)))
		})
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// FuzzCheck damages a sound database at random: Check must never panic, and whatever it accepts bbolt must open and
// read (a crash of the fuzzing process there is a file Check should have refused).
func FuzzCheck(f *testing.F) {
	path, _ := writeDB(f, contribOptions)
	sound, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(uint32(0), []byte{0})
	f.Add(uint32(pageSize()*3+10), []byte{0xff, 0xff})
	f.Fuzz(func(t *testing.T, offset uint32, patch []byte) {
		data := append([]byte(nil), sound...)
		off := int(offset) % len(data)
		copy(data[off:], patch)
		p := filepath.Join(t.TempDir(), "db")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		if Check(p) != nil {
			return
		}
		db, err := bbolt.Open(p, 0o600, &bbolt.Options{NoFreelistSync: true, FreelistType: bbolt.FreelistMapType, ReadOnly: false})
		if err != nil {
			return
		}
		defer db.Close()
		_ = db.View(func(tx *bbolt.Tx) error {
			return tx.ForEach(func(_ []byte, b *bbolt.Bucket) error { return b.ForEach(func(_, _ []byte) error { return nil }) })
		})
	})
}
