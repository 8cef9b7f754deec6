// Package metrics is what Coachdesk tells Prometheus: request latency by route, the store's write
// queue and pools, lint latency and open event streams, plus the Go runtime and the process. Each
// app has its own registry, so several servers in one test process never share a metric.
package metrics

import (
	"database/sql"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// The kinds of event stream: a ticket page's and an inbox's.
const (
	StreamTicket = "ticket"
	StreamInbox  = "inbox"
)

// Unmatched is the route label of a request no route took: the raw path would be unbounded.
const Unmatched = "unmatched"

// Metrics holds one app's registry and the metrics the web server and the store feed. A nil
// *Metrics takes every observation and drops it, for servers built without one.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.HistogramVec
	lint     *prometheus.HistogramVec
	streams  *prometheus.GaugeVec
}

// New makes a registry with the Go runtime and process collectors and Coachdesk's own metrics.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "coachdesk_http_request_duration_seconds",
			Help: "Time to answer an HTTP request, by route template, method and status (event streams count when they end).",
			// Pages answer in milliseconds; the top buckets catch a slow query or a long-open stream.
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"route", "method", "status"}),
		lint: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "coachdesk_lint_duration_seconds",
			Help: "Time the coach took to read one text for /api/v1/lint (the composer and integrations), by the language it read.",
			// A reply lints in well under a millisecond; a 64 KB text takes tens of them.
			Buckets: prometheus.ExponentialBuckets(0.0001, 2.5, 12),
		}, []string{"lang"}),
		streams: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "coachdesk_event_streams_open",
			Help: "Server-sent event streams open now, by kind (ticket or inbox).",
		}, []string{"kind"}),
	}
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.requests, m.lint, m.streams,
	)
	// Zero from the start, so a dashboard shows "none open" rather than no data.
	for _, kind := range []string{StreamTicket, StreamInbox} {
		m.streams.WithLabelValues(kind)
	}
	return m
}

// Registry is where further collectors go (and what tests gather from).
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler answers a scrape in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// ObserveRequest counts one answered request; route is the matched template ("/tickets/:number").
func (m *Metrics) ObserveRequest(route, method string, status int, took time.Duration) {
	if m == nil {
		return
	}
	if route == "" {
		route = Unmatched
	}
	m.requests.WithLabelValues(route, knownMethod(method), strconv.Itoa(status)).Observe(took.Seconds())
}

// ObserveLint counts one lint; lang is the language the coach read the text in.
func (m *Metrics) ObserveLint(lang string, took time.Duration) {
	if m == nil {
		return
	}
	m.lint.WithLabelValues(lang).Observe(took.Seconds())
}

// StreamOpened counts an event stream of kind as open until the returned func is called.
func (m *Metrics) StreamOpened(kind string) (closed func()) {
	if m == nil {
		return func() {}
	}
	g := m.streams.WithLabelValues(kind)
	g.Inc()
	return g.Dec
}

// knownMethod keeps the method label bounded: a client can send any token as a method.
func knownMethod(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return method
	}
	return "other"
}

// Store is what the metrics read of the store: its write queue and its connection pools.
type Store interface {
	WriteQueueDepth() int64
	WriteCommits() int64
	OnWriteWait(func(time.Duration))
	Pools() map[string]*sql.DB
}

// WatchStore registers st's write queue depth and wait, its commits and its pools' statistics
// (go_sql_* with db_name="writer" or "reader").
func (m *Metrics) WatchStore(st Store) {
	wait := prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "coachdesk_store_write_wait_seconds",
		Help: "Time a write waited in the writer queue before the writer started it.",
		// Usually well under a millisecond; seconds mean the writer is stuck behind a lock or a slow disk.
		Buckets: prometheus.ExponentialBuckets(0.00005, 3, 12),
	})
	m.reg.MustRegister(wait,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "coachdesk_store_write_queue_depth",
			Help: "Writes admitted to the writer queue and not yet answered (waiting or in the running batch).",
		}, func() float64 { return float64(st.WriteQueueDepth()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "coachdesk_store_write_commits_total",
			Help: "Transactions the writer committed; each carries one or more writes.",
		}, func() float64 { return float64(st.WriteCommits()) }),
	)
	st.OnWriteWait(func(d time.Duration) { wait.Observe(d.Seconds()) })
	for name, db := range st.Pools() {
		m.reg.MustRegister(collectors.NewDBStatsCollector(db, name))
	}
}
