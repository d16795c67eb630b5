package mpdemoweb

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync"
)

// handlerTransport is an http.RoundTripper that hands each request to this
// server's own handler instead of dialing: the demo servers call Plaza's
// server API with real HTTP semantics (method, path, headers, body, status)
// and never through the network, so they work behind any reverse proxy
// and whatever address the server listens on.
type handlerTransport struct {
	mu      sync.Mutex
	handler http.Handler
	build   func() (http.Handler, error) // when no server handed one over (tests)
}

// errNotServing answers calls made before the server started.
var errNotServing = errors.New("mpdemo: the server is not serving yet")

// set gives the transport the running server's handler.
func (t *handlerTransport) set(h http.Handler) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.handler = h
}

// setBuilder gives the transport a way to build the handler on first use.
func (t *handlerTransport) setBuilder(build func() (http.Handler, error)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.build = build
}

func (t *handlerTransport) current() (http.Handler, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.handler == nil && t.build != nil {
		h, err := t.build()
		if err != nil {
			return nil, err
		}
		t.handler, t.build = h, nil
	}
	if t.handler == nil {
		return nil, errNotServing
	}
	return t.handler, nil
}

// RoundTrip serves req with the handler and returns what it wrote.
func (t *handlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	h, err := t.current()
	if err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, err
	}
	in := req.Clone(req.Context())
	in.RequestURI = req.URL.RequestURI()
	in.Host = req.URL.Host
	in.RemoteAddr = "127.0.0.1:1"
	in.Proto, in.ProtoMajor, in.ProtoMinor = "HTTP/1.1", 1, 1
	if in.Body == nil {
		in.Body = http.NoBody
	}
	rec := &recorder{header: http.Header{}}
	h.ServeHTTP(rec, in)
	if req.Body != nil {
		req.Body.Close()
	}
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	return &http.Response{
		Status: strconv.Itoa(rec.status) + " " + http.StatusText(rec.status), StatusCode: rec.status,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: rec.header, Body: io.NopCloser(bytes.NewReader(rec.body.Bytes())),
		ContentLength: int64(rec.body.Len()), Request: req,
	}, nil
}

// recorder is the response a handler writes in process.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}

// Flush is a no-op: the whole answer is read when the handler returns.
func (r *recorder) Flush() {}
