package chat

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	qrcode "github.com/skip2/go-qrcode"

	"plaza/hooks/accounts"
	"plaza/hooks/accounts/accountsweb"
	"plaza/hooks/contacts"
	"plaza/hooks/links"
	"plaza/hooks/module"
	"plaza/hooks/problem"
	"plaza/hooks/sortkey"
	"plaza/hooks/web"
	"plaza/views/chat"
	"plaza/views/layout"
)

// Register installs the chat pages, the socket, the JSON routes, the Chats
// tab badge, and closes a member's sockets when their sessions are revoked.
func Register(app core.App, s *Service) {
	s.reg.AddBadge(module.PlaceChats, "chat", UnreadTotal)
	s.reg.AddScanKind(links.KindJoinGroup, "chat")
	s.reg.AllowCardWhen(SharesGroup) // tap a group member's avatar for their card
	s.registerContactEvents(app)
	s.reg.OnSignOut(s.hub.CloseMember) // one session signed out: the others reconnect
	app.OnRecordAfterUpdateSuccess(accounts.Collection).BindFunc(func(e *core.RecordEvent) error {
		if e.Record.TokenKey() != e.Record.Original().TokenKey() {
			s.hub.CloseMember(e.Record.Id) // signed out everywhere, or a new password
		}
		return e.Next()
	})
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.Shutdown(ctx) // sockets close before the database does
		return e.Next()
	})
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		pages := web.Pages(se).BindFunc(web.RequireMember)
		pages.GET("/chats", s.chatsPage)
		pages.GET("/chats/new", s.newGroupPage)
		pages.GET("/chats/search", s.searchPage)
		pages.POST("/chats/groups", s.createGroup)
		pages.GET("/chats/{id}", s.conversationPage)
		pages.GET("/chats/{id}/qr", s.groupQRPage)
		pages.GET("/chats/{id}/qr.png", s.groupQRImage)
		pages.GET("/chats/{id}/info", s.infoPage)
		pages.GET("/chats/{id}/manage", s.managePage)
		pages.POST("/chats/{id}/dissolve", s.dissolve)
		pages.POST("/chats/{id}/prefs", s.savePrefs)
		pages.POST("/chats/{id}/group", s.saveGroup)
		pages.POST("/chats/{id}/members", s.inviteMembers)
		pages.POST("/chats/{id}/members/{member}/remove", s.removeMember)
		pages.POST("/chats/{id}/owner", s.transferOwner)
		pages.POST("/chats/{id}/leave", s.leave)
		pages.POST("/chats/{id}/unread", s.action(func(me, conv string) error { return s.MarkUnread(me, conv) }, "/chats"))
		pages.POST("/chats/{id}/clear", s.action(func(me, conv string) error { return s.ClearHistory(me, conv) }, ""))
		pages.POST("/chats/{id}/hide", s.action(func(me, conv string) error { return s.Hide(me, conv) }, "/chats"))
		pages.GET("/report/message/{conv}/{mid}", s.reportMessagePage)
		pages.POST("/report/message/{conv}/{mid}", s.reportMessagePage)
		pages.GET("/report/person/{id}", s.reportPersonPage)
		pages.POST("/report/person/{id}", s.reportPersonPage)
		pages.GET("/join/{id}", s.joinPage)
		pages.POST("/join/{id}", s.join)
		pages.POST("/chats/{id}/messages", s.postMessage)
		pages.POST("/u/{friend}/chat", s.openDirect)
		pages.GET("/media/{id}", s.serveMedia)
		pages.POST("/chats/{id}/approval", s.saveApproval)
		pages.POST("/chats/{id}/join-code/reset", s.resetJoinCode)
		pages.POST("/chats/{id}/requests/{rid}/approve", s.decideRequest(true))
		pages.POST("/chats/{id}/requests/{rid}/decline", s.decideRequest(false))
		pages.POST("/chats/{id}/announcement/read", s.ackAnnouncement)
		pages.POST("/chats/{id}/media", s.uploadMedia).Bind(apis.BodyLimit(2001 << 20)) // the setting's limit is checked inside
		pages.GET("/chats/{id}/forward", s.forwardPage)
		pages.POST("/chats/{id}/forward", s.forward)
		pages.GET("/chats/{id}/cards/{mid}", s.historyPage)
		pages.GET("/chats/{id}/contact-card", s.contactCardPage)
		pages.POST("/chats/{id}/contact-card", s.sendContactCard)
		pages.GET("/me/favourites", s.favouritesPage)
		pages.POST("/me/favourites/{id}/delete", s.deleteFavourite)
		pages.GET("/favourites/{id}/file", s.favouriteFile)

		se.Router.GET("/ws", s.serveSocket)
		api := se.Router.Group("/api/plaza").BindFunc(web.RequireMember)
		api.POST("/ws-ticket", s.issueTicket)
		api.GET("/chats", s.apiList)
		api.GET("/chats/{id}/messages", s.apiMessages)
		api.GET("/chats/{id}/join-link", s.apiJoinLink)
		api.POST("/chats/{id}/join-code/reset", s.apiResetJoinCode)
		s.registerGroupAPI(api) // api_groups.go
		return se.Next()
	})
}

// people maps member ids of a conversation to how the viewer sees them.
type person struct{ name, avatar, initial string }

func (s *Service) people(viewerID, convID string) (map[string]person, int, error) {
	var rows []struct {
		ID     string `db:"id"`
		Remark string `db:"remark"`
		Alias  string `db:"alias"`
	}
	err := s.app.DB().NewQuery(`SELECT cm.member AS id, cm.alias AS alias,
		COALESCE((SELECT remark FROM contacts WHERE owner = {:v} AND friend = cm.member), '') AS remark
		FROM conversation_members cm WHERE cm.conversation = {:c}`).
		Bind(dbx.Params{"v": viewerID, "c": convID}).All(&rows)
	if err != nil {
		return nil, 0, err
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	recs, err := s.app.FindRecordsByIds(accounts.Collection, ids) // one query, not one per member
	if err != nil {
		return nil, 0, err
	}
	byID := make(map[string]*core.Record, len(recs))
	for _, rec := range recs {
		byID[rec.Id] = rec
	}
	out := make(map[string]person, len(rows))
	for _, r := range rows {
		rec := byID[r.ID]
		if rec == nil {
			continue
		}
		m := accounts.AsMember(rec)
		name := m.DisplayName()
		if r.Alias != "" {
			name = r.Alias
		}
		if r.Remark != "" {
			name = r.Remark
		}
		out[r.ID] = person{name: name, avatar: m.AvatarURL("96x96"), initial: m.Initial()}
	}
	return out, len(rows), nil
}

func (s *Service) rows(e *core.RequestEvent) ([]chat.Row, error) {
	me := web.Member(e)
	list, err := List(s.app, me.Id)
	if err != nil {
		return nil, err
	}
	faces, err := s.faces(me.Id, list)
	if err != nil {
		return nil, err
	}
	out := make([]chat.Row, 0, len(list))
	for _, c := range list {
		r := chat.Row{ID: c.ID, Title: c.Name, Unread: c.Unread(), Mentioned: c.Mentioned(), Muted: c.Muted, Pinned: c.Pinned, Group: c.Kind == KindGroup,
			Preview: c.Preview}
		switch {
		case c.Recalled:
			r.Preview = web.T(e, "chat.recalled")
		case c.LastKind == MsgImage:
			r.Preview = web.T(e, "chat.preview_image")
		case c.LastKind == MsgFile:
			r.Preview = web.T(e, "chat.preview_file", map[string]any{"name": c.Preview})
		case c.LastKind == MsgCard:
			r.Preview = cardPreview(e, c.CardType(), c.CardTitle())
		}
		if c.Kind == KindGroup && c.Sender != "" && c.Sender != me.Id && !c.Recalled { // groups name the sender
			if rec, err := s.app.FindRecordById(accounts.Collection, c.Sender); err == nil {
				r.Preview = accounts.AsMember(rec).DisplayName() + ": " + r.Preview
			}
		}
		if c.Sender == "" && c.Preview != "" { // a system notice
			r.Preview = systemText(e, c.Preview, func(id string) string {
				if rec, err := s.app.FindRecordById(accounts.Collection, id); err == nil {
					return accounts.AsMember(rec).DisplayName()
				}
				return ""
			})
		}
		if t, err := time.Parse(types.DefaultDateLayout, c.LastAt); err == nil {
			r.When = t.Format(time.RFC3339)
		}
		if c.Kind == KindDirect {
			if f, ok := faces.people[c.Peer]; ok {
				r.Title, r.AvatarURL, r.Initial = f.name, f.AvatarURL, f.Initial
			}
		} else if c.Kind == KindService {
			r.Title = web.T(e, c.Name)
			r.Initial = string([]rune(r.Title + "#")[0])
		} else {
			if r.Title == "" {
				r.Title = s.defaultGroupName(me.Id, c.ID)
			}
			r.Initial = string([]rune(r.Title + "#")[0])
			r.Collage = faces.groups[c.ID]
		}
		out = append(out, r)
	}
	return out, nil
}

// listFaces are the chat list's pictures: each 1:1 peer (with the name the
// viewer gave them) and up to nine members of each group, loaded with a
// fixed number of queries however long the list is.
type listFaces struct {
	people map[string]namedFace
	groups map[string][]chat.Face
}

// namedFace is a member's picture and the name the viewer knows them by.
type namedFace struct {
	chat.Face
	name string
}

func (s *Service) faces(viewerID string, list []Summary) (listFaces, error) {
	out := listFaces{people: map[string]namedFace{}, groups: map[string][]chat.Face{}}
	var groupIDs []any
	ids := []string{}
	for _, c := range list {
		if c.Kind == KindGroup {
			groupIDs = append(groupIDs, c.ID)
		} else if c.Peer != "" {
			ids = append(ids, c.Peer)
		}
	}
	var members []struct {
		Conv   string `db:"conversation"`
		Member string `db:"member"`
	}
	if len(groupIDs) > 0 {
		err := s.app.DB().Select("conversation", "member").From("(SELECT conversation, member, ROW_NUMBER() OVER (PARTITION BY conversation ORDER BY created, id) AS n FROM conversation_members WHERE " +
			"conversation IN (SELECT conversation FROM conversation_members WHERE member = {:v})) AS ranked").
			Where(dbx.And(dbx.In("conversation", groupIDs...), dbx.NewExp("n <= 9"))).Bind(dbx.Params{"v": viewerID}).All(&members)
		if err != nil {
			return out, fmt.Errorf("load group faces: %w", err)
		}
		for _, m := range members {
			ids = append(ids, m.Member)
		}
	}
	recs, err := s.app.FindRecordsByIds(accounts.Collection, ids)
	if err != nil {
		return out, fmt.Errorf("load chat list members: %w", err)
	}
	var remarks []struct {
		Friend string `db:"friend"`
		Remark string `db:"remark"`
	}
	if err := s.app.DB().NewQuery("SELECT friend, remark FROM contacts WHERE owner = {:v} AND remark != ''").Bind(dbx.Params{"v": viewerID}).All(&remarks); err != nil {
		return out, fmt.Errorf("load remarks: %w", err)
	}
	remarkOf := map[string]string{}
	for _, r := range remarks {
		remarkOf[r.Friend] = r.Remark
	}
	for _, rec := range recs {
		m := accounts.AsMember(rec)
		name := cmp.Or(remarkOf[rec.Id], m.DisplayName())
		out.people[rec.Id] = namedFace{chat.Face{AvatarURL: m.AvatarURL("96x96"), Initial: m.Initial()}, name}
	}
	for _, m := range members {
		if f, ok := out.people[m.Member]; ok {
			out.groups[m.Conv] = append(out.groups[m.Conv], f.Face)
		}
	}
	return out, nil
}

func (s *Service) render(e *core.RequestEvent, status int, active string, focus layout.Focus, detail func([]chat.Row) templ.Component) error {
	rows, err := s.rows(e)
	if err != nil {
		return err
	}
	shell := accountsweb.ShellFor(e, web.T(e, "tabs.chats"), layout.TabChats, focus, "/chats")
	return web.Render(e, status, layout.AppShell(shell, chat.ChatList(rows, active), detail(rows)))
}

func (s *Service) chatsPage(e *core.RequestEvent) error {
	return s.render(e, http.StatusOK, "", layout.FocusList, func([]chat.Row) templ.Component {
		return layout.EmptyState("detail-empty", web.T(e, "chats.pick"), "")
	})
}

func (s *Service) conversationView(e *core.RequestEvent, convID, flash string) (chat.Conversation, error) {
	me := web.Member(e)
	before := int64(0) // the latest page
	if at, err := strconv.ParseInt(e.Request.URL.Query().Get("at"), 10, 64); err == nil && at > 0 {
		before = at + 25 // a page around a search hit
	}
	msgs, err := Messages(s.app, me.Id, convID, -1, before, 50)
	if err != nil {
		return chat.Conversation{}, err
	}
	people, count, err := s.people(me.Id, convID)
	if err != nil {
		return chat.Conversation{}, err
	}
	conv, err := s.app.FindRecordById(ConversationsCollection, convID)
	if err != nil {
		return chat.Conversation{}, notFound()
	}
	mine, err := memberOf(s.app, me.Id, convID)
	if err != nil {
		return chat.Conversation{}, err
	}
	c := chat.Conversation{ID: convID, Group: conv.GetString("kind") == KindGroup, Members: count, Emojis: Reactions,
		Announcement: unreadAnnouncement(s.app, conv, mine.ID),
		CanAll:       conv.GetString("kind") == KindGroup && (mine.Role == RoleOwner || mine.Role == RoleAdmin),
		LastSeq:      int64(conv.GetInt("last_seq")), Title: conv.GetString("name"), Flash: flash}
	for id, p := range people {
		c.People = append(c.People, chat.Person{ID: id, Name: p.name, AvatarURL: p.avatar, Initial: p.initial})
		if !c.Group && id != me.Id {
			c.Title, c.PeerID = p.name, id
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
	if c.Group && c.Title == "" {
		c.Title = s.defaultGroupName(me.Id, convID)
	}
	c.CardLabels = CardLabels(e)
	if conv.GetString("kind") == KindService {
		c.Title, c.ReadOnly = web.T(e, c.Title), true
	}
	if before > 0 && len(msgs) > 0 {
		// An older page: the client syncs forward from its last message.
		c.LastSeq = msgs[len(msgs)-1].Seq
	}
	for _, m := range msgs {
		p := people[m.Sender]
		b := chat.Bubble{ID: m.ID, Seq: m.Seq, Mine: m.Sender == me.Id, System: m.Kind == MsgSystem, SenderID: m.Sender, Sender: p.name, Name: p.name,
			AvatarURL: p.avatar, Initial: p.initial, Text: m.Text, Recalled: m.Recalled, At: m.At.Format(time.RFC3339)}
		if !c.Group {
			b.Sender = ""
		}
		if m.Recalled {
			b.Text = web.T(e, "chat.recalled_by", map[string]any{"name": p.name})
			if b.Mine {
				b.Text = web.T(e, "chat.you_recalled")
			}
		}
		b.Mentioned = !b.Mine && (m.All || slices.Contains(m.Mentions, me.Id))
		b.Read = b.Mine && m.Seq <= readBy
		b.Reactions = chipsOf(m.Reactions, me.Id)
		b.Kind, b.Media, b.Card = m.Kind, mediaView(m.Media), cardView(e, convID, m)
		if m.Quote != nil {
			b.Quote = &chat.Quote{Sender: people[m.Quote.Sender].name, Text: m.Quote.Text}
			if m.Quote.Recalled {
				b.Quote.Text = web.T(e, "chat.recalled")
			}
		}
		if b.System {
			b.Text = systemText(e, m.Text, func(id string) string { return people[id].name })
		}
		c.Bubbles = append(c.Bubbles, b)
	}
	return c, nil
}

func (s *Service) conversationPage(e *core.RequestEvent) error {
	convID := e.Request.PathValue("id")
	c, err := s.conversationView(e, convID, "")
	if err != nil {
		return err
	}
	if _, err := s.MarkRead(web.Member(e).Id, convID, c.LastSeq); err != nil {
		return err
	}
	return s.render(e, http.StatusOK, convID, layout.FocusDetail, func([]chat.Row) templ.Component { return chat.ConversationView(c) })
}

// postMessage is the composer without JavaScript: a form post.
func (s *Service) postMessage(e *core.RequestEvent) error {
	convID := e.Request.PathValue("id")
	cid := e.Request.FormValue("cid")
	if cid == "" {
		cid = core.GenerateDefaultRandomId()
	}
	_, err := s.Send(web.Member(e).Id, convID, SendInput{ClientID: cid, Text: e.Request.FormValue("text")})
	if p, ok := problem.As(err); ok && p.Status != http.StatusNotFound {
		msg := web.ProblemMessage(e, p)
		if msg == "" && len(p.Fields) > 0 {
			msg = web.FieldErrors(e, p)[0].Message
		}
		c, verr := s.conversationView(e, convID, msg)
		if verr != nil {
			return verr
		}
		return s.render(e, p.Status, convID, layout.FocusDetail, func([]chat.Row) templ.Component { return chat.ConversationView(c) })
	} else if err != nil {
		return err
	}
	return web.Redirect(e, "/chats/"+convID)
}

func (s *Service) openDirect(e *core.RequestEvent) error {
	id, err := OpenDirect(s.app, web.Member(e).Id, e.Request.PathValue("friend"))
	if err != nil {
		return err
	}
	return web.Redirect(e, "/chats/"+id)
}

func (s *Service) apiList(e *core.RequestEvent) error {
	list, err := List(s.app, web.Member(e).Id)
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
func (s *Service) apiMessages(e *core.RequestEvent) error {
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
	limit := historyDefault
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > HistoryMax {
			return web.Problem(e, problem.Invalid("limit", "chat.limit_range", map[string]any{"max": HistoryMax}))
		}
		limit = n
	}
	items, more, err := History(s.app, web.Member(e).Id, e.Request.PathValue("id"), after, before, limit)
	if err != nil {
		return web.APIError(e, err)
	}
	if items == nil {
		items = []Message{}
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

func (s *Service) friendsToPick(e *core.RequestEvent, checked map[string]bool) ([]chat.Pick, error) {
	friends, err := contacts.Friends(s.app, web.Member(e))
	if err != nil {
		return nil, err
	}
	var out []chat.Pick
	for _, sec := range sortkey.Group(friends, contacts.Friend.Label) {
		for _, f := range sec.Items {
			m := accounts.AsMember(f.Member)
			out = append(out, chat.Pick{ID: m.Id, Label: f.Label(), AvatarURL: m.AvatarURL("96x96"), Initial: m.Initial(), Checked: checked[m.Id]})
		}
	}
	return out, nil
}

func (s *Service) newGroupPage(e *core.RequestEvent) error {
	picks, err := s.friendsToPick(e, nil)
	if err != nil {
		return err
	}
	return s.render(e, http.StatusOK, "", layout.FocusDetail, func([]chat.Row) templ.Component {
		return chat.NewGroupForm(chat.NewGroup{Friends: picks})
	})
}

func (s *Service) createGroup(e *core.RequestEvent) error {
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
		return s.render(e, p.Status, "", layout.FocusDetail, func([]chat.Row) templ.Component {
			return chat.NewGroupForm(chat.NewGroup{Name: name, Friends: picks, Error: msg})
		})
	} else if err != nil {
		return err
	}
	return web.Redirect(e, "/chats/"+id)
}

// defaultGroupName names an unnamed group after its first members, as the
// viewer knows them.
func (s *Service) defaultGroupName(viewerID, convID string) string {
	people, _, err := s.people(viewerID, convID)
	if err != nil {
		return ""
	}
	names := make([]string, 0, len(people))
	for _, p := range people {
		names = append(names, p.name)
	}
	sort.Strings(names)
	if len(names) > 3 {
		names = append(names[:3], "…")
	}
	return strings.Join(names, ", ")
}

func (s *Service) groupQRPage(e *core.RequestEvent) error {
	convID := e.Request.PathValue("id")
	_, expires, err := GroupLink(s.app, web.Member(e).Id, convID)
	if err != nil {
		return err
	}
	c, err := s.conversationView(e, convID, "")
	if err != nil {
		return err
	}
	m := chat.GroupQR{ID: convID, Name: c.Title, ImageURL: "/chats/" + convID + "/qr.png", Expires: expires.Format(time.RFC3339)}
	return s.render(e, http.StatusOK, convID, layout.FocusDetail, func([]chat.Row) templ.Component { return chat.GroupQRPage(m) })
}

// groupQRImage draws the group's join link, for members only.
func (s *Service) groupQRImage(e *core.RequestEvent) error {
	path, _, err := GroupLink(s.app, web.Member(e).Id, e.Request.PathValue("id"))
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
func (s *Service) joinPage(e *core.RequestEvent) error {
	proof := e.Request.URL.RequestURI()
	g, err := VerifyJoinLink(s.app, proof)
	if err != nil {
		return err
	}
	if _, err := memberOf(s.app, web.Member(e).Id, g.ID); err == nil {
		return web.Redirect(e, "/chats/"+g.ID)
	}
	if g.Name == "" {
		g.Name = s.defaultGroupName(web.Member(e).Id, g.ID)
	}
	card := chat.JoinCard{ID: g.ID, Name: g.Name, Members: g.Members, Proof: proof}
	return s.render(e, http.StatusOK, "", layout.FocusDetail, func([]chat.Row) templ.Component { return chat.JoinGroupCard(card) })
}

func (s *Service) join(e *core.RequestEvent) error {
	proof := e.Request.FormValue("proof")
	if !strings.HasPrefix(proof, "/join/"+e.Request.PathValue("id")+"?") {
		return problem.New(http.StatusBadRequest, "scan.tampered")
	}
	convID, err := s.Join(web.Member(e).Id, proof)
	if errors.Is(err, ErrAwaitingApproval) {
		g, verr := VerifyJoinLink(s.app, proof)
		if verr != nil {
			return verr
		}
		card := chat.JoinCard{ID: g.ID, Name: g.Name, Members: g.Members, Proof: proof, Notice: web.T(e, "chat.join_waits")}
		return s.render(e, http.StatusAccepted, "", layout.FocusDetail, func([]chat.Row) templ.Component { return chat.JoinGroupCard(card) })
	}
	if err != nil {
		return err
	}
	return web.Redirect(e, "/chats/"+convID)
}

// infoPage is a chat's settings page.
func (s *Service) infoPage(e *core.RequestEvent) error {
	return s.renderInfo(e, http.StatusOK, "")
}

func (s *Service) renderInfo(e *core.RequestEvent, status int, flash string) error {
	return s.renderInfoNotice(e, status, flash, "")
}

func (s *Service) renderInfoNotice(e *core.RequestEvent, status int, flash, notice string) error {
	return s.renderGroupPage(e, status, flash, notice, false)
}

// managePage (GET /chats/{id}/manage) is "Manage group": the owner's and
// admins' tools. Plain members are refused (403), strangers see nothing (404).
func (s *Service) managePage(e *core.RequestEvent) error {
	return s.renderManage(e, http.StatusOK, "", "")
}

func (s *Service) renderManage(e *core.RequestEvent, status int, flash, notice string) error {
	return s.renderGroupPage(e, status, flash, notice, true)
}

// afterManage is afterAction for the Manage group page's forms: a Problem
// re-renders that page with its message, success returns to it.
func (s *Service) afterManage(e *core.RequestEvent, err error) error {
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
func (s *Service) renderGroupPage(e *core.RequestEvent, status int, flash, notice string, manage bool) error {
	me := web.Member(e)
	convID := e.Request.PathValue("id")
	mine, err := memberOf(s.app, me.Id, convID)
	if err != nil {
		return err
	}
	if manage && mine.Kind != KindGroup {
		return notFound()
	}
	if manage && mine.Role != RoleOwner && mine.Role != RoleAdmin {
		return problem.New(http.StatusForbidden, "chat.admins_only")
	}
	var row struct {
		Pinned   bool   `db:"pinned"`
		Muted    bool   `db:"muted"`
		Alias    string `db:"alias"`
		Name     string `db:"name"`
		Ann      string `db:"announcement"`
		Approval bool   `db:"invite_approval"`
	}
	if err := s.app.DB().NewQuery(`SELECT cm.pinned, cm.muted, cm.alias, c.name, c.announcement, c.invite_approval FROM conversation_members cm
		JOIN conversations c ON c.id = cm.conversation WHERE cm.id = {:id}`).Bind(dbx.Params{"id": mine.ID}).One(&row); err != nil {
		return err
	}
	c, err := s.conversationView(e, convID, "")
	if err != nil {
		return err
	}
	info := chat.Info{ID: convID, Title: c.Title, Group: mine.Kind == KindGroup, Name: row.Name, Announcement: row.Ann, Alias: row.Alias,
		MyID: me.Id, MyRole: mine.Role, Pinned: row.Pinned, Muted: row.Muted, Flash: flash, Notice: notice, InviteApproval: row.Approval}
	if info.Group {
		roles, err := memberRoles(s.app, convID)
		if err != nil {
			return err
		}
		in := map[string]bool{}
		byID := map[string]chat.Person{}
		for _, p := range c.People {
			byID[p.ID] = p
		}
		for _, r := range roles {
			p := byID[r.ID]
			in[r.ID] = true
			info.Members = append(info.Members, chat.InfoMember{ID: r.ID, Name: p.Name, AvatarURL: p.AvatarURL, Initial: p.Initial, Role: r.Role})
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
		if mine.Role != RoleMember {
			if err := s.adminInfo(e, &info, byID); err != nil {
				return err
			}
		}
	}
	if manage {
		return s.render(e, status, convID, layout.FocusDetail, func([]chat.Row) templ.Component { return chat.ManagePage(info) })
	}
	return s.render(e, status, convID, layout.FocusDetail, func([]chat.Row) templ.Component { return chat.InfoPage(info) })
}

// afterAction re-renders the info page with a Problem's message, or
// follows up with a redirect.
func (s *Service) afterAction(e *core.RequestEvent, err error, next string) error {
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
func (s *Service) action(op func(me, conv string) error, next string) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		return s.afterAction(e, op(web.Member(e).Id, e.Request.PathValue("id")), next)
	}
}

func (s *Service) savePrefs(e *core.RequestEvent) error {
	pinned, muted := e.Request.FormValue("pinned") == "1", e.Request.FormValue("muted") == "1"
	u := PrefsUpdate{Pinned: &pinned, Muted: &muted}
	if e.Request.Form.Has("alias") {
		alias := e.Request.FormValue("alias")
		u.Alias = &alias
	}
	return s.afterAction(e, s.SavePrefs(web.Member(e).Id, e.Request.PathValue("id"), u), "")
}

func (s *Service) saveGroup(e *core.RequestEvent) error {
	name, ann := e.Request.FormValue("name"), e.Request.FormValue("announcement")
	return s.afterManage(e, s.UpdateGroup(web.Member(e).Id, e.Request.PathValue("id"), GroupUpdate{Name: &name, Announcement: &ann}))
}

func (s *Service) inviteMembers(e *core.RequestEvent) error {
	if err := e.Request.ParseForm(); err != nil {
		return problem.New(http.StatusBadRequest, "errors.bad_request")
	}
	wait, err := s.InviteFriends(web.Member(e).Id, e.Request.PathValue("id"), e.Request.Form["members"])
	if err == nil && wait {
		return s.renderInfoNotice(e, http.StatusOK, "", web.T(e, "chat.invite_waits"))
	}
	return s.afterAction(e, err, "")
}

func (s *Service) removeMember(e *core.RequestEvent) error {
	return s.afterManage(e, s.Remove(web.Member(e).Id, e.Request.PathValue("id"), e.Request.PathValue("member")))
}

func (s *Service) transferOwner(e *core.RequestEvent) error {
	return s.afterManage(e, s.TransferOwnership(web.Member(e).Id, e.Request.PathValue("id"), e.Request.FormValue("member")))
}

func (s *Service) leave(e *core.RequestEvent) error {
	return s.afterAction(e, s.Leave(web.Member(e).Id, e.Request.PathValue("id")), "/chats")
}

func (s *Service) searchPage(e *core.RequestEvent) error {
	me := web.Member(e)
	q := strings.TrimSpace(e.Request.URL.Query().Get("q"))
	convID := e.Request.URL.Query().Get("c")
	kind := e.Request.URL.Query().Get("kind")
	switch kind {
	case SearchImages, SearchFiles, SearchLinks:
	default:
		kind = SearchText
	}
	m := chat.Results{Query: q, ConvID: convID, Kind: kind}
	if convID != "" {
		if _, err := memberOf(s.app, me.Id, convID); err != nil {
			return err
		}
	}
	hits, err := Search(s.app, me.Id, convID, q, kind)
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
	names := map[string]map[string]person{}
	for _, h := range hits {
		if names[h.Conversation] == nil {
			names[h.Conversation], _, _ = s.people(me.Id, h.Conversation)
		}
		before, match, after := splitMatch(h.Text, q)
		m.Items = append(m.Items, chat.Result{ConvID: h.Conversation, Chat: titles[h.Conversation], Sender: names[h.Conversation][h.Sender].name,
			Before: before, Match: match, After: after, Seq: h.Seq, At: h.At.Format(time.RFC3339), Media: mediaView(h.Media)})
	}
	return s.render(e, http.StatusOK, convID, layout.FocusDetail, func([]chat.Row) templ.Component { return chat.SearchResults(m) })
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
func (s *Service) reportMessagePage(e *core.RequestEvent) error {
	me := web.Member(e)
	convID, mid := e.Request.PathValue("conv"), e.Request.PathValue("mid")
	mine, err := memberOf(s.app, me.Id, convID)
	if err != nil {
		return err
	}
	var text string
	if err := s.app.DB().NewQuery("SELECT text FROM messages WHERE id = {:id} AND conversation = {:c} AND recalled = 0 AND kind != 'system' AND seq > {:from}").
		Bind(dbx.Params{"id": mid, "c": convID, "from": max(mine.JoinedSeq, mine.Cleared)}).Row(&text); err != nil {
		return notFound()
	}
	m := chat.ReportForm{Action: e.Request.URL.Path, Subject: text, Back: "/chats/" + convID}
	return s.report(e, m, func(in ReportInput) error { return ReportMessage(s.app, me.Id, convID, mid, in) })
}

// reportPersonPage shows and files a report about a member.
func (s *Service) reportPersonPage(e *core.RequestEvent) error {
	other, err := s.app.FindRecordById(accounts.Collection, e.Request.PathValue("id"))
	if err != nil {
		return notFound()
	}
	m := chat.ReportForm{Action: e.Request.URL.Path, Subject: accounts.AsMember(other).DisplayName(), Back: "/contacts"}
	return s.report(e, m, func(in ReportInput) error { return ReportPerson(s.app, web.Member(e).Id, other.Id, in) })
}

func (s *Service) report(e *core.RequestEvent, m chat.ReportForm, file func(ReportInput) error) error {
	status := http.StatusOK
	if e.Request.Method == http.MethodPost {
		in := ReportInput{Reason: e.Request.FormValue("reason"), Note: e.Request.FormValue("note")}
		err := file(in)
		if p, ok := problem.As(err); ok && p.Status == http.StatusBadRequest {
			m.Reason, m.Note, m.Errors, status = in.Reason, in.Note, web.FieldErrors(e, p), p.Status
		} else if err != nil {
			return err
		} else {
			m.Done = true
		}
	}
	return s.render(e, status, "", layout.FocusDetail, func([]chat.Row) templ.Component { return chat.ReportPage(m) })
}

// chipsOf orders a message's reactions as offered, with counts and whether
// the viewer is among them.
func chipsOf(reactions map[string][]string, viewerID string) []chat.Chip {
	var out []chat.Chip
	for _, e := range Reactions {
		if who := reactions[e]; len(who) > 0 {
			out = append(out, chat.Chip{Emoji: e, Count: len(who), Mine: slices.Contains(who, viewerID)})
		}
	}
	return out
}
