package moments

import (
	"context"
	"strconv"

	"github.com/a-h/templ"
	"github.com/invopop/ctxi18n/i18n"

	"plaza/views/layout"
)

// dim is a width or height attribute ("" when unknown).
func dim(n int) string {
	if n <= 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// photoClass and imgClass shape a grid cell: square thumbs, one photo
// large in its own proportions.
func photoClass(n int) string {
	if n == 1 {
		return "block"
	}
	return "block aspect-square overflow-hidden"
}

func imgClass(n int) string {
	if n == 1 {
		return "max-h-60 w-auto rounded-sm bg-line object-contain"
	}
	return "size-full bg-line object-cover"
}

// likeAction is where the like button posts: like, or take it back.
func likeAction(p Post) string {
	if p.Liked {
		return "/moments/posts/" + p.ID + "/unlike"
	}
	return "/moments/posts/" + p.ID + "/like"
}

func commentPlaceholder(ctx context.Context, p Post) string {
	if p.ReplyName != "" {
		return i18n.T(ctx, "moments.reply_placeholder", i18n.M{"name": p.ReplyName})
	}
	return i18n.T(ctx, "moments.comment_placeholder")
}

// rangeLine is the "only showing recent posts" line of an album.
func rangeLine(ctx context.Context, r string) string {
	switch r {
	case "6m", "1m", "3d":
		return i18n.T(ctx, "moments.only_recent_"+r)
	}
	return i18n.T(ctx, "moments.only_recent")
}

// day is the date part of an RFC 3339 time.
func day(iso string) string {
	if len(iso) < 10 {
		return iso
	}
	return iso[:10]
}

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

func anyChecked(items []Choice) bool {
	for _, it := range items {
		if it.Checked {
			return true
		}
	}
	return false
}
