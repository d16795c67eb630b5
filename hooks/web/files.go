package web

import (
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/gabriel-vasile/mimetype"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// Uploaded files (docs/SECURITY.md, uploads): what a file is comes from
// its bytes, never from the name or type a client gave it.
//
//   - Stored names take the extension of the detected type (an avatar
//     "a.js" whose bytes are a GIF is stored as "a_….gif"), for every file
//     field of every collection, however the record is saved.
//   - /api/files/… answers with nosniff, never with a type a browser would
//     run or render as a document (those become an octet-stream download),
//     and with Cache-Control: private for protected files (asked with a
//     token).
//   - Thumbnail requests run ThumbWorkers at a time: decoding a big picture
//     takes hundreds of megabytes, so a burst of them must queue.

// ThumbWorkers is how many thumbnail requests run at once.
const ThumbWorkers = 2

var (
	thumbSlots    = make(chan struct{}, ThumbWorkers)
	thumbInFlight atomic.Int64
	thumbPeak     atomic.Int64
)

// ThumbStats reports the thumbnail requests running now and the most that
// ever ran at once (for monitoring and tests).
func ThumbStats() (inFlight, peak int64) { return thumbInFlight.Load(), thumbPeak.Load() }

func registerFiles(app core.App) {
	app.OnRecordValidate().BindFunc(func(e *core.RecordEvent) error {
		for _, f := range e.Record.Collection().Fields {
			if f.Type() != core.FieldTypeFile {
				continue
			}
			for _, file := range e.Record.GetUnsavedFiles(f.GetName()) {
				if err := renameByContent(file); err != nil {
					return err
				}
			}
		}
		return e.Next()
	})
}

// renameByContent gives an uploaded file's stored name the extension of
// its detected type.
func renameByContent(file *filesystem.File) error {
	r, err := file.Reader.Open()
	if err != nil {
		return err
	}
	defer r.Close()
	mt, err := mimetype.DetectReader(r)
	if err != nil {
		return err
	}
	ext := mt.Extension()
	if ext == "" {
		ext = ".bin"
	}
	file.Name = strings.TrimSuffix(file.Name, path.Ext(file.Name)) + ext
	return nil
}

// scriptish are the types a browser would run, or render as a page that
// runs scripts, when served from this origin.
func scriptish(contentType string) bool {
	t, _, _ := mime.ParseMediaType(contentType)
	t = strings.ToLower(t)
	return strings.Contains(t, "javascript") || strings.Contains(t, "ecmascript") || strings.Contains(t, "html") ||
		strings.Contains(t, "xml") || t == "text/css" || strings.Contains(t, "wasm")
}

// fileHeaders is the /api/files/… middleware: safe headers on the answer,
// and the thumbnail bound.
func fileHeaders() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id:       "plazaFiles",
		Priority: -985,
		Func: func(e *core.RequestEvent) error {
			if !strings.HasPrefix(e.Request.URL.Path, "/api/files/") || e.Request.Method != http.MethodGet && e.Request.Method != http.MethodHead {
				return e.Next()
			}
			q := e.Request.URL.Query()
			w := &safeFileWriter{ResponseWriter: e.Response, private: q.Get("token") != ""}
			e.Response = w
			if q.Get("thumb") == "" {
				return e.Next()
			}
			select {
			case thumbSlots <- struct{}{}:
			case <-e.Request.Context().Done():
				return e.Request.Context().Err()
			}
			n := thumbInFlight.Add(1)
			for {
				p := thumbPeak.Load()
				if n <= p || thumbPeak.CompareAndSwap(p, n) {
					break
				}
			}
			// The slot is given back when the answer starts (the thumbnail
			// is made by then), not when it ends: a slow reader must not
			// hold up everyone's thumbnails.
			var once sync.Once
			w.release = func() { once.Do(func() { thumbInFlight.Add(-1); <-thumbSlots }) }
			defer w.release()
			return e.Next()
		},
	}
}

// safeFileWriter fixes a file answer's headers just before they are sent.
type safeFileWriter struct {
	http.ResponseWriter
	private bool
	release func() // gives back a thumbnail slot; nil when none is held
	once    sync.Once
}

func (w *safeFileWriter) fix() {
	w.once.Do(func() {
		if w.release != nil {
			w.release()
		}
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		if ct := h.Get("Content-Type"); ct != "" && scriptish(ct) {
			h.Set("Content-Type", "application/octet-stream")
			h.Set("Content-Disposition", "attachment")
		}
		if w.private {
			h.Set("Cache-Control", "private, max-age=3600")
		}
	})
}

func (w *safeFileWriter) WriteHeader(status int) { w.fix(); w.ResponseWriter.WriteHeader(status) }

func (w *safeFileWriter) Write(b []byte) (int, error) { w.fix(); return w.ResponseWriter.Write(b) }

// Unwrap lets http.ResponseController reach the writer underneath.
func (w *safeFileWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
