package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"

	"github.com/a-h/templ"
	"github.com/pocketbase/pocketbase/core"
)

// Public pages (Channels, Official Accounts): what a visitor is sent may
// be kept by their browser or a reverse proxy. Cache-Control "public,
// no-cache" lets it keep a page but makes it ask every time, and the ETag
// (a hash of the body) lets the answer be a 304 without a body. A takedown,
// a rejection or a deletion changes the answer to a 404 on the next
// request, so nothing withdrawn is served from a cache. A member's pages
// stay "no-store" (SetPageHeaders): they hold the member's own state.

// cachePublicPage is the Cache-Control of a page sent to a visitor.
const cachePublicPage = "public, no-cache"

// RenderCached renders c and answers it with its ETag, or 304 when the
// request already holds that version.
func RenderCached(e *core.RequestEvent, contentType string, c templ.Component) error {
	var buf bytes.Buffer
	if err := c.Render(e.Request.Context(), &buf); err != nil {
		return fmt.Errorf("render %s: %w", e.Request.URL.Path, err)
	}
	return AnswerCached(e, contentType, buf.Bytes())
}

// AnswerCached sends body (a visitor's page or feed) with its ETag and
// the public Cache-Control, or 304 Not Modified when If-None-Match names
// the same ETag.
func AnswerCached(e *core.RequestEvent, contentType string, body []byte) error {
	sum := sha256.Sum256(body)
	etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
	h := e.Response.Header()
	SetPageHeaders(h)
	h.Set("Cache-Control", cachePublicPage)
	h.Set("ETag", etag)
	// The language follows the guest's cookie or Accept-Language, and htmx
	// asks the same address for a fragment.
	h.Add("Vary", "Accept-Language, Cookie, HX-Request")
	if etagMatches(e.Request.Header.Get("If-None-Match"), etag) {
		e.Response.WriteHeader(http.StatusNotModified)
		return nil
	}
	h.Set("Content-Type", contentType)
	e.Response.WriteHeader(http.StatusOK)
	if e.Request.Method == http.MethodHead {
		return nil
	}
	_, err := e.Response.Write(body)
	return err
}

// etagMatches reports whether an If-None-Match header names etag (weak
// comparison, as RFC 9110 asks for If-None-Match; "*" matches anything).
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}
