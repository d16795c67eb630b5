package chatweb

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/pocketbase/pocketbase/core"
	qrcode "github.com/skip2/go-qrcode"

	"plaza/hooks/accounts"
	"plaza/hooks/chat"
	"plaza/hooks/contacts"
	"plaza/hooks/problem"
	"plaza/hooks/sortkey"
	"plaza/hooks/web"
	views "plaza/views/chat"
	"plaza/views/layout"
)

// Starting a group, its QR code, and joining one from a scanned link.

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
		msg := flashOf(e, p)
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
	_, expires, err := s.GroupLink(web.Member(e).Id, convID)
	if err != nil {
		return err
	}
	info, err := s.InfoOf(web.Member(e).Id, convID)
	if err != nil {
		return err
	}
	m := views.GroupQR{ID: convID, Name: s.GroupTitle(web.Member(e).Id, convID, info.Name), ImageURL: "/chats/" + convID + "/qr.png", Expires: expires.Format(time.RFC3339)}
	return s.render(e, http.StatusOK, convID, layout.FocusDetail, func([]views.Row) templ.Component { return views.GroupQRPage(m) })
}

// groupQRImage draws the group's join link, for members only.
func (s *site) groupQRImage(e *core.RequestEvent) error {
	path, _, err := s.GroupLink(web.Member(e).Id, e.Request.PathValue("id"))
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
	g, err := s.VerifyJoinLink(proof)
	if err != nil {
		return err
	}
	if in, err := chat.IsMember(s.app, web.Member(e).Id, g.ID); err != nil {
		return err
	} else if in {
		return web.Redirect(e, "/chats/"+g.ID)
	}
	g.Name = s.GroupTitle(web.Member(e).Id, g.ID, g.Name)
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
		g, verr := s.VerifyJoinLink(proof)
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
