// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package pipelineerr

import (
	"errors"
	"fmt"
	"testing"

	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/pdata/plog"
)

func TestConfigurationSurvivesTheCollectorsWrappers(t *testing.T) {
	base := errors.New("the listener refused the token")
	marked := consumererror.NewPermanent(Configuration(base))
	for name, err := range map[string]error{
		"permanent":          marked,
		"fmt wrapped":        fmt.Errorf("exporting: %w", marked),
		"consumererror.Logs": consumererror.NewLogs(marked, plog.NewLogs()),
		"joined":             errors.Join(errors.New("other"), marked),
	} {
		if !IsConfiguration(err) {
			t.Errorf("%s: the mark is lost", name)
		}
		if !consumererror.IsPermanent(err) {
			t.Errorf("%s: no longer permanent", name)
		}
		if !errors.Is(err, base) {
			t.Errorf("%s: the cause is lost", name)
		}
	}
	if IsConfiguration(consumererror.NewPermanent(base)) || IsConfiguration(nil) || Configuration(nil) != nil {
		t.Error("an unmarked error counts as a configuration error")
	}
	if got := Configuration(base).Error(); got != base.Error() {
		t.Errorf("message %q, want the cause's", got)
	}
}
