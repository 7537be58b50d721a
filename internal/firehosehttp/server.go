// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosehttp // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosehttp"

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componentstatus"
	"go.uber.org/zap"
)

// Server serves a Handler on the endpoint's listener with the endpoint's server settings, and reports the component
// status: an endpoint that cannot listen fails Start (the collector does not start), a listening one is StatusOK, a
// server that stops serving on its own is a FatalError.
type Server struct {
	cfg       *EndpointConfig
	handler   *Handler
	signal    string // "metrics", "logs": what the log lines say the endpoint receives
	telemetry component.TelemetrySettings

	server  *http.Server
	address net.Addr // where the server listens, once started
	serving sync.WaitGroup
	status  statusReporter
}

// NewServer prepares the server of handler; signal names what the endpoint receives in its log lines.
func NewServer(cfg *EndpointConfig, handler *Handler, signal string, telemetry component.TelemetrySettings) *Server {
	return &Server{cfg: cfg, handler: handler, signal: signal, telemetry: telemetry}
}

// Start listens and serves.
func (s *Server) Start(ctx context.Context, host component.Host) error {
	s.status.start(host)
	logger := s.telemetry.Logger
	if !s.handler.RequiresAccessKey() {
		logger.Warn("No access_keys configured: any client that reaches the endpoint can send " + s.signal + ". Set access_keys to the access key of the Firehose destination.")
	}
	listener, err := s.cfg.ServerConfig.ToListener(ctx)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", s.cfg.ServerConfig.NetAddr.Endpoint, err)
	}
	serverCfg := s.cfg.ServerConfig
	// The handler decompresses Firehose's gzip itself, with its own caps and JSON error answers.
	serverCfg.CompressionAlgorithms = []string{}
	s.server, err = serverCfg.ToServer(ctx, host.GetExtensions(), s.telemetry, s.handler)
	if err != nil {
		_ = listener.Close()
		return err
	}
	// confighttp has no setting for it: without it net/http accepts 1 MiB of headers per request.
	s.server.MaxHeaderBytes = s.cfg.MaxRequestHeaderSize
	s.address = listener.Addr()
	logger.Info("Firehose "+s.signal+" endpoint listening", zap.String("address", listener.Addr().String()), zap.String("path", s.cfg.Path))
	s.serving.Add(1)
	go func() {
		defer s.serving.Done()
		if serveErr := s.server.Serve(listener); serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
			s.status.report(componentstatus.NewFatalErrorEvent(fmt.Errorf("the Firehose endpoint on %s stopped serving: %w", listener.Addr(), serveErr)))
		}
	}()
	s.status.report(componentstatus.NewEvent(componentstatus.StatusOK))
	return nil
}

// Addr is where the server listens, once started.
func (s *Server) Addr() net.Addr {
	return s.address
}

// Shutdown stops the server; requests being served finish first (bounded by ctx).
func (s *Server) Shutdown(ctx context.Context) error {
	s.status.stop()
	var err error
	if s.server != nil {
		err = s.server.Shutdown(ctx)
	}
	s.serving.Wait()
	return err
}
