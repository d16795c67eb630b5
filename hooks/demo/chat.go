package demo

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/chat"
)

// demoChats are 1:1 conversations among demo friends: who, with whom, and
// the lines they exchanged (alternating, starting with the first member).
var demoChats = []struct {
	a, b  string
	lines []string
}{
	{"alice_w", "bob_chen", []string{"Morning Bob! Are we still on for the ride on Saturday?", "Yes! 8 am at the river gate.", "Perfect, I'll bring coffee ☕", "You're the best 🙌"}},
	{"alice_w", "li_lei", []string{"李雷，周末的读书会你来吗？", "来的！这次读哪本？", "《平凡的世界》第二部", "好，我带点水果 🍊", "太好了，谢谢！"}},
	{"han_meimei", "li_lei", []string{"How are you?", "I'm fine, thank you. And you?", "我也很好 😄"}},
	{"bob_chen", "david_l", []string{"Got the photos from the ride?", "Uploading them tonight 📸"}},
	{"carol_z", "grace_y", []string{"Hotpot this Friday?", "Only if it's the spicy one 🌶️", "Obviously."}},
}

// seedChats opens the demo 1:1 chats and writes their history once (client
// ids make a second run store nothing).
func seedChats(app core.App, svc *chat.Service) error {
	for _, c := range demoChats {
		a, err := accounts.FindByPlazaID(app, c.a)
		if err != nil {
			return err
		}
		b, err := accounts.FindByPlazaID(app, c.b)
		if err != nil {
			return err
		}
		conv, err := chat.OpenDirect(app, a.Id, b.Id)
		if err != nil {
			return fmt.Errorf("open chat %s–%s: %w", c.a, c.b, err)
		}
		for i, line := range c.lines {
			from := a
			if i%2 == 1 {
				from = b
			}
			if _, err := svc.Send(from.Id, conv, chat.SendInput{ClientID: fmt.Sprintf("demo-%d", i), Text: line}); err != nil {
				return fmt.Errorf("demo message in %s–%s: %w", c.a, c.b, err)
			}
		}
	}
	return nil
}

// demoGroups are the demo community's group chats: owner, members, name,
// and the topics their generated history talks about.
var demoGroups = []struct {
	owner   string
	members []string
	name    string
	lines   []string
}{
	{"alice_w", []string{"bob_chen", "carol_z", "emma_h"}, "Weekend riders 🚴", []string{
		"Who's in for Saturday?", "Me!", "Count me in", "Route along the river again?", "Let's try the hills this time",
		"Bring water, it'll be hot ☀️", "Meeting at 8 at the gate", "Running 5 minutes late", "Great ride today!", "Photos are up"}},
	{"li_lei", []string{"han_meimei", "wang_fang", "sun_li", "zhao_qiang"}, "读书会 📚", []string{
		"这周读到第几章了？", "第三章，写得真好", "周六下午三点老地方", "我带点心", "下次读什么？", "推荐《活着》",
		"同意！", "我有一本可以借", "今天讨论很精彩", "下周见 👋"}},
	{"bob_chen", []string{"david_l", "frank_x", "henry_g", "li_lei"}, "Board game night", []string{
		"Catan or Carcassonne?", "Catan!", "I'll host this Friday", "Snacks on me", "Who won last time?",
		"Henry, as always", "Rematch!", "Starting at 7", "Bring a friend if you like", "GG everyone"}},
}

// demoGroupMessages is how many messages each demo group's history holds.
const demoGroupMessages = 120

// seedGroups creates the demo groups once and writes their history (client
// ids make a second run store nothing).
func seedGroups(app core.App, svc *chat.Service) error {
	for _, g := range demoGroups {
		owner, err := accounts.FindByPlazaID(app, g.owner)
		if err != nil {
			return err
		}
		convID, err := chat.OwnedGroup(app, owner.Id, g.name) // "" until the group is seeded
		if err != nil {
			return fmt.Errorf("find demo group: %w", err)
		}
		everyone := []*core.Record{owner}
		var ids []string
		for _, m := range g.members {
			r, err := accounts.FindByPlazaID(app, m)
			if err != nil {
				return err
			}
			everyone = append(everyone, r)
			ids = append(ids, r.Id)
		}
		if convID == "" {
			if convID, err = svc.CreateGroup(owner.Id, g.name, ids); err != nil {
				return fmt.Errorf("demo group %s: %w", g.name, err)
			}
		}
		for i := 0; i < demoGroupMessages; i++ {
			from := everyone[i%len(everyone)]
			if _, err := svc.Send(from.Id, convID, chat.SendInput{ClientID: fmt.Sprintf("demo-g%d", i), Text: g.lines[i%len(g.lines)]}); err != nil {
				return fmt.Errorf("demo message in %s: %w", g.name, err)
			}
		}
	}
	return nil
}
