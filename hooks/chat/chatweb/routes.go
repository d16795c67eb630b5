package chatweb

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	qrcode "github.com/skip2/go-qrcode"

	"plaza/hooks/accounts"
	"plaza/hooks/accounts/accountsweb"
	"plaza/hooks/chat"
	"plaza/hooks/contacts"
	"plaza/hooks/problem"
	"plaza/hooks/sortkey"
	"plaza/hooks/web"
	views "plaza/views/chat"
	"plaza/views/layout"
)

func (s *site) rows(e *core.RequestEvent) ([]views.Row, error) {
	me := web.Member(e)
	list, err := chat.List(s.app, me.Id)
	if err != nil {
		return nil, err
	}
	faces, err := s.Faces(me.Id, list)
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
		if c.Sender == "" && c.Preview != "" { // a system notice
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
		} else {
			if r.Title == "" {
				r.Title = s.DefaultGroupName(me.Id, c.ID)
			}
			r.Initial = string([]rune(r.Title + "#")[0])
			for _, f := range faces.Groups[c.ID] {
				r.Collage = append(r.Collage, views.Face(f))
			}
		}
		out = append(out, r)
	}
	return out, nil
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

func (s *site) conversationView(e *core.RequestEvent, convID, flash string) (views.Conversation, error) {
	me := web.Member(e)
	before := int64(0) // the latest page
	if at, err := strconv.ParseInt(e.Request.URL.Query().Get("at"), 10, 64); err == nil && at > 0 {
		before = at + 25 // a page around a search hit
	}
	msgs, err := chat.Messages(s.app, me.Id, convID, -1, before, 50)
	if err != nil {
		return views.Conversation{}, err
	}
	people, count, err := s.People(me.Id, convID)
	if err != nil {
		return views.Conversation{}, err
	}
	info, err := s.InfoOf(me.Id, convID)
	if err != nil {
		return views.Conversation{}, err
	}
	c := views.Conversation{ID: convID, Group: info.Kind == chat.KindGroup, Members: count, Emojis: chat.Reactions,
		Announcement: info.UnreadAnnouncement,
		CanAll:       info.Kind == chat.KindGroup && (info.Role == chat.RoleOwner || info.Role == chat.RoleAdmin),
		LastSeq:      info.LastSeq, Title: info.Name, Flash: flash}
	c.Title = s.title(e, me.Id, convID, info, people)
	for id, p := range people {
		c.People = append(c.People, views.Person{ID: id, Name: p.Name, AvatarURL: p.AvatarURL, Initial: p.Initial})
		if !c.Group && id != me.Id {
			c.PeerID = id
		}
	}
	var readBy int64
	if c.PeerID != "" {
		online, seen := s.PresenceFor(me.Id, c.PeerID)
		c.Online = online
		if !seen.IsZero() {
			c.LastSeen = seen.Format(time.RFC3339)
		}
		readBy = s.ReadBy(me.Id, convID)
	}
	c.CardLabels = s.cardLabels(e)
	c.ReadOnly = info.Kind == chat.KindService
	if before > 0 && len(msgs) > 0 {
		// An older page: the client syncs forward from its last message.
		c.LastSeq = msgs[len(msgs)-1].Seq
	}
	for _, m := range msgs {
		p := people[m.Sender]
		b := views.Bubble{ID: m.ID, Seq: m.Seq, Mine: m.Sender == me.Id, System: m.Kind == chat.MsgSystem, SenderID: m.Sender, Sender: p.Name, Name: p.Name,
			AvatarURL: p.AvatarURL, Initial: p.Initial, Text: m.Text, Recalled: m.Recalled, At: m.At.Format(time.RFC3339)}
		if !c.Group {
			b.Sender = ""
		}
		if m.Recalled {
			b.Text = web.T(e, "chat.recalled_by", map[string]any{"name": p.Name})
			if b.Mine {
				b.Text = web.T(e, "chat.you_recalled")
			}
		}
		b.Mentioned = !b.Mine && (m.All || slices.Contains(m.Mentions, me.Id))
		b.Read = b.Mine && m.Seq <= readBy
		b.Reactions = chipsOf(m.Reactions, me.Id)
		b.Kind, b.Media, b.Card = m.Kind, mediaView(m.Media), s.cardView(e, convID, m)
		if m.Quote != nil {
			b.Quote = &views.Quote{Sender: people[m.Quote.Sender].Name, Text: m.Quote.Text}
			if m.Quote.Recalled {
				b.Quote.Text = web.T(e, "chat.recalled")
			}
		}
		if b.System {
			b.Text = systemText(e, m.Text, func(id string) string { return people[id].Name })
		}
		c.Bubbles = append(c.Bubbles, b)
	}
	return c, nil
}

// title is a chat's name as the viewer sees it: a 1:1 chat's peer as they
// know them, a group's name or else its first members, a service chat's
// name in their language.
func (s *site) title(e *core.RequestEvent, viewerID, convID string, info chat.Info, people map[string]chat.Person) string {
	switch info.Kind {
	case chat.KindDirect:
		for id, p := range people {
			if id != viewerID {
				return p.Name
			}
		}
		return info.Name
	case chat.KindService:
		return web.T(e, info.Name)
	case chat.KindGroup:
		if info.Name == "" {
			return s.DefaultGroupName(viewerID, convID)
		}
	}
	return info.Name
}

func (s *site) conversationPage(e *core.RequestEvent) error {
	convID := e.Request.PathValue("id")
	c, err := s.conversationView(e, convID, "")
	if err != nil {
		return err
	}
	if _, err := s.MarkRead(web.Member(e).Id, convID, c.LastSeq); err != nil {
		return err
	}
	return s.render(e, http.StatusOK, convID, layout.FocusDetail, func([]views.Row) templ.Component { return views.ConversationView(c) })
}

// postMessage is the composer without JavaScript: a form post.
func (s *site) postMessage(e *core.RequestEvent) error {
	convID := e.Request.PathValue("id")
	cid := e.Request.FormValue("cid")
	if cid == "" {
		cid = core.GenerateDefaultRandomId()
	}
	_, err := s.Send(web.Member(e).Id, convID, chat.SendInput{ClientID: cid, Text: e.Request.FormValue("text")})
	if p, ok := problem.As(err); ok && p.Status != http.StatusNotFound {
		msg := web.ProblemMessage(e, p)
		if msg == "" && len(p.Fields) > 0 {
			msg = web.FieldErrors(e, p)[0].Message
		}
		c, verr := s.conversationView(e, convID, msg)
		if verr != nil {
			return verr
		}
		return s.render(e, p.Status, convID, layout.FocusDetail, func([]views.Row) templ.Component { return views.ConversationView(c) })
	} else if err != nil {
		return err
	}
	return web.Redirect(e, "/chats/"+convID)
}

func (s *site) openDirect(e *core.RequestEvent) error {
	id, err := chat.OpenDirect(s.app, web.Member(e).Id, e.Request.PathValue("friend"))
	if err != nil {
		return err
	}
	return web.Redirect(e, "/chats/"+id)
}

func (s *site) apiList(e *core.RequestEvent) error {
	list, err := chat.List(s.app, web.Member(e).Id)
	if err != nil {
		return web.APIError(e, err)
	}
	out := []apiChat{}
	for _, c := range list {
		out = append(out, apiChatOf(c))
	}
	return e.JSON(http.StatusOK, map[string]any{"items": out})
}

// apiMessages: ?after=N (oldest first from N+1) or ?before=N (the page
// before N; default the latest), &limit= 1 to 200 (default 50; else a 400
// naming limit). more: there is more beyond the page in that direction.
func (s *site) apiMessages(e *core.RequestEvent) error {
	q := e.Request.URL.Query()
	after, before := int64(-1), int64(0)
	if v := q.Get("after"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return web.Problem(e, problem.New(http.StatusBadRequest, "errors.bad_request"))
		}
		after = n
	}
	if v := q.Get("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return web.Problem(e, problem.New(http.StatusBadRequest, "errors.bad_request"))
		}
		before = n
	}
	limit := chat.HistoryDefault
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > chat.HistoryMax {
			return web.Problem(e, problem.Invalid("limit", "chat.limit_range", map[string]any{"max": chat.HistoryMax}))
		}
		limit = n
	}
	items, more, err := chat.History(s.app, web.Member(e).Id, e.Request.PathValue("id"), after, before, limit)
	if err != nil {
		return web.APIError(e, err)
	}
	if items == nil {
		items = []chat.Message{}
	}
	return e.JSON(http.StatusOK, map[string]any{"items": items, "more": more})
}

// noticeKeys translate the group notices' codes.
var noticeKeys = map[string]string{
	"renamed":      "chat.notice_renamed",
	"announcement": "chat.notice_announcement",
	"left":         "chat.notice_left",
	"owner":        "chat.notice_owner",
	"removed":      "chat.notice_removed",
	"invited":      "chat.notice_invited",
}

// systemText renders a system notice's code in the viewer's language.
func systemText(e *core.RequestEvent, code string, name func(id string) string) string {
	kind, arg, _ := strings.Cut(code, ":")
	switch kind {
	case "group_created":
		return web.T(e, "chat.group_created", map[string]any{"name": name(arg)})
	case "renamed", "announcement", "left", "owner":
		return web.T(e, noticeKeys[kind], map[string]any{"name": name(arg)})
	case "removed", "invited":
		actor, others, _ := strings.Cut(arg, ":")
		var names []string
		for _, id := range strings.Split(others, ",") {
			if n := name(id); n != "" {
				names = append(names, n)
			}
		}
		return web.T(e, noticeKeys[kind], map[string]any{"name": name(actor), "others": strings.Join(names, ", ")})
	case "pat":
		parts := strings.SplitN(arg, ":", 3)
		if len(parts) < 2 {
			return ""
		}
		suffix := ""
		if len(parts) == 3 {
			suffix = parts[2]
		}
		actor, target := name(parts[0]), name(parts[1])
		if me := web.Member(e); me != nil { // the patted member reads "you"
			switch {
			case parts[0] == me.Id && parts[1] == me.Id:
				actor, target = web.T(e, "chat.pat_you"), web.T(e, "chat.pat_yourself")
			case parts[0] == me.Id:
				actor = web.T(e, "chat.pat_you")
			case parts[1] == me.Id:
				target = web.T(e, "chat.pat_you_object")
			}
		}
		if suffix == "" {
			return web.T(e, "chat.notice_pat", map[string]any{"name": actor, "target": target})
		}
		return web.T(e, "chat.notice_pat_suffix", map[string]any{"name": actor, "target": target, "suffix": suffix})
	case "packet_opened": // claimer:sender of a red packet
		claimer, sender, _ := strings.Cut(arg, ":")
		me := ""
		if m := web.Member(e); m != nil {
			me = m.Id
		}
		switch me {
		case sender:
			return web.T(e, "chat.notice_packet_opened_yours", map[string]any{"name": name(claimer)})
		case claimer:
			return web.T(e, "chat.notice_packet_you_opened", map[string]any{"name": name(sender)})
		}
		return web.T(e, "chat.notice_packet_opened", map[string]any{"name": name(claimer), "owner": name(sender)})
	case "friend_added": // acceptor:requester; each sees the other's name
		a, b, _ := strings.Cut(arg, ":")
		if me := web.Member(e); me != nil && me.Id == a {
			a = b
		}
		return web.T(e, "chat.notice_friend_added", map[string]any{"name": name(a)})
	case "joined_by_qr":
		if n := name(arg); n != "" {
			return web.T(e, "chat.joined_by_qr", map[string]any{"name": n})
		}
		return web.T(e, "chat.joined_by_qr_someone")
	}
	return ""
}

func (s *site) friendsToPick(e *core.RequestEvent, checked map[string]bool) ([]views.Pick, error) {
	friends, err := contacts.Friends(s.app, web.Member(e))
	if err != nil {
		return nil, err
	}
	var out []views.Pick
	for _, sec := range sortkey.Group(friends, contacts.Friend.Label) {
		for _, f := range sec.Items {
			m := accounts.AsMember(f.Member)
			out = append(out, views.Pick{ID: m.Id, Label: f.Label(), AvatarURL: m.AvatarURL("96x96"), Initial: m.Initial(), Checked: checked[m.Id]})
		}
	}
	return out, nil
}

func (s *site) newGroupPage(e *core.RequestEvent) error {
	picks, err := s.friendsToPick(e, nil)
	if err != nil {
		return err
	}
	return s.render(e, http.StatusOK, "", layout.FocusDetail, func([]views.Row) templ.Component {
		return views.NewGroupForm(views.NewGroup{Friends: picks})
	})
}

func (s *site) createGroup(e *core.RequestEvent) error {
	if err := e.Request.ParseForm(); err != nil {
		return problem.New(http.StatusBadRequest, "errors.bad_request")
	}
	members := e.Request.Form["members"]
	name := e.Request.FormValue("name")
	id, err := s.CreateGroup(web.Member(e).Id, name, members)
	if p, ok := problem.As(err); ok {
		checked := map[string]bool{}
		for _, m := range members {
			checked[m] = true
		}
		picks, perr := s.friendsToPick(e, checked)
		if perr != nil {
			return perr
		}
		msg := web.ProblemMessage(e, p)
		if msg == "" && len(p.Fields) > 0 {
			msg = web.FieldErrors(e, p)[0].Message
		}
		return s.render(e, p.Status, "", layout.FocusDetail, func([]views.Row) templ.Component {
			return views.NewGroupForm(views.NewGroup{Name: name, Friends: picks, Error: msg})
		})
	} else if err != nil {
		return err
	}
	return web.Redirect(e, "/chats/"+id)
}

func (s *site) groupQRPage(e *core.RequestEvent) error {
	convID := e.Request.PathValue("id")
	_, expires, err := chat.GroupLink(s.app, web.Member(e).Id, convID)
	if err != nil {
		return err
	}
	c, err := s.conversationView(e, convID, "")
	if err != nil {
		return err
	}
	m := views.GroupQR{ID: convID, Name: c.Title, ImageURL: "/chats/" + convID + "/qr.png", Expires: expires.Format(time.RFC3339)}
	return s.render(e, http.StatusOK, convID, layout.FocusDetail, func([]views.Row) templ.Component { return views.GroupQRPage(m) })
}

// groupQRImage draws the group's join link, for members only.
func (s *site) groupQRImage(e *core.RequestEvent) error {
	path, _, err := chat.GroupLink(s.app, web.Member(e).Id, e.Request.PathValue("id"))
	if err != nil {
		return err
	}
	png, err := qrcode.Encode(web.SiteURL(e.App, path), qrcode.Medium, 512)
	if err != nil {
		return fmt.Errorf("draw group qr code: %w", err)
	}
	e.Response.Header().Set("Cache-Control", "private, no-store")
	if e.Request.URL.Query().Get("download") == "1" {
		e.Response.Header().Set("Content-Disposition", `attachment; filename="plaza-group.png"`)
	}
	return e.Blob(http.StatusOK, "image/png", png)
}

// joinPage is where a scanned group code leads: the group's card and a
// Join button (or the chat, for a member).
func (s *site) joinPage(e *core.RequestEvent) error {
	proof := e.Request.URL.RequestURI()
	g, err := chat.VerifyJoinLink(s.app, proof)
	if err != nil {
		return err
	}
	if in, err := chat.IsMember(s.app, web.Member(e).Id, g.ID); err != nil {
		return err
	} else if in {
		return web.Redirect(e, "/chats/"+g.ID)
	}
	if g.Name == "" {
		g.Name = s.DefaultGroupName(web.Member(e).Id, g.ID)
	}
	card := views.JoinCard{ID: g.ID, Name: g.Name, Members: g.Members, Proof: proof}
	return s.render(e, http.StatusOK, "", layout.FocusDetail, func([]views.Row) templ.Component { return views.JoinGroupCard(card) })
}

func (s *site) join(e *core.RequestEvent) error {
	proof := e.Request.FormValue("proof")
	if !strings.HasPrefix(proof, "/join/"+e.Request.PathValue("id")+"?") {
		return problem.New(http.StatusBadRequest, "scan.tampered")
	}
	convID, err := s.Join(web.Member(e).Id, proof)
	if errors.Is(err, chat.ErrAwaitingApproval) {
		g, verr := chat.VerifyJoinLink(s.app, proof)
		if verr != nil {
			return verr
		}
		card := views.JoinCard{ID: g.ID, Name: g.Name, Members: g.Members, Proof: proof, Notice: web.T(e, "chat.join_waits")}
		return s.render(e, http.StatusAccepted, "", layout.FocusDetail, func([]views.Row) templ.Component { return views.JoinGroupCard(card) })
	}
	if err != nil {
		return err
	}
	return web.Redirect(e, "/chats/"+convID)
}

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

// afterManage is afterAction for the Manage group page's forms: a Problem
// re-renders that page with its message, success returns to it.
func (s *site) afterManage(e *core.RequestEvent, err error) error {
	if p, ok := problem.As(err); ok && p.Status != http.StatusNotFound && p.Status != http.StatusForbidden {
		msg := web.ProblemMessage(e, p)
		if msg == "" && len(p.Fields) > 0 {
			msg = web.FieldErrors(e, p)[0].Message
		}
		return s.renderManage(e, p.Status, msg, "")
	} else if err != nil {
		return err
	}
	return web.Redirect(e, "/chats/"+e.Request.PathValue("id")+"/manage")
}

// renderGroupPage renders a chat's info page, or with manage its Manage
// group page.
func (s *site) renderGroupPage(e *core.RequestEvent, status int, flash, notice string, manage bool) error {
	me := web.Member(e)
	convID := e.Request.PathValue("id")
	mine, err := s.InfoOf(me.Id, convID)
	if err != nil {
		return err
	}
	if manage && mine.Kind != chat.KindGroup {
		return chat.NotFound()
	}
	if manage && mine.Role != chat.RoleOwner && mine.Role != chat.RoleAdmin {
		return problem.New(http.StatusForbidden, "chat.admins_only")
	}
	people, _, err := s.People(me.Id, convID)
	if err != nil {
		return err
	}
	info := views.Info{ID: convID, Title: s.title(e, me.Id, convID, mine, people), Group: mine.Kind == chat.KindGroup, Name: mine.Name,
		Announcement: mine.Announcement, Alias: mine.Alias, MyID: me.Id, MyRole: mine.Role, Pinned: mine.Pinned, Muted: mine.Muted,
		Flash: flash, Notice: notice, InviteApproval: mine.Approval}
	if info.Group {
		roles, err := chat.MemberRoles(s.app, convID)
		if err != nil {
			return err
		}
		in := map[string]bool{}
		byID := map[string]views.Person{}
		for id, p := range people {
			byID[id] = views.Person{ID: id, Name: p.Name, AvatarURL: p.AvatarURL, Initial: p.Initial}
		}
		for _, r := range roles {
			p := byID[r.ID]
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
		if mine.Role != chat.RoleMember {
			if err := s.adminInfo(e, &info, byID); err != nil {
				return err
			}
		}
	}
	if manage {
		return s.render(e, status, convID, layout.FocusDetail, func([]views.Row) templ.Component { return views.ManagePage(info) })
	}
	return s.render(e, status, convID, layout.FocusDetail, func([]views.Row) templ.Component { return views.InfoPage(info) })
}

// afterAction re-renders the info page with a Problem's message, or
// follows up with a redirect.
func (s *site) afterAction(e *core.RequestEvent, err error, next string) error {
	if p, ok := problem.As(err); ok && p.Status != http.StatusNotFound {
		msg := web.ProblemMessage(e, p)
		if msg == "" && len(p.Fields) > 0 {
			msg = web.FieldErrors(e, p)[0].Message
		}
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

func (s *site) savePrefs(e *core.RequestEvent) error {
	pinned, muted := e.Request.FormValue("pinned") == "1", e.Request.FormValue("muted") == "1"
	u := chat.PrefsUpdate{Pinned: &pinned, Muted: &muted}
	if e.Request.Form.Has("alias") {
		alias := e.Request.FormValue("alias")
		u.Alias = &alias
	}
	return s.afterAction(e, s.SavePrefs(web.Member(e).Id, e.Request.PathValue("id"), u), "")
}

func (s *site) saveGroup(e *core.RequestEvent) error {
	name, ann := e.Request.FormValue("name"), e.Request.FormValue("announcement")
	return s.afterManage(e, s.UpdateGroup(web.Member(e).Id, e.Request.PathValue("id"), chat.GroupUpdate{Name: &name, Announcement: &ann}))
}

func (s *site) inviteMembers(e *core.RequestEvent) error {
	if err := e.Request.ParseForm(); err != nil {
		return problem.New(http.StatusBadRequest, "errors.bad_request")
	}
	wait, err := s.InviteFriends(web.Member(e).Id, e.Request.PathValue("id"), e.Request.Form["members"])
	if err == nil && wait {
		return s.renderInfoNotice(e, http.StatusOK, "", web.T(e, "chat.invite_waits"))
	}
	return s.afterAction(e, err, "")
}

func (s *site) removeMember(e *core.RequestEvent) error {
	return s.afterManage(e, s.Remove(web.Member(e).Id, e.Request.PathValue("id"), e.Request.PathValue("member")))
}

func (s *site) transferOwner(e *core.RequestEvent) error {
	return s.afterManage(e, s.TransferOwnership(web.Member(e).Id, e.Request.PathValue("id"), e.Request.FormValue("member")))
}

func (s *site) leave(e *core.RequestEvent) error {
	return s.afterAction(e, s.Leave(web.Member(e).Id, e.Request.PathValue("id")), "/chats")
}

func (s *site) searchPage(e *core.RequestEvent) error {
	me := web.Member(e)
	q := strings.TrimSpace(e.Request.URL.Query().Get("q"))
	convID := e.Request.URL.Query().Get("c")
	kind := e.Request.URL.Query().Get("kind")
	switch kind {
	case chat.SearchImages, chat.SearchFiles, chat.SearchLinks:
	default:
		kind = chat.SearchText
	}
	m := views.Results{Query: q, ConvID: convID, Kind: kind}
	if convID != "" {
		if _, err := chat.MembershipOf(s.app, me.Id, convID); err != nil {
			return err
		}
	}
	hits, err := chat.Search(s.app, me.Id, convID, q, kind)
	if err != nil {
		return err
	}
	rows, err := s.rows(e)
	if err != nil {
		return err
	}
	titles := map[string]string{}
	for _, r := range rows {
		titles[r.ID] = r.Title
	}
	if convID != "" {
		m.Chat = titles[convID]
	}
	names := map[string]map[string]chat.Person{}
	for _, h := range hits {
		if names[h.Conversation] == nil {
			if names[h.Conversation], _, err = s.People(me.Id, h.Conversation); err != nil {
				return err
			}
		}
		before, match, after := splitMatch(h.Text, q)
		m.Items = append(m.Items, views.Result{ConvID: h.Conversation, Chat: titles[h.Conversation], Sender: names[h.Conversation][h.Sender].Name,
			Before: before, Match: match, After: after, Seq: h.Seq, At: h.At.Format(time.RFC3339), Media: mediaView(h.Media)})
	}
	return s.render(e, http.StatusOK, convID, layout.FocusDetail, func([]views.Row) templ.Component { return views.SearchResults(m) })
}

// splitMatch cuts text around the first case-insensitive occurrence of q,
// keeping some context before it.
func splitMatch(text, q string) (before, match, after string) {
	lower, lq := []rune(strings.ToLower(text)), []rune(strings.ToLower(q))
	runes := []rune(text)
	for i := 0; i+len(lq) <= len(lower) && len(lq) > 0; i++ {
		if string(lower[i:i+len(lq)]) == string(lq) {
			start := max(0, i-20)
			before = string(runes[start:i])
			if start > 0 {
				before = "…" + before
			}
			return before, string(runes[i : i+len(lq)]), string(runes[i+len(lq):])
		}
	}
	return "", "", text
}

// reportMessagePage shows and files a report about a message.
func (s *site) reportMessagePage(e *core.RequestEvent) error {
	me := web.Member(e)
	convID, mid := e.Request.PathValue("conv"), e.Request.PathValue("mid")
	text, err := chat.ReportableText(s.app, me.Id, convID, mid)
	if err != nil {
		return err
	}
	m := views.ReportForm{Action: e.Request.URL.Path, Subject: text, Back: "/chats/" + convID}
	return s.report(e, m, func(in chat.ReportInput) error { return chat.ReportMessage(s.app, me.Id, convID, mid, in) })
}

// reportPersonPage shows and files a report about a member.
func (s *site) reportPersonPage(e *core.RequestEvent) error {
	otherID := e.Request.PathValue("id")
	name := s.NameOf(otherID)
	if name == "" {
		return chat.NotFound()
	}
	m := views.ReportForm{Action: e.Request.URL.Path, Subject: name, Back: "/contacts"}
	return s.report(e, m, func(in chat.ReportInput) error { return chat.ReportPerson(s.app, web.Member(e).Id, otherID, in) })
}

func (s *site) report(e *core.RequestEvent, m views.ReportForm, file func(chat.ReportInput) error) error {
	status := http.StatusOK
	if e.Request.Method == http.MethodPost {
		in := chat.ReportInput{Reason: e.Request.FormValue("reason"), Note: e.Request.FormValue("note")}
		err := file(in)
		if p, ok := problem.As(err); ok && p.Status == http.StatusBadRequest {
			m.Reason, m.Note, m.Errors, status = in.Reason, in.Note, web.FieldErrors(e, p), p.Status
		} else if err != nil {
			return err
		} else {
			m.Done = true
		}
	}
	return s.render(e, status, "", layout.FocusDetail, func([]views.Row) templ.Component { return views.ReportPage(m) })
}

// chipsOf orders a message's reactions as offered, with counts and whether
// the viewer is among them.
func chipsOf(reactions map[string][]string, viewerID string) []views.Chip {
	var out []views.Chip
	for _, e := range chat.Reactions {
		if who := reactions[e]; len(who) > 0 {
			out = append(out, views.Chip{Emoji: e, Count: len(who), Mine: slices.Contains(who, viewerID)})
		}
	}
	return out
}

// dissolve is POST /chats/{id}/dissolve (the Manage group page).
func (s *site) dissolve(e *core.RequestEvent) error {
	return s.afterAction(e, s.Dissolve(web.Member(e).Id, e.Request.PathValue("id")), "/chats")
}
