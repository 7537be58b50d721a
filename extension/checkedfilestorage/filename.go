// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package checkedfilestorage // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/extension/checkedfilestorage"

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"go.opentelemetry.io/collector/component"
)

// The names below are those contrib's file_storage (v0.161.0, extension.go) gives its files; TestFileNamesMatchContrib
// has contrib create each kind of file and checks that these functions find it.

// fileNames returns the paths file_storage may use for a client: the sanitized name, and the hashed name it falls
// back to when the first is too long for the file system.
func fileNames(kind component.Kind, id component.ID, name string) (plain, hashed string) {
	raw := fmt.Sprintf("%s_%s_%s", kindString(kind), id.Type(), id.Name())
	if name != "" {
		raw += "_" + name
	}
	raw = sanitize(raw)
	sum := sha256.Sum256([]byte(raw))
	return raw, hex.EncodeToString(sum[:])
}

func kindString(k component.Kind) string {
	switch k {
	case component.KindReceiver:
		return "receiver"
	case component.KindProcessor:
		return "processor"
	case component.KindExporter:
		return "exporter"
	case component.KindExtension:
		return "extension"
	case component.KindConnector:
		return "connector"
	default:
		return "other"
	}
}

// sanitize writes every character outside [A-Za-z0-9._-] as ~ and its four-digit hex code point.
func sanitize(name string) string {
	var b strings.Builder
	for _, r := range name {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-' {
			b.WriteRune(r)
		} else {
			fmt.Fprintf(&b, "~%04X", r)
		}
	}
	return b.String()
}
