// Package languages is the one list of Plaza's UI languages and the one
// English fallback, for the HTTP side (hooks/web picks a request's language)
// and for domains that check a member's choice (accounts) or write a few
// words into messages rather than pages (chat's "@All"). The translations
// themselves are loaded by hooks/web (views/locales).
package languages

import (
	"github.com/invopop/ctxi18n"
	"github.com/invopop/ctxi18n/i18n"
)

// All are the languages Plaza's UI speaks, by code.
var All = []string{"en", "zh"}

// Supported returns code when Plaza has that UI language, else "".
func Supported(code string) string {
	for _, l := range All {
		if l == code {
			return l
		}
	}
	return ""
}

// Locale is the translations of code, English when Plaza has no such
// language.
func Locale(code string) *i18n.Locale {
	if loc := ctxi18n.Get(i18n.Code(code)); loc != nil {
		return loc
	}
	return ctxi18n.Get("en")
}
