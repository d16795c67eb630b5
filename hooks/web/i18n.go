package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/invopop/ctxi18n"
	"github.com/invopop/ctxi18n/i18n"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"plaza/hooks/languages"
	"plaza/hooks/settings"
	"plaza/views/locales"
)

// LangCookie remembers a guest's language choice (members store theirs).
const LangCookie = "plaza_lang"

var loadLocales = sync.OnceValue(func() error {
	return ctxi18n.LoadWithDefault(locales.FS, "en")
})

// MatchAcceptLanguage picks our best language for an Accept-Language header,
// by base language in the client's order ("zh-CN" and "zh-Hans" mean zh).
func MatchAcceptLanguage(header string) string {
	for _, code := range i18n.ParseAcceptLanguage(header) {
		if l := languages.Supported(strings.ToLower(string(code.Base()))); l != "" {
			return l
		}
	}
	return ""
}

// RequestLang decides the UI language: the member's setting, else the
// guest's cookie, else the browser's Accept-Language, else the community
// default.
func RequestLang(e *core.RequestEvent) string {
	if m := Member(e); m != nil {
		if l := languages.Supported(m.GetString("language")); l != "" {
			return l
		}
	}
	if c, err := e.Request.Cookie(LangCookie); err == nil {
		if l := languages.Supported(c.Value); l != "" {
			return l
		}
	}
	if l := MatchAcceptLanguage(e.Request.Header.Get("Accept-Language")); l != "" {
		return l
	}
	return settings.Get(e.App).DefaultLanguage
}

// WithLang returns ctx carrying the locale for lang.
func WithLang(ctx context.Context, lang string) context.Context {
	return languages.Locale(lang).WithContext(ctx)
}

// SetGuestLang stores a guest's language choice in a cookie for a year.
func SetGuestLang(e *core.RequestEvent, lang string) {
	e.SetCookie(&http.Cookie{Name: LangCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: isHTTPS(e), SameSite: http.SameSiteLaxMode})
}

// T translates key in the request's language; a map[string]any argument
// fills the key's %{name} placeholders. A key with plural forms (one,
// other, optionally zero: see package locales) is chosen by the "count"
// argument.
func T(e *core.RequestEvent, key string, args ...any) string {
	return Translate(e.Request.Context(), key, args...)
}

// Translate is T for a context carrying the locale. Argument values are
// text, never templates: a member named "%{target}" is shown as such, not
// replaced by another argument (the i18n library substitutes into what it
// has substituted already), so string values that hold "%{" go in as
// inert tokens and are put back after.
func Translate(ctx context.Context, key string, args ...any) string {
	count, counted := 0, false
	var restore []string // token, value, token, value…
	for i, a := range args {
		if m, ok := a.(map[string]any); ok {
			args[i] = i18n.M(m)
		}
		if m, ok := args[i].(i18n.M); ok {
			count, counted = countOf(m["count"])
			safe := make(i18n.M, len(m))
			for k, v := range m {
				if s, ok := v.(string); ok && strings.Contains(s, "%{") {
					tok := "\x1e" + strconv.Itoa(len(restore)/2) + "\x1e"
					restore = append(restore, tok, s)
					v = tok
				}
				safe[k] = v
			}
			args[i] = safe
		}
	}
	var out string
	if counted && i18n.Has(ctx, key+".other") {
		out = i18n.N(ctx, key, count, args...)
	} else {
		out = i18n.T(ctx, key, args...)
	}
	if len(restore) > 0 {
		out = strings.NewReplacer(restore...).Replace(out)
	}
	return out
}

func countOf(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), true
	case int32:
		return int(n), true
	}
	return 0, false
}

func langMiddleware() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id:       "plazaLang",
		Priority: -995, // after the session and the rate limiter
		Func: func(e *core.RequestEvent) error {
			e.Request = e.Request.WithContext(WithLang(e.Request.Context(), RequestLang(e)))
			return e.Next()
		},
	}
}
