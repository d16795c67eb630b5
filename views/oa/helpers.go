package oa

import (
	"strconv"

	"github.com/a-h/templ"

	"plaza/views/layout"
)

// htmlLang is the document's language tag.
func htmlLang(lang string) string {
	if lang == "zh" {
		return "zh-Hans"
	}
	return "en"
}

// docTitle is a page's title with the community's name.
func docTitle(p layout.Page) string {
	if p.Title == "" {
		return p.Community
	}
	return p.Title + " · " + p.Community
}

func itoa(n int) string { return strconv.Itoa(n) }

// errorFor is a field's error message ("" for none).
func errorFor(errs []layout.FieldError, name string) string {
	for _, e := range errs {
		if e.Field == name {
			return e.Message
		}
	}
	return ""
}

// invalid marks a field with an error for screen readers.
func invalid(name string, errs []layout.FieldError) templ.Attributes {
	if errorFor(errs, name) == "" {
		return templ.Attributes{}
	}
	return templ.Attributes{"aria-invalid": "true", "aria-describedby": "e-" + name}
}

// pressed is aria-pressed for a toggle button.
func pressed(on bool) string {
	if on {
		return "true"
	}
	return "false"
}

// checked is a checkbox's or radio's checked attribute.
func checked(on bool) templ.Attributes {
	if on {
		return templ.Attributes{"checked": true}
	}
	return templ.Attributes{}
}

// selected is an option's selected attribute.
func selected(on bool) templ.Attributes {
	if on {
		return templ.Attributes{"selected": true}
	}
	return templ.Attributes{}
}

// current marks the link of the page one is on.
func current(on bool) templ.Attributes {
	if on {
		return templ.Attributes{"aria-current": "page"}
	}
	return templ.Attributes{}
}

// chipClass is a category chip or a console tab: the current one filled.
func chipClass(on bool) string {
	if on {
		return "shrink-0 rounded-full bg-brand px-3 py-1 text-sm text-white"
	}
	return "shrink-0 rounded-full bg-panel px-3 py-1 text-sm text-ink hover:bg-line"
}

// avatarClass is an account's round picture of a size.
func avatarClass(size string) string { return "shrink-0 rounded-full object-cover bg-line " + size }

func initialClass(size string) string {
	return "grid shrink-0 place-items-center rounded-full bg-indigo-500 font-semibold text-white " + size
}

// reactClass is a reaction button: pressed ones coloured.
func reactClass(on bool) string {
	if on {
		return "flex items-center gap-1 rounded-full border border-brand px-3 py-1 text-sm text-brand"
	}
	return "flex items-center gap-1 rounded-full border border-line px-3 py-1 text-sm text-ink hover:bg-page"
}

// statusClass colours an account's status.
func statusClass(status string) string {
	switch status {
	case "approved":
		return "rounded bg-brand/10 px-2 py-0.5 text-xs text-brand"
	case "rejected":
		return "rounded bg-danger/10 px-2 py-0.5 text-xs text-danger"
	}
	return "rounded bg-amber-100 px-2 py-0.5 text-xs text-amber-800"
}

// slot names a menu slot's field: menu.<b>.<field> or menu.<b>.<i>.<field>.
func slot(b int, field string) string { return "menu." + strconv.Itoa(b) + "." + field }

func itemSlot(b, i int, field string) string {
	return "menu." + strconv.Itoa(b) + "." + strconv.Itoa(i) + "." + field
}

// bodyClass styles an article's body: its HTML carries no class, so the
// elements are styled from here (headings, paragraphs, lists, quotes,
// code, tables, pictures, links).
const bodyClass = "px-4 py-4 break-words leading-relaxed [&_p]:my-3 [&_h1]:mt-5 [&_h1]:mb-2 [&_h1]:text-2xl [&_h1]:font-semibold " +
	"[&_h2]:mt-5 [&_h2]:mb-2 [&_h2]:text-xl [&_h2]:font-semibold [&_h3]:mt-4 [&_h3]:mb-2 [&_h3]:text-lg [&_h3]:font-semibold " +
	"[&_h4]:mt-3 [&_h4]:font-semibold [&_h5]:mt-3 [&_h5]:font-semibold [&_h6]:mt-3 [&_h6]:font-semibold " +
	"[&_ul]:my-3 [&_ul]:list-disc [&_ul]:pl-6 [&_ol]:my-3 [&_ol]:list-decimal [&_ol]:pl-6 [&_li]:my-1 " +
	"[&_blockquote]:my-3 [&_blockquote]:border-l-4 [&_blockquote]:border-line [&_blockquote]:pl-3 [&_blockquote]:text-muted " +
	"[&_pre]:my-3 [&_pre]:overflow-x-auto [&_pre]:rounded [&_pre]:bg-page [&_pre]:p-3 [&_pre]:text-sm [&_code]:font-mono " +
	"[&_table]:my-3 [&_table]:w-full [&_table]:text-sm [&_td]:border [&_td]:border-line [&_td]:p-1 [&_th]:border [&_th]:border-line [&_th]:p-1 " +
	"[&_img]:my-3 [&_img]:h-auto [&_img]:max-w-full [&_img]:rounded [&_a]:text-link [&_a]:underline [&_hr]:my-4 [&_hr]:border-line"
