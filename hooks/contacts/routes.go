package contacts

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/a-h/templ"
	"github.com/pocketbase/pocketbase/core"
	qrcode "github.com/skip2/go-qrcode"

	"plaza/hooks/accounts"
	"plaza/hooks/accounts/accountsweb"
	"plaza/hooks/links"
	"plaza/hooks/module"
	"plaza/hooks/problem"
	shellweb "plaza/hooks/shell"
	"plaza/hooks/web"
	"plaza/views/contacts"
	"plaza/views/layout"
)

// Register installs the contacts pages, JSON routes and the New Friends
// badge on the Contacts tab, and makes add-friend links scannable.
func Register(app core.App, reg *module.Registry) {
	reg.AddBadge(module.PlaceContacts, "contacts", PendingCount)
	reg.AddScanKind(links.KindAddFriend, "contacts")
	reg.AddDiscover(module.Entry{ID: "scan", Owner: "contacts", Label: "scan.title", Href: "/scan", Icon: "scan", Order: 30})
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		pages := web.Pages(se).BindFunc(web.RequireMember)
		pages.GET("/contacts", contactsPage)
		pages.GET("/contacts/search", searchPage)
		pages.GET("/contacts/new", newFriendsPage)
		pages.GET("/contacts/groups", groupsPage)
		pages.GET("/contacts/official", officialPage)
		pages.POST("/contacts/requests", sendRequest)
		pages.GET("/contacts/requests", newFriendsPage) // where a form's address leads back to
		pages.GET("/contacts/requests/{id}", requestPage)
		pages.POST("/contacts/requests/{id}/accept", acceptRequest)
		pages.POST("/contacts/requests/{id}/ignore", ignoreRequest)
		pages.GET("/contacts/tags", tagsPage)
		pages.POST("/contacts/tags", createTagPage)
		pages.GET("/contacts/tags/{id}", tagPage)
		pages.POST("/contacts/tags/{id}", renameTagPage)
		pages.POST("/contacts/tags/{id}/delete", deleteTagPage)
		pages.GET("/u/{id}", cardPage)
		pages.GET("/u/{id}/edit", editPage)
		pages.POST("/u/{id}/edit", saveEdit)
		pages.POST("/u/{id}/delete", deleteFriend)
		pages.POST("/u/{id}/block", blockPerson)
		pages.POST("/u/{id}/unblock", unblockPerson)
		pages.GET("/add/{plazaID}", addLinkPage)
		pages.GET("/me/qr", qrPage)
		pages.GET("/me/qr.png", qrImage)
		pages.POST("/me/qr/reset", resetQR)
		pages.GET("/scan", scanPage)
		pages.POST("/scan", scan)
		pages.GET("/me/privacy", privacyPage)
		pages.POST("/me/privacy", savePrivacy)

		registerAPI(se)
		return se.Next()
	})
}

// render shows the Contacts tab with detail in the detail pane.
func render(e *core.RequestEvent, status int, active string, focus layout.Focus, detail templ.Component) error {
	me := web.Member(e)
	friends, err := Friends(e.App, me)
	if err != nil {
		return err
	}
	pending, err := PendingCount(e.App, me.Id)
	if err != nil {
		return err
	}
	shell := accountsweb.ShellFor(e, web.T(e, "tabs.contacts"), layout.TabContacts, focus, "/contacts")
	return web.Render(e, status, layout.AppShell(shell, contacts.ContactsList(listOf(friends, pending, active)), detail))
}

func pick(e *core.RequestEvent) templ.Component {
	return layout.EmptyState("detail-empty", web.T(e, "contacts.pick"), "")
}

func contactsPage(e *core.RequestEvent) error {
	return render(e, http.StatusOK, "", layout.FocusList, pick(e))
}

func groupsPage(e *core.RequestEvent) error {
	return render(e, http.StatusOK, "groups", layout.FocusDetail, contacts.Empty(web.T(e, "contacts.group_chats"),
		"empty-groups", web.T(e, "contacts.groups_empty_title"), web.T(e, "contacts.groups_empty_body")))
}

func officialPage(e *core.RequestEvent) error {
	return render(e, http.StatusOK, "official", layout.FocusDetail, contacts.Empty(web.T(e, "contacts.official_accounts"),
		"empty-official", web.T(e, "contacts.official_empty_title"), web.T(e, "contacts.official_empty_body")))
}

// --- people and cards -------------------------------------------------------

// cardFor builds the card of other as me sees them.
func cardFor(e *core.RequestEvent, other *core.Record, source, proof string) (contacts.Card, error) {
	me := web.Member(e)
	rel, err := RelationOf(e.App, me, other)
	if err != nil {
		return contacts.Card{}, err
	}
	label := ""
	c := contacts.Card{Self: rel.Self, Blocked: rel.Blocked, Outgoing: rel.Outgoing != nil, Source: source, Proof: proof,
		DefaultGreeting: web.T(e, "contacts.default_greeting", map[string]any{"name": accounts.AsMember(me).DisplayName()})}
	if rel.Contact != nil {
		c.Friend, c.Remark, label = true, rel.Contact.Remark(), rel.Contact.Remark()
	}
	if rel.Incoming != nil {
		c.IncomingID, c.IncomingGreeting = rel.Incoming.Id, rel.Incoming.Greeting()
		tags, err := Tags(e.App, me)
		if err != nil {
			return c, err
		}
		c.Tags = tagChoices(tags, nil)
	}
	if rel.Outgoing != nil {
		c.DefaultGreeting = rel.Outgoing.Greeting()
	}
	c.Person = PersonOf(other, label)
	return c, nil
}

// cardPage shows someone I have a relation with: a friend, someone I
// blocked, or someone with a pending request either way. Anyone else is
// "not found" (use search or a QR code to meet new people).
func cardPage(e *core.RequestEvent) error {
	other, err := e.App.FindRecordById(accounts.Collection, e.Request.PathValue("id"))
	if err != nil {
		return notFound()
	}
	c, err := cardFor(e, other, "", "")
	if err != nil {
		return err
	}
	if !c.Self && !c.Friend && !c.Blocked && !c.Outgoing && c.IncomingID == "" {
		if ok, err := web.Registry(e).CardReachable(e.App, web.Member(e).Id, other.Id); err != nil {
			return err
		} else if !ok {
			return notFound()
		}
	}
	if c.Outgoing && e.Request.URL.Query().Get("sent") == "1" { // just sent (sendRequest)
		c.Flash = layout.Flash{Kind: "ok", Message: web.T(e, "contacts.request_sent")}
	}
	return render(e, http.StatusOK, other.Id, layout.FocusDetail, contacts.PersonCard(c))
}

func searchPage(e *core.RequestEvent) error {
	q := strings.TrimSpace(e.Request.URL.Query().Get("q"))
	if q == "" { // "Add friend" (the Chats + menu): the search field, nothing searched yet
		return render(e, http.StatusOK, "", layout.FocusList, contacts.Empty(web.T(e, "contacts.search_title"),
			"search-start", web.T(e, "contacts.search_empty"), web.T(e, "contacts.search_hint")))
	}
	found, err := Find(e.App, web.Member(e), q)
	if p, ok := problem.As(err); ok {
		return render(e, p.Status, "", layout.FocusDetail, contacts.Empty(web.T(e, "contacts.search_title"),
			"search-none", web.ProblemMessage(e, p), web.T(e, "contacts.search_hint")))
	} else if err != nil {
		return err
	}
	source := SourceID
	if strings.Contains(q, "@") {
		source = SourceEmail
	}
	proof := ""
	if source == SourceEmail {
		proof = q // the address searched for: what proves the email source
	}
	c, err := cardFor(e, found, source, proof)
	if err != nil {
		return err
	}
	return render(e, http.StatusOK, found.Id, layout.FocusDetail, contacts.PersonCard(c))
}

// addLinkPage opens the card behind a scanned add-me link.
func addLinkPage(e *core.RequestEvent) error {
	proof := e.Request.URL.RequestURI()
	member, err := VerifyAddLink(e.App, proof)
	if p, ok := problem.As(err); ok {
		return renderScan(e, p.Status, layout.Flash{Kind: "error", Message: web.ProblemMessage(e, p)})
	} else if err != nil {
		return err
	}
	c, err := cardFor(e, member, SourceQR, proof)
	if err != nil {
		return err
	}
	return render(e, http.StatusOK, member.Id, layout.FocusDetail, contacts.PersonCard(c))
}

// --- requests ---------------------------------------------------------------

func sendRequest(e *core.RequestEvent) error {
	me := web.Member(e)
	in := RequestInput{
		Greeting: e.Request.FormValue("greeting"),
		Remark:   e.Request.FormValue("remark"),
		Source:   e.Request.FormValue("source"),
		Proof:    e.Request.FormValue("proof"),
	}
	to, err := accounts.FindByPlazaID(e.App, e.Request.FormValue("to"))
	if err != nil {
		return notFound()
	}
	_, err = SendRequest(e.App, me, to, in)
	if p, ok := problem.As(err); ok && p.Status == http.StatusNotFound {
		return notFound() // hidden from this way of finding: as for a Plaza ID of no one
	}
	c, cerr := cardFor(e, to, in.Source, in.Proof)
	if cerr != nil {
		return cerr
	}
	if p, ok := problem.As(err); ok {
		c.Errors = web.FieldErrors(e, p)
		c.Flash = layout.Flash{Kind: "error", Message: web.ProblemMessage(e, p)}
		if c.Flash.Message == "" {
			c.Flash.Message = web.T(e, "errors.check_fields")
		}
		return render(e, p.Status, to.Id, layout.FocusDetail, contacts.PersonCard(c))
	} else if err != nil {
		return err
	}
	if c.Friend { // they had asked me too: we are friends now
		if next := web.Registry(e).FriendAccepted(e.App, me.Id, to.Id); next != "" {
			return web.Redirect(e, next)
		}
		return web.Redirect(e, "/u/"+to.Id)
	}
	// Post, redirect, get: a reload or Back never resends, and the address
	// shown is a page that exists.
	return web.Redirect(e, "/u/"+to.Id+"?sent=1")
}

func newFriendsPage(e *core.RequestEvent) error {
	list, err := Requests(e.App, web.Member(e))
	if err != nil {
		return err
	}
	items := make([]contacts.RequestItem, 0, len(list))
	for _, r := range list {
		items = append(items, contacts.RequestItem{ID: r.Id, Person: PersonOf(r.Other, ""), Greeting: r.Greeting(),
			Incoming: r.Incoming, Status: r.Status(), Expired: r.Expired})
	}
	return render(e, http.StatusOK, "new", layout.FocusDetail, contacts.NewFriends(items))
}

// requestPage opens a request addressed to me: the sender's card with the
// accept form.
func requestPage(e *core.RequestEvent) error {
	me := web.Member(e)
	r, err := findOne(e.App, RequestsCollection, "id = {:id} && to = {:me} && silenced = false",
		map[string]any{"id": e.Request.PathValue("id"), "me": me.Id})
	if err != nil {
		return err
	}
	if r == nil {
		return notFound()
	}
	return web.Redirect(e, "/u/"+AsRequest(r).FromID())
}

func acceptRequest(e *core.RequestEvent) error {
	me := web.Member(e)
	id := e.Request.PathValue("id")
	if err := e.Request.ParseForm(); err != nil {
		return problem.New(http.StatusBadRequest, "errors.bad_request")
	}
	r, err := findOne(e.App, RequestsCollection, "id = {:id} && to = {:me} && silenced = false",
		map[string]any{"id": id, "me": me.Id})
	if err != nil {
		return err
	}
	if r == nil {
		return notFound()
	}
	err = Accept(e.App, me, id, AcceptInput{
		Remark: e.Request.FormValue("remark"),
		TagIDs: e.Request.Form["tags"],
		NewTag: e.Request.FormValue("new_tag"),
	})
	if p, ok := problem.As(err); ok && p.Status == http.StatusBadRequest {
		from, ferr := e.App.FindRecordById(accounts.Collection, AsRequest(r).FromID())
		if ferr != nil {
			return ferr
		}
		c, cerr := cardFor(e, from, "", "")
		if cerr != nil {
			return cerr
		}
		c.Errors = web.FieldErrors(e, p)
		c.Flash = layout.Flash{Kind: "error", Message: web.T(e, "errors.check_fields")}
		return render(e, p.Status, from.Id, layout.FocusDetail, contacts.PersonCard(c))
	} else if err != nil {
		return err
	}
	if next := web.Registry(e).FriendAccepted(e.App, me.Id, AsRequest(r).FromID()); next != "" {
		return web.Redirect(e, next)
	}
	return web.Redirect(e, "/u/"+AsRequest(r).FromID())
}

func ignoreRequest(e *core.RequestEvent) error {
	if err := Ignore(e.App, web.Member(e), e.Request.PathValue("id")); err != nil {
		return err
	}
	return web.Redirect(e, "/contacts/new")
}

// --- a friend's settings ----------------------------------------------------

func editModel(e *core.RequestEvent, f *Friend) (contacts.Edit, error) {
	tags, err := Tags(e.App, web.Member(e))
	if err != nil {
		return contacts.Edit{}, err
	}
	c := f.Contact
	return contacts.Edit{Person: PersonOf(f.Member, c.Remark()), Remark: c.Remark(), Tags: tagChoices(tags, c.TagIDs()),
		Starred: c.Starred(), ChatOnly: c.ChatOnly(), HideMine: c.HideMyMoments(), HideTheirs: c.HideTheirMoments()}, nil
}

func editPage(e *core.RequestEvent) error {
	f, err := FriendOf(e.App, web.Member(e), e.Request.PathValue("id"))
	if err != nil {
		return err
	}
	m, err := editModel(e, f)
	if err != nil {
		return err
	}
	if e.Request.URL.Query().Get("saved") == "1" {
		m.Flash = layout.Flash{Kind: "ok", Message: web.T(e, "profile.saved")}
	}
	return render(e, http.StatusOK, f.Member.Id, layout.FocusDetail, contacts.EditContact(m))
}

func saveEdit(e *core.RequestEvent) error {
	me := web.Member(e)
	id := e.Request.PathValue("id")
	if err := e.Request.ParseForm(); err != nil {
		return problem.New(http.StatusBadRequest, "errors.bad_request")
	}
	form := e.Request.Form
	in := ContactInput{Remark: form.Get("remark"), TagIDs: form["tags"], Starred: form.Get("starred") == "1",
		ChatOnly: form.Get("chat_only") == "1", HideMine: form.Get("hide_mine") == "1", HideTheirs: form.Get("hide_theirs") == "1",
		NewTag: form.Get("new_tag")}
	err := UpdateContact(e.App, me, id, in)
	if p, ok := problem.As(err); ok && p.Status == http.StatusBadRequest {
		return editFailed(e, id, p)
	} else if err != nil {
		return err
	}
	return web.Redirect(e, "/u/"+id+"/edit?saved=1")
}

func editFailed(e *core.RequestEvent, id string, p *problem.Problem) error {
	f, err := FriendOf(e.App, web.Member(e), id)
	if err != nil {
		return err
	}
	m, err := editModel(e, f)
	if err != nil {
		return err
	}
	m.Errors = web.FieldErrors(e, p)
	m.Flash = layout.Flash{Kind: "error", Message: web.T(e, "errors.check_fields")}
	return render(e, p.Status, id, layout.FocusDetail, contacts.EditContact(m))
}

func deleteFriend(e *core.RequestEvent) error {
	if err := Unfriend(e.App, web.Member(e), e.Request.PathValue("id")); err != nil {
		return err
	}
	return web.Redirect(e, "/contacts")
}

func blockPerson(e *core.RequestEvent) error {
	id := e.Request.PathValue("id")
	if err := Block(e.App, web.Member(e), id); err != nil {
		return err
	}
	return web.Redirect(e, "/u/"+id)
}

func unblockPerson(e *core.RequestEvent) error {
	id := e.Request.PathValue("id")
	if err := Unblock(e.App, web.Member(e), id); err != nil {
		return err
	}
	return web.Redirect(e, "/me/privacy")
}

// --- tags -------------------------------------------------------------------

func tagsModel(e *core.RequestEvent) (contacts.Tags, error) {
	tags, err := Tags(e.App, web.Member(e))
	if err != nil {
		return contacts.Tags{}, err
	}
	m := contacts.Tags{}
	for _, t := range tags {
		m.Tags = append(m.Tags, contacts.TagRow{ID: t.ID, Name: t.Name, Count: t.Count})
	}
	return m, nil
}

func tagsPage(e *core.RequestEvent) error {
	m, err := tagsModel(e)
	if err != nil {
		return err
	}
	return render(e, http.StatusOK, "tags", layout.FocusDetail, contacts.TagManager(m))
}

func createTagPage(e *core.RequestEvent) error {
	_, err := CreateTag(e.App, web.Member(e), e.Request.FormValue("name"))
	if p, ok := problem.As(err); ok {
		m, merr := tagsModel(e)
		if merr != nil {
			return merr
		}
		m.Errors = web.FieldErrors(e, p)
		return render(e, p.Status, "tags", layout.FocusDetail, contacts.TagManager(m))
	} else if err != nil {
		return err
	}
	return web.Redirect(e, "/contacts/tags")
}

func tagModel(e *core.RequestEvent, id string) (contacts.Tag, error) {
	tag, friends, err := TagFriends(e.App, web.Member(e), id)
	if err != nil {
		return contacts.Tag{}, err
	}
	return contacts.Tag{ID: tag.Id, Name: tag.GetString("name"), Entries: entriesOf(friends)}, nil
}

func tagPage(e *core.RequestEvent) error {
	m, err := tagModel(e, e.Request.PathValue("id"))
	if err != nil {
		return err
	}
	return render(e, http.StatusOK, "tags", layout.FocusDetail, contacts.TagPage(m))
}

func renameTagPage(e *core.RequestEvent) error {
	id := e.Request.PathValue("id")
	err := RenameTag(e.App, web.Member(e), id, e.Request.FormValue("name"))
	if p, ok := problem.As(err); ok && p.Status != http.StatusNotFound {
		m, merr := tagModel(e, id)
		if merr != nil {
			return merr
		}
		m.Errors = web.FieldErrors(e, p)
		m.Flash = layout.Flash{Kind: "error", Message: web.ProblemMessage(e, p)}
		return render(e, p.Status, "tags", layout.FocusDetail, contacts.TagPage(m))
	} else if err != nil {
		return err
	}
	return web.Redirect(e, "/contacts/tags/"+id)
}

func deleteTagPage(e *core.RequestEvent) error {
	if err := DeleteTag(e.App, web.Member(e), e.Request.PathValue("id")); err != nil {
		return err
	}
	return web.Redirect(e, "/contacts/tags")
}

// --- QR code and scanning ---------------------------------------------------

func qrPage(e *core.RequestEvent) error {
	me := web.Member(e)
	m := contacts.QR{Person: PersonOf(me, ""), ImageURL: "/me/qr.png",
		DownloadName: "plaza-" + accounts.AsMember(me).PlazaID() + ".png"}
	if e.Request.URL.Query().Get("reset") == "1" {
		m.Flash = layout.Flash{Kind: "ok", Message: web.T(e, "qr.reset_done")}
	}
	shell := accountsweb.ShellFor(e, web.T(e, "qr.title"), layout.TabMe, layout.FocusDetail, "/me")
	return web.Render(e, http.StatusOK, layout.AppShell(shell, accountsweb.MenuFor(e, "qr"), contacts.MyQR(m)))
}

// qrImage is the member's add-me code as a PNG (private: it lets people
// add them, so it is never cached by shared caches).
func qrImage(e *core.RequestEvent) error {
	me := web.Member(e)
	path, err := AddLink(e.App, me)
	if err != nil {
		return err
	}
	png, err := qrcode.Encode(web.SiteURL(e.App, path), qrcode.Medium, 512)
	if err != nil {
		return fmt.Errorf("draw qr code: %w", err)
	}
	h := e.Response.Header()
	h.Set("Cache-Control", "private, no-store")
	if e.Request.URL.Query().Get("download") == "1" {
		h.Set("Content-Disposition", `attachment; filename="plaza-`+accounts.AsMember(me).PlazaID()+`.png"`)
	}
	return e.Blob(http.StatusOK, "image/png", png)
}

func resetQR(e *core.RequestEvent) error {
	if err := ResetQR(e.App, web.Member(e)); err != nil {
		return err
	}
	return web.Redirect(e, "/me/qr?reset=1")
}

func renderScan(e *core.RequestEvent, status int, flash layout.Flash) error {
	shell := accountsweb.ShellFor(e, web.T(e, "scan.title"), layout.TabDiscover, layout.FocusDetail, "/discover")
	return web.Render(e, status, layout.AppShell(shell, shellweb.DiscoverMenu(e, "scan"), contacts.ScanPage(contacts.Scan{Flash: flash})))
}

func scanPage(e *core.RequestEvent) error {
	return renderScan(e, http.StatusOK, layout.Flash{})
}

// scan checks a decoded code and opens what it points to. Only links of
// this Plaza (its Application URL or the host the page came from) count.
func scan(e *core.RequestEvent) error {
	code := strings.TrimSpace(e.Request.FormValue("code"))
	l, err := ParseOwn(e.App, code, Now(), e.Request.Host)
	if err != nil {
		p, _ := problem.As(ScanProblem(err))
		return renderScan(e, http.StatusBadRequest, layout.Flash{Kind: "error", Message: web.ProblemMessage(e, p)})
	}
	if !web.Registry(e).Scannable(l.Kind) {
		return renderScan(e, http.StatusBadRequest, layout.Flash{Kind: "error", Message: web.T(e, "scan.unsupported")})
	}
	s, err := Signer(e.App)
	if err != nil {
		return err
	}
	path, err := s.Path(l)
	if err != nil {
		return err
	}
	return web.Redirect(e, path)
}

// --- privacy ----------------------------------------------------------------

func privacyPage(e *core.RequestEvent) error {
	me := web.Member(e)
	p := PrivacyOf(me)
	blocked, err := Blocked(e.App, me)
	if err != nil {
		return err
	}
	m := contacts.Privacy{FindByID: p.FindByID, FindByEmail: p.FindByEmail, FindByQR: p.FindByQR, FindByGroup: p.FindByGroup,
		ShowTyping: p.ShowTyping, ShowPresence: p.ShowPresence, ReadReceipts: p.ReadReceipts}
	for _, b := range blocked {
		m.Blocked = append(m.Blocked, EntryOf(b, ""))
	}
	if e.Request.URL.Query().Get("saved") == "1" {
		m.Flash = layout.Flash{Kind: "ok", Message: web.T(e, "settings.saved")}
	}
	shell := accountsweb.ShellFor(e, web.T(e, "privacy.title"), layout.TabMe, layout.FocusDetail, "/me/settings")
	return web.Render(e, http.StatusOK, layout.AppShell(shell, accountsweb.MenuFor(e, "settings"), contacts.PrivacySettings(m)))
}

func savePrivacy(e *core.RequestEvent) error {
	f := func(name string) bool { return e.Request.FormValue(name) == "1" }
	err := SetPrivacy(e.App, web.Member(e), Privacy{FindByID: f("find_by_id"), FindByEmail: f("find_by_email"),
		FindByQR: f("find_by_qr"), FindByGroup: f("find_by_group"),
		ShowTyping: f("show_typing"), ShowPresence: f("show_presence"), ReadReceipts: f("read_receipts")})
	if err != nil {
		return err
	}
	return web.Redirect(e, "/me/privacy?saved=1")
}
