package chatweb

import (
	"net/http"

	"github.com/a-h/templ"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/chat"
	"plaza/hooks/problem"
	"plaza/hooks/web"
	views "plaza/views/chat"
	"plaza/views/layout"
)

// A chat's info page and a group's Manage group page.

// infoPage is a chat's settings page.
func (s *site) infoPage(e *core.RequestEvent) error {
	return s.renderInfo(e, http.StatusOK, "")
}

func (s *site) renderInfo(e *core.RequestEvent, status int, flash string) error {
	return s.renderInfoNotice(e, status, flash, "")
}

func (s *site) renderInfoNotice(e *core.RequestEvent, status int, flash, notice string) error {
	return s.renderGroupPage(e, status, flash, notice, false)
}

// managePage (GET /chats/{id}/manage) is "Manage group": the owner's and
// admins' tools. Plain members are refused (403), strangers see nothing (404).
func (s *site) managePage(e *core.RequestEvent) error {
	return s.renderManage(e, http.StatusOK, "", "")
}

func (s *site) renderManage(e *core.RequestEvent, status int, flash, notice string) error {
	return s.renderGroupPage(e, status, flash, notice, true)
}

// renderGroupPage renders a chat's info page, or with manage its Manage
// group page.
func (s *site) renderGroupPage(e *core.RequestEvent, status int, flash, notice string, manage bool) error {
	me := web.Member(e)
	convID := e.Request.PathValue("id")
	mine, err := s.SettingsOf(me.Id, convID, manage)
	if err != nil {
		return err
	}
	info := views.Info{ID: convID, Title: s.title(e, me.Id, convID, mine.Info, mine.People), Group: mine.Kind == chat.KindGroup, Name: mine.Name,
		Announcement: mine.Announcement, Alias: mine.Alias, MyID: me.Id, MyRole: mine.Role, Pinned: mine.Pinned, Muted: mine.Muted,
		Flash: flash, Notice: notice, InviteApproval: mine.Approval}
	if info.Group {
		in := map[string]bool{}
		for _, r := range mine.Roles {
			p := mine.People[r.ID]
			in[r.ID] = true
			info.Members = append(info.Members, views.InfoMember{ID: r.ID, Name: p.Name, AvatarURL: p.AvatarURL, Initial: p.Initial, Role: r.Role})
		}
		picks, err := s.friendsToPick(e, nil)
		if err != nil {
			return err
		}
		for _, p := range picks {
			if !in[p.ID] {
				info.Invitable = append(info.Invitable, p)
			}
		}
		for _, r := range mine.Requests {
			info.Requests = append(info.Requests, views.InfoRequest{ID: r.ID, Inviter: mine.RequestNames[r.Inviter], Invitee: mine.RequestNames[r.Invitee], Self: r.Inviter == r.Invitee})
		}
		info.AnnouncementMembers = mine.AnnouncementOf
		for _, id := range mine.AnnouncementRead {
			info.AnnouncementRead = append(info.AnnouncementRead, mine.People[id].Name)
		}
	}
	if manage {
		return s.render(e, status, convID, layout.FocusDetail, func([]views.Row) templ.Component { return views.ManagePage(info) })
	}
	return s.render(e, status, convID, layout.FocusDetail, func([]views.Row) templ.Component { return views.InfoPage(info) })
}

// afterManage is afterAction for the Manage group page's forms: a Problem
// re-renders that page with its message, success returns to it.
func (s *site) afterManage(e *core.RequestEvent, err error) error {
	if p, ok := problem.As(err); ok && p.Status != http.StatusNotFound && p.Status != http.StatusForbidden {
		msg := flashOf(e, p)
		return s.renderManage(e, p.Status, msg, "")
	} else if err != nil {
		return err
	}
	return web.Redirect(e, "/chats/"+e.Request.PathValue("id")+"/manage")
}

// afterAction re-renders the info page with a Problem's message, or
// follows up with a redirect.
func (s *site) afterAction(e *core.RequestEvent, err error, next string) error {
	if p, ok := problem.As(err); ok && p.Status != http.StatusNotFound {
		msg := flashOf(e, p)
		return s.renderInfo(e, p.Status, msg)
	} else if err != nil {
		return err
	}
	if next == "" {
		next = "/chats/" + e.Request.PathValue("id") + "/info"
	}
	return web.Redirect(e, next)
}

// action adapts a simple per-member operation to a form post.
func (s *site) action(op func(me, conv string) error, next string) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		return s.afterAction(e, op(web.Member(e).Id, e.Request.PathValue("id")), next)
	}
}
