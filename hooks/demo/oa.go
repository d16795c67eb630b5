package demo

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"plaza/hooks/accounts"
	"plaza/hooks/chat"
	"plaza/hooks/oa"
	"plaza/hooks/problem"
)

// demoAccount is one demo Official Account: its owner and operators (demo
// members), texts, menu, keyword replies, articles (broadcast days ago)
// and followers; chats are followers' messages to it.
type demoAccount struct {
	owner, handle, name, description, category, kind string
	verified                                         bool
	operators                                        []string
	welcome, defaultReply                            string
	menu                                             oa.Menu
	replies                                          []oa.AutoReplyRule
	articles                                         []demoArticle
	followers                                        []string
	chats                                            map[string][]string // follower → what they write
}

// demoArticle is one article: broadcast days ago, with a drawn cover.
type demoArticle struct {
	days                  float64
	title, author, digest string
	body                  string // Markdown; "{{image}}" is replaced by an uploaded picture
	scene                 int
}

// DemoAccounts are the demo's Official Accounts, by handle (README names
// them).
var DemoAccounts = []string{"community_news", "corner_cafe"}

var demoAccounts = []demoAccount{
	{owner: "jack_m", handle: "community_news", name: "Community News", kind: oa.KindSubscription, category: "community", verified: true,
		description: "What happens in our neighbourhood: events, notices, people. 社区新闻，每周更新。",
		operators:   []string{"grace_y"}, welcome: "Thanks for following Community News! 欢迎关注社区新闻 — a new article every few days.",
		defaultReply: "Thanks for writing! The committee reads every message.",
		menu: oa.Menu{
			{Label: "Events", Items: []oa.Item{{Label: "This weekend", Action: oa.ActionKeyword, Value: "weekend"},
				{Label: "Calendar", Action: oa.ActionLink, Value: "https://example.org/calendar"}}},
			{Label: "Notices", Action: oa.ActionKeyword, Value: "notices"},
			{Label: "Contact", Action: oa.ActionKeyword, Value: "contact"},
		},
		replies: []oa.AutoReplyRule{{Keyword: "weekend", Match: oa.MatchContains, Reply: "Saturday: street party on Elm Road from 15:00. Sunday: repair café in the library, 10–13."},
			{Keyword: "notices", Match: oa.MatchContains, Reply: "Water off on Tuesday 9–12 in blocks 3–5. Recycling moves to Thursdays."},
			{Keyword: "contact", Match: oa.MatchExact, Reply: "Committee office: ground floor of block 2, Mon–Fri 18:00–20:00."}},
		articles: []demoArticle{
			{days: 6, title: "Street party on Elm Road", author: "Jack Ma", digest: "Music, food stalls and a kids' corner this Saturday.", scene: 2,
				body: "## Saturday from 15:00\n\nElm Road closes to cars and opens to **everyone**: music, food stalls and a kids' corner.\n\n{{image}}\n\n- Bring a chair\n- 带上你的邻居\n\nQuestions? Write to this account."},
			{days: 3.5, title: "社区花园开放日", author: "Grace Yang", digest: "周日上午十点，一起种花。", scene: 3,
				body: "# 社区花园开放日\n\n周日上午 **十点**，在三号楼后面的花园。\n\n{{image}}\n\n> 种子和工具由居委会提供。\n\n欢迎大家带孩子来！"},
			{days: 1.2, title: "Repair café: bring what is broken", author: "Jack Ma", digest: "Toasters, bikes, jackets: volunteers fix them with you.", scene: 5,
				body: "Every first Sunday in the library, volunteers help you fix **toasters, bikes and jackets**.\n\n{{image}}\n\n1. Bring the thing\n2. Bring the parts if you have them\n3. Stay for tea\n\n[Library opening hours](https://example.org/library)"},
		},
		followers: []string{"alice_w", "bob_chen", "li_lei", "han_meimei", "carol_z", "david_l", "wang_fang", "emma_h", "henry_g", "sun_li", "ivy_tang", "chen_jing"},
		chats:     map[string][]string{"henry_g": {"weekend"}, "emma_h": {"Is the party on if it rains?"}},
	},
	{owner: "alice_w", handle: "corner_cafe", name: "Corner Café", kind: oa.KindService, category: "food",
		description: "Coffee, tea and cake on the corner of Elm Road. 街角咖啡馆。", operators: []string{"bob_chen"},
		welcome:      "Welcome to Corner Café ☕ Send \"menu\" or \"hours\" any time.",
		defaultReply: "Thanks! We answer here between 8 and 18.",
		menu: oa.Menu{
			{Label: "Menu", Action: oa.ActionKeyword, Value: "menu"},
			{Label: "Hours", Action: oa.ActionKeyword, Value: "hours"},
			{Label: "More", Items: []oa.Item{{Label: "Find us", Action: oa.ActionLink, Value: "https://example.org/corner-cafe"}}},
		},
		replies: []oa.AutoReplyRule{{Keyword: "menu", Match: oa.MatchContains, Reply: "Today: flat white ¥18 · 桂花拿铁 ¥22 · cheesecake ¥16 · 抹茶卷 ¥14"},
			{Keyword: "hours", Match: oa.MatchContains, Reply: "Open 7:30–18:00 every day, Sundays from 9:00."},
			{Keyword: "营业时间", Match: oa.MatchContains, Reply: "每天 7:30–18:00，周日 9:00 开门。"}},
		articles: []demoArticle{
			{days: 2, title: "New this week: osmanthus latte", author: "Alice Wang", digest: "桂花拿铁 is back for the autumn.", scene: 4,
				body: "Our **osmanthus latte** (桂花拿铁) is back for the autumn.\n\n{{image}}\n\nShow this article at the counter for a free cookie this week."},
		},
		followers: []string{"li_lei", "han_meimei", "zhou_jie", "david_l", "frank_x", "grace_y", "jack_m", "wu_min", "zheng_hao", "lin_tao"},
		chats:     map[string][]string{"li_lei": {"hours"}, "zhou_jie": {"What's on the menu today?"}, "david_l": {"Can I book the corner table for four on Friday?"}},
	},
}

// seedOA opens the demo Official Accounts (approved as a superuser would
// in /_/), their texts, menus, keyword replies, articles broadcast days
// ago, followers and a few followers' messages with their answers. An
// account that exists is left alone, so a second run adds nothing.
func seedOA(app core.App, svc *oa.Service, chatSvc *chat.Service) error {
	defer svc.SetClock(time.Now)
	ids := map[string]string{}
	for _, p := range People {
		r, err := accounts.FindByPlazaID(app, p.PlazaID)
		if err != nil {
			return err
		}
		ids[p.PlazaID] = r.Id
	}
	for i, a := range demoAccounts {
		_, err := svc.AccountFor(ids[a.owner], a.handle)
		if err == nil {
			continue
		}
		if p, ok := problem.As(err); !ok || p.Status != http.StatusNotFound {
			return err
		}
		if err := seedAccount(app, svc, chatSvc, ids, i, a); err != nil {
			return fmt.Errorf("official account %s: %w", a.handle, err)
		}
	}
	svc.WaitDelivered()
	return nil
}

// seedAccount opens one demo account ten days ago, then its followers,
// articles and chats, each at its moment.
func seedAccount(app core.App, svc *oa.Service, chatSvc *chat.Service, ids map[string]string, n int, a demoAccount) error {
	now := time.Now()
	clock := now.AddDate(0, 0, -10)
	svc.SetClock(func() time.Time { return clock })
	avatar, err := Identicon("oa:" + a.handle)
	if err != nil {
		return err
	}
	f, err := filesystem.NewFileFromBytes(avatar, a.handle+".png")
	if err != nil {
		return err
	}
	owner := ids[a.owner]
	acct, err := svc.Apply(owner, oa.ApplyInput{Handle: a.handle, Name: a.name, Description: a.description, Category: a.category, Kind: a.kind, Avatar: f})
	if err != nil {
		return err
	}
	if err := oa.Review(app, acct.ID, oa.StatusApproved, "", a.verified); err != nil { // a superuser's approval in /_/
		return err
	}
	if err := setUpAccount(svc, ids, acct.ID, a); err != nil {
		return err
	}
	for k, who := range a.followers {
		clock = now.Add(-time.Duration(9*24-k*8) * time.Hour)
		if _, err := svc.Follow(ids[who], acct.ID); err != nil {
			return fmt.Errorf("follow by %s: %w", who, err)
		}
	}
	for k, art := range a.articles {
		clock = now.Add(-time.Duration(art.days * float64(24*time.Hour)))
		if err := publishArticle(svc, owner, acct.ID, n*10+k, art); err != nil {
			return fmt.Errorf("article %d: %w", k, err)
		}
	}
	svc.SetClock(time.Now)
	svc.WaitDelivered()
	for who, lines := range a.chats {
		conv, err := svc.ChatWith(ids[who], acct.ID)
		if err != nil {
			return err
		}
		for k, text := range lines {
			if _, err := chatSvc.Send(ids[who], conv, chat.SendInput{ClientID: fmt.Sprintf("demo-oa-%s-%d", a.handle, k), Text: text}); err != nil {
				return fmt.Errorf("%s writes: %w", who, err)
			}
		}
	}
	return nil
}

// setUpAccount gives a demo account its operators, texts, menu and
// keyword replies.
func setUpAccount(svc *oa.Service, ids map[string]string, accountID string, a demoAccount) error {
	owner := ids[a.owner]
	for _, op := range a.operators {
		if err := svc.AddOperator(owner, accountID, ids[op]); err != nil {
			return fmt.Errorf("operator %s: %w", op, err)
		}
	}
	if err := svc.SetTexts(owner, accountID, oa.Texts{Welcome: &a.welcome, DefaultReply: &a.defaultReply}); err != nil {
		return err
	}
	if err := svc.SetMenu(owner, accountID, a.menu); err != nil {
		return err
	}
	for _, r := range a.replies {
		if _, err := svc.SetAutoReply(owner, accountID, r); err != nil {
			return fmt.Errorf("keyword %q: %w", r.Keyword, err)
		}
	}
	return nil
}

// publishArticle writes an article with a drawn cover and picture and
// broadcasts it now (the service's clock: days ago).
func publishArticle(svc *oa.Service, owner, accountID string, n int, art demoArticle) error {
	cover, err := drawScene(art.scene, int64(900+n))
	if err != nil {
		return err
	}
	coverFile, err := filesystem.NewFileFromBytes(cover, fmt.Sprintf("cover-%d.jpg", n))
	if err != nil {
		return err
	}
	picture, err := drawScene((art.scene+1)%6, int64(950+n))
	if err != nil {
		return err
	}
	pictureFile, err := filesystem.NewFileFromBytes(picture, fmt.Sprintf("picture-%d.jpg", n))
	if err != nil {
		return err
	}
	mediaID, err := svc.AddMedia(owner, accountID, pictureFile)
	if err != nil {
		return err
	}
	body := strings.ReplaceAll(art.body, "{{image}}", "![]("+oa.MediaPath(accountID, mediaID)+")")
	written, err := svc.WriteArticle(owner, accountID, oa.ArticleInput{Title: art.title, Author: art.author, Digest: art.digest,
		Body: body, Cover: coverFile, CommentsOpen: true})
	if err != nil {
		return err
	}
	_, err = svc.Broadcast(owner, written.ID, time.Time{})
	return err
}
