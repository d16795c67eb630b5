package contacts

import (
	"context"

	"github.com/invopop/ctxi18n/i18n"
)

func requestStatus(ctx context.Context, r RequestItem) string {
	switch {
	case r.Status == "accepted":
		return i18n.T(ctx, "contacts.status_added")
	case r.Expired:
		return i18n.T(ctx, "contacts.status_expired")
	case !r.Incoming:
		return i18n.T(ctx, "contacts.status_waiting")
	case r.Status == "ignored":
		return i18n.T(ctx, "contacts.status_ignored")
	}
	return ""
}
