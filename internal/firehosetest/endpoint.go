// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosetest

import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosehttp"

// AccessKey is test support: the access key the receivers' tests and captured samples send.
const AccessKey = "EXAMPLE-ACCESS-KEY"

// OnLoopback is test support: it sets cfg to listen on a free loopback port and to accept AccessKey.
func OnLoopback(cfg *firehosehttp.EndpointConfig) {
	cfg.ServerConfig.NetAddr.Endpoint = "127.0.0.1:0"
	cfg.AccessKeys = append(cfg.AccessKeys, AccessKey)
}
