// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package logzioexporter // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/exporter/logzioexporter"

import (
	"errors"
	"net/url"
	"strings"
)

// redacted replaces a secret wherever the exporter could otherwise print it.
const redacted = "REDACTED"

// redactURL returns rawURL with the value of its token query parameter replaced.
// The log listener takes its token in the query string, so every URL the exporter prints goes through here.
func redactURL(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "(unparsable URL)"
	}
	q := u.Query()
	if q.Has("token") {
		q.Set("token", redacted)
		u.RawQuery = q.Encode()
	}
	if u.User != nil {
		u.User = url.User(redacted)
	}
	return u.String()
}

// redactError returns err with every secret removed from its message.
// An *url.Error returned by http.Client carries the request URL, token included: its URL is redacted
// and the error chain below it (net.OpError, context errors) is kept so callers can still inspect it.
// Any other error whose text still contains a secret is replaced by a plain error with the secret masked.
func redactError(err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	if urlErr, ok := err.(*url.Error); ok {
		err = &url.Error{Op: urlErr.Op, URL: redactURL(urlErr.URL), Err: urlErr.Err}
	}
	msg := err.Error()
	if masked := maskSecrets(msg, secrets...); masked != msg {
		return errors.New(masked)
	}
	return err
}

// maskSecrets returns text with every occurrence of a secret replaced.
func maskSecrets(text string, secrets ...string) string {
	for _, secret := range secrets {
		if secret != "" {
			text = strings.ReplaceAll(text, secret, redacted)
		}
	}
	return text
}
