package mp

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// menuItemClass is a row of the ··· menu sheet.
const menuItemClass = "block w-full border-b border-line py-3.5 text-center hover:bg-page " +
	"focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-brand"

// closeClass is a sheet's × button.
const closeClass = "absolute left-0 top-0 grid size-10 place-items-center rounded-full text-2xl leading-none " +
	"text-muted hover:bg-page focus-visible:outline-2 focus-visible:outline-brand"

// initial is the first letter of a name, shown when an app has no icon.
func initial(name string) string {
	name = strings.TrimSpace(name)
	r, _ := utf8.DecodeRuneInString(name)
	if r == utf8.RuneError {
		return "?"
	}
	return string(unicode.ToUpper(r))
}

// onOff is a boolean as a data attribute's value.
func onOff(on bool) string {
	if on {
		return "1"
	}
	return "0"
}
