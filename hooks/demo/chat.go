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
func seedChats(app core.App) error {
	svc := chat.ServiceOf(app)
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
