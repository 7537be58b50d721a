// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package logziotest

import (
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecidedAnswers(t *testing.T) {
	l := New(t, Options{Tokens: []string{testToken}})
	var mu sync.Mutex
	var asked []int
	l.Script(Answer{Status: http.StatusBadGateway})
	l.Decide(func(n int) *Answer {
		mu.Lock()
		defer mu.Unlock()
		asked = append(asked, n)
		if n%2 == 0 {
			return &Answer{Status: http.StatusServiceUnavailable, Header: http.Header{"Retry-After": {"3"}}}
		}
		return nil
	})
	l.Always(&Answer{Status: http.StatusTooManyRequests})
	body := "{\"n\":1}\n"

	assert.Equal(t, http.StatusBadGateway, post(t, l, tokenAndType("t"), body, true).status, "1: Script comes first")
	r := post(t, l, tokenAndType("t"), body, true)
	assert.Equal(t, http.StatusServiceUnavailable, r.status, "2: decided")
	assert.Equal(t, "3", r.header.Get("Retry-After"))
	assert.Equal(t, http.StatusTooManyRequests, post(t, l, tokenAndType("t"), body, true).status, "3: nil falls back to Always")
	l.Always(nil)
	assert.Equal(t, http.StatusServiceUnavailable, post(t, l, tokenAndType("t"), body, true).status, "4: decided")
	assert.Equal(t, http.StatusOK, post(t, l, tokenAndType("t"), body, true).status, "5: nil is the normal processing")
	assert.Equal(t, http.StatusUnauthorized, post(t, l, url.Values{"token": {"wrong"}}, body, true).status,
		"6: a decided answer does not let a wrong token in")
	l.Decide(nil)
	assert.Equal(t, http.StatusOK, post(t, l, tokenAndType("t"), body, true).status, "7: Decide(nil) removes fn")

	mu.Lock()
	assert.Equal(t, []int{2, 3, 4, 5, 6}, asked, "fn is asked for every request Script does not answer, numbered from 1")
	mu.Unlock()
	assert.Len(t, l.Entries(), 2, "only the normally processed requests stored their line")
	reqs := l.Requests()
	require.Len(t, reqs, 7)
	assert.True(t, reqs[1].Scripted)
	assert.False(t, reqs[4].Scripted)
}

func TestLatency(t *testing.T) {
	l := New(t, Options{})
	const latency = 500 * time.Millisecond
	l.SetLatency(latency)

	// While the answer waits, nothing is stored yet.
	type seen struct{ entries, requests int }
	meanwhile := make(chan seen, 1)
	go func() {
		time.Sleep(latency / 5)
		meanwhile <- seen{len(l.Entries()), len(l.Requests())}
	}()
	started := time.Now()
	r := post(t, l, tokenAndType("t"), "{\"n\":1}\n", true)
	assert.Equal(t, http.StatusOK, r.status)
	assert.GreaterOrEqual(t, time.Since(started), latency)
	assert.Equal(t, seen{0, 0}, <-meanwhile, "nothing is stored, and the request does not show, while the answer waits")
	assert.Len(t, l.Entries(), 1)

	l.SetLatency(0)
	assert.Equal(t, http.StatusOK, post(t, l, tokenAndType("t"), "{\"n\":2}\n", true).status)
	assert.Len(t, l.Entries(), 2)
}
