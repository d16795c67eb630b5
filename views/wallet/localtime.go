package wallet

import (
	"context"
	"strings"
	"time"

	"github.com/invopop/ctxi18n/i18n"

	"plaza/views/layout"
)

// aroundTime splits the translation of key around its time placeholder
// name, so that the page shows the time itself in a <time data-local>
// element, which the browser writes in the page's language and the
// device's time zone (never the server's UTC).
func aroundTime(ctx context.Context, key, name string) (before, after string) {
	before, after, _ = strings.Cut(i18n.T(ctx, key, i18n.M{name: "\x00"}), "\x00")
	return before, after
}

func before(ctx context.Context, key, name string) string {
	b, _ := aroundTime(ctx, key, name)
	return b
}

func after(ctx context.Context, key, name string) string {
	_, a := aroundTime(ctx, key, name)
	return a
}

// utcFallback is what a <time> shows before (or without) the script: the
// time in UTC, said so.
func utcFallback(iso string) string {
	t, err := time.Parse(time.RFC3339, iso)
	if err != nil {
		return iso
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// fieldError is the message for the field name among errs, "" if none.
func fieldError(errs []layout.FieldError, name string) string {
	for _, e := range errs {
		if e.Field == name {
			return e.Message
		}
	}
	return ""
}
