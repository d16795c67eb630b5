package layout

import (
	"strconv"

	"github.com/a-h/templ"
)

func htmlLang(lang string) string {
	if lang == "zh" {
		return "zh-Hans"
	}
	return "en"
}

func title(p Page) string {
	if p.Title == "" {
		return p.Community
	}
	return p.Title + " · " + p.Community
}

func statusText(status int) string {
	if status == 0 {
		return ""
	}
	return strconv.Itoa(status)
}

func errorFor(errs []FieldError, name string) string {
	for _, e := range errs {
		if e.Field == name {
			return e.Message
		}
	}
	return ""
}

func langButtonClass(active bool) string {
	if active {
		return "font-semibold text-ink"
	}
	return "text-muted hover:text-ink underline underline-offset-4"
}

func currentAttr(active bool) templ.Attributes {
	if active {
		return templ.Attributes{"aria-current": "page"}
	}
	return templ.Attributes{}
}

func listPaneClass(f Focus) string {
	base := "min-h-0 flex-1 flex-col overflow-y-auto bg-panel lg:flex lg:flex-none lg:w-80 xl:w-96 lg:border-r lg:border-line"
	if f == FocusDetail {
		return "hidden " + base
	}
	return "flex " + base
}

func detailPaneClass(f Focus) string {
	base := "relative min-h-0 flex-1 flex-col overflow-y-auto focus:outline-none lg:flex"
	if f == FocusDetail {
		return "flex " + base
	}
	return "hidden " + base
}

func tabClass(active bool) string {
	base := "flex flex-col items-center justify-center gap-1 py-2 lg:py-3 lg:mx-2 lg:rounded-xl focus-visible:outline-2 focus-visible:outline-brand"
	if active {
		return base + " text-brand font-medium"
	}
	return base + " text-muted hover:text-ink"
}

// BadgeText is a badge count as shown: "99+" beyond 99.
func BadgeText(n int) string {
	if n > 99 {
		return "99+"
	}
	return strconv.Itoa(n)
}

func tabBarClass(f Focus) string {
	base := "order-last lg:order-first shrink-0 grid-cols-4 border-t border-line bg-bar pb-[env(safe-area-inset-bottom)] " +
		"lg:flex lg:flex-col lg:w-20 lg:border-t-0 lg:border-r lg:py-4 lg:gap-1"
	if f == FocusDetail {
		return "hidden " + base
	}
	return "grid " + base
}

// ActiveCell is the extra class of a list row that is open in the detail pane.
func ActiveCell(active bool) string {
	if active {
		return "bg-page"
	}
	return ""
}
