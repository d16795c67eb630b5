// Package web is the HTTP glue every Plaza domain shares: buffered templ
// rendering with security headers, cookie sessions, cross-origin protection,
// language selection, static assets and error pages.
package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/a-h/templ"
	"github.com/pocketbase/pocketbase/core"
)

// ContentSecurityPolicy is sent with every HTML page: scripts, styles and
// connections only from our own origin, no inline script, no framing.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data: blob:; media-src 'self' blob:; font-src 'self'; connect-src 'self'; " +
	"worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; " +
	"form-action 'self'; frame-ancestors 'none'"

// SetPageHeaders sets the security headers every HTML response carries.
func SetPageHeaders(h http.Header) {
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(self), microphone=(self), geolocation=()")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
}

// Render renders c into a buffer first, so that a template error becomes a
// clean 500 instead of half a page, then writes headers, status and body.
func Render(e *core.RequestEvent, status int, c templ.Component) error {
	var buf bytes.Buffer
	if err := c.Render(e.Request.Context(), &buf); err != nil {
		return fmt.Errorf("render %s: %w", e.Request.URL.Path, err)
	}
	h := e.Response.Header()
	SetPageHeaders(h)
	h.Set("Content-Type", "text/html; charset=utf-8")
	if IsHTMX(e) {
		h.Add("Vary", "HX-Request")
	}
	e.Response.WriteHeader(status)
	_, err := buf.WriteTo(e.Response)
	return err
}

// IsHTMX reports whether the request was made by htmx (a fragment is wanted).
func IsHTMX(e *core.RequestEvent) bool {
	return e.Request.Header.Get("HX-Request") == "true"
}

// Redirect sends the browser to target: an HX-Redirect for htmx requests,
// a 303 See Other otherwise (so a POST is followed by a GET).
func Redirect(e *core.RequestEvent, target string) error {
	if IsHTMX(e) {
		e.Response.Header().Set("HX-Redirect", target)
		return e.NoContent(http.StatusNoContent)
	}
	return e.Redirect(http.StatusSeeOther, target)
}

// SafeNext returns next when it is a local path on this site (never
// "//host" or "https://…"), otherwise fallback. It guards ?next= redirects.
func SafeNext(next, fallback string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return fallback
	}
	u, err := url.Parse(next)
	if err != nil || u.Host != "" || u.Scheme != "" {
		return fallback
	}
	return next
}

// SiteURL is path on the community's configured Application URL: what a QR
// code or a shared link holds, so it opens from another device.
func SiteURL(app core.App, path string) string {
	return strings.TrimRight(app.Settings().Meta.AppURL, "/") + path
}
