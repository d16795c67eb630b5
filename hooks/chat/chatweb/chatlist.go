package chatweb

import (
	"net/http"
	"slices"
	"time"

	"github.com/a-h/templ"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"plaza/hooks/accounts/accountsweb"
	"plaza/hooks/chat"
	"plaza/hooks/web"
	views "plaza/views/chat"
	"plaza/views/layout"
)

// The Chats tab: the chat list beside every chat page.

func (s *site) rows(e *core.RequestEvent) ([]views.Row, error) {
	me := web.Member(e)
	list, faces, err := s.ChatList(me.Id)
	if err != nil {
		return nil, err
	}
	out := make([]views.Row, 0, len(list))
	for _, c := range list {
		r := views.Row{ID: c.ID, Title: c.Name, Unread: c.Unread(), Mentioned: c.Mentioned(), Muted: c.Muted, Pinned: c.Pinned, Group: c.Kind == chat.KindGroup,
			Preview: c.Preview}
		switch {
		case c.Recalled:
			r.Preview = web.T(e, "chat.recalled")
		case c.LastKind == chat.MsgImage:
			r.Preview = web.T(e, "chat.preview_image")
		case c.LastKind == chat.MsgFile:
			r.Preview = web.T(e, "chat.preview_file", map[string]any{"name": c.Preview})
		case c.LastKind == chat.MsgCard:
			r.Preview = s.cardPreview(e, c.CardType(), c.CardTitle())
		}
		if c.Kind == chat.KindGroup && c.Sender != "" && c.Sender != me.Id && !c.Recalled { // groups name the sender
			if name := s.NameOf(c.Sender); name != "" {
				r.Preview = name + ": " + r.Preview
			}
		}
		if c.Sender == "" && c.Preview != "" && c.LastKind == chat.MsgSystem { // a system notice
			r.Preview = systemText(e, c.Preview, s.NameOf)
		}
		if t, err := time.Parse(types.DefaultDateLayout, c.LastAt); err == nil {
			r.When = t.Format(time.RFC3339)
		}
		if c.Kind == chat.KindDirect {
			if f, ok := faces.People[c.Peer]; ok {
				r.Title, r.AvatarURL, r.Initial = f.Name, f.AvatarURL, f.Initial
			}
		} else if c.Kind == chat.KindService {
			r.Title = web.T(e, c.Name)
			r.Initial = string([]rune(r.Title + "#")[0])
		} else if c.Kind == chat.KindAccount { // an Official Account: its name
			r.Title = c.Name
			r.Initial = string([]rune(r.Title + "#")[0])
		} else {
			r.Title = s.GroupTitle(me.Id, c.ID, c.Name)
			r.Initial = string([]rune(r.Title + "#")[0])
			for _, f := range faces.Groups[c.ID] {
				r.Collage = append(r.Collage, views.Face(f))
			}
		}
		out = append(out, r)
	}
	return withFolders(e, me.Id, out), nil
}

// withFolders adds the modules' folder rows (module.ChatFolder: Official
// Accounts' Subscriptions) to the chat list, each where its time puts it
// among the chats that are not pinned. A folder that fails to load is
// left out: a list without it beats no list.
func withFolders(e *core.RequestEvent, memberID string, rows []views.Row) []views.Row {
	for _, f := range web.Registry(e).ChatFolders() {
		fr, ok, err := f.Row(e.App, memberID)
		if err != nil {
			e.App.Logger().Warn("chat list: a folder row", "folder", f.ID, "error", err.Error())
		}
		if err != nil || !ok {
			continue
		}
		r := views.Row{Folder: f.ID, Href: f.Href, Title: web.T(e, f.Label), Preview: fr.Preview, Dot: fr.Unread}
		r.Initial = string([]rune(r.Title + "#")[0])
		at := ""
		if !fr.At.IsZero() {
			r.When, at = fr.At.UTC().Format(time.RFC3339), fr.At.UTC().Format(types.DefaultDateLayout)
		}
		i := 0
		for i < len(rows) && (rows[i].Pinned || rows[i].Folder == "" && rows[i].When != "" && rows[i].When > r.When && at != "") {
			i++
		}
		rows = slices.Insert(rows, i, r)
	}
	return rows
}

func (s *site) render(e *core.RequestEvent, status int, active string, focus layout.Focus, detail func([]views.Row) templ.Component) error {
	rows, err := s.rows(e)
	if err != nil {
		return err
	}
	shell := accountsweb.ShellFor(e, web.T(e, "tabs.chats"), layout.TabChats, focus, "/chats")
	return web.Render(e, status, layout.AppShell(shell, views.ChatList(rows, active), detail(rows)))
}

func (s *site) chatsPage(e *core.RequestEvent) error {
	return s.render(e, http.StatusOK, "", layout.FocusList, func([]views.Row) templ.Component {
		return layout.EmptyState("detail-empty", web.T(e, "chats.pick"), "")
	})
}
