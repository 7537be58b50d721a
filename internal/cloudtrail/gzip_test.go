// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail

import (
	"io"

	"github.com/klauspost/compress/gzip"
)

func gzipWriter(w io.Writer) *gzip.Writer { return gzip.NewWriter(w) }
