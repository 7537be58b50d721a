// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package logziotest // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/logziotest"

import (
	"fmt"
	"strings"
)

type fieldProblem struct {
	rule   string
	detail string
}

// checkFields applies the field rules of docs/logzio-listeners.md#field-rules with their conservative readings:
//   - no '.' in any key at any level;
//   - depth ≤ 10, a top-level field's value being level 1 and each enclosing object or array adding one;
//   - ≤ 1,000 distinct key paths, objects included, array elements not counted separately;
//   - keys and string values ≤ 32,700 bytes.
func checkFields(doc map[string]any) []fieldProblem {
	w := fieldWalker{paths: map[string]struct{}{}}
	for key, value := range doc {
		w.key(key, key)
		w.value(key, value, 1)
	}
	if len(w.paths) > MaxFields {
		w.add("MAX_FIELDS_NUMBER", fmt.Sprintf("%d fields > %d", len(w.paths), MaxFields))
	}
	if w.maxDepth > MaxDepth {
		w.add("MAX_JSON_DEPTH", fmt.Sprintf("depth %d > %d", w.maxDepth, MaxDepth))
	}
	return w.problems
}

type fieldWalker struct {
	paths    map[string]struct{}
	maxDepth int
	problems []fieldProblem
}

func (w *fieldWalker) add(rule, detail string) {
	w.problems = append(w.problems, fieldProblem{rule: rule, detail: detail})
}

func (w *fieldWalker) key(path, key string) {
	w.paths[path] = struct{}{}
	if strings.Contains(key, ".") {
		w.add("ARRAY_INDEX_OUT_OF_BOUNDS_EXCEPTION", fmt.Sprintf("key %q at %q contains a dot", key, path))
	}
	if len(key) > MaxFieldBytes {
		w.add("MAX_FIELD_KEY_SIZE", fmt.Sprintf("key at %q is %d bytes > %d", shortPath(path), len(key), MaxFieldBytes))
	}
}

// value walks a value found at path, at the given level.
func (w *fieldWalker) value(path string, value any, level int) {
	w.maxDepth = max(w.maxDepth, level)
	switch v := value.(type) {
	case map[string]any:
		for key, child := range v {
			childPath := path + "\x00" + key
			w.key(childPath, key)
			w.value(childPath, child, level+1)
		}
	case []any:
		for _, element := range v {
			// Array elements share their array's path: only their keys add paths.
			w.value(path, element, level+1)
		}
	case string:
		if len(v) > MaxFieldBytes {
			w.add("INVALID_FIELD_VALUE_LENGTH", fmt.Sprintf("value at %q is %d bytes > %d", shortPath(path), len(v), MaxFieldBytes))
		}
	}
}

func shortPath(path string) string {
	path = strings.ReplaceAll(path, "\x00", "/")
	if len(path) > 120 {
		return path[:120] + "..."
	}
	return path
}
