// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package faults

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/testpeers"
)

// results gathers the table rows of every scenario; TestMain prints the table and writes it to build/faults/.
var results Results

func TestMain(m *testing.M) {
	started := time.Now()
	code := m.Run()
	scale, err := CurrentScale()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if results.Len() == 0 {
		os.Exit(code) // only the helpers' own tests ran: keep the last table
	}
	table := results.Markdown(scale.Name, started)
	fmt.Println(table)
	if root, ok := testpeers.RepoRoot(); ok {
		path, err := results.Write(filepath.Join(root, "build", "faults"), scale.Name, started)
		if err != nil {
			fmt.Fprintf(os.Stderr, "writing the fault table: %v\n", err)
		} else {
			fmt.Printf("fault table written to %s\n", path)
		}
	}
	os.Exit(code)
}
